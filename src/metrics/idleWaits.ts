import type { Host } from '../host/host.ts';
import type { SimKernel } from '../kernel/simKernel.ts';

/** Per sample, on average: vhost threads waiting in a run queue, and how many while cores sat idle. */
export interface IdleWaits {
  waiting: number;
  /** Waiting while a core of the thread's own node was idle. */
  sameNodeIdle: number;
  /** Waiting while no core of its own node was idle, but one of another node was. */
  otherNodeIdle: number;
}

/**
 * A work-conservation probe: from `startNs`, every `periodNs`, count the vhost threads that wait in run
 * queues and whether an idle core (no thread running, none queued) was there to take them, on their node
 * or only on another. Read-only: it never changes the run. Returns the means so far.
 */
export function sampleIdleWaits(
  host: Host,
  kernel: SimKernel,
  startNs: number,
  periodNs = 1_000,
): () => IdleWaits {
  let samples = 0;
  let waiting = 0;
  let sameNodeIdle = 0;
  let otherNodeIdle = 0;
  const tick = () => {
    samples++;
    const idle = new Map<number, number>();
    let idleAll = 0;
    for (const rq of host.rqs)
      if (rq.curr < 0 && rq.queue.length === 0) {
        idle.set(rq.node, (idle.get(rq.node) ?? 0) + 1);
        idleAll++;
      }
    for (const rq of host.rqs)
      for (const tid of rq.queue) {
        if (host.tasks[tid].kind !== 'vhost') continue;
        waiting++;
        const own = idle.get(rq.node) ?? 0;
        if (own > 0) sameNodeIdle++;
        else if (idleAll > 0) otherNodeIdle++;
      }
    kernel.schedule(periodNs, tick, undefined);
  };
  kernel.schedule(startNs, tick, undefined);
  return () => {
    const n = Math.max(1, samples);
    return { waiting: waiting / n, sameNodeIdle: sameNodeIdle / n, otherNodeIdle: otherNodeIdle / n };
  };
}
