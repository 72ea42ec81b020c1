import { CPU_LOAD_IDX_MAX } from './cpuLoad.ts';
import { llcDomainIndex, type SchedDomain } from './domains.ts';

/**
 * The idle CPUs of one last-level cache, counted exactly: shared by the run queues of the LLC's CPUs and
 * kept by the helpers below at every change of `curr` or `queue`, so that select_idle_sibling() can skip
 * a scan that cannot find an idle CPU (selectCpu.ts).
 */
export interface LlcIdle {
  idle: number;
}

/**
 * A CPU's run queue, like the kernel's per-CPU `struct rq` with its CFS queue. `curr` and `queue` are
 * read-only here: they change only through `setCurr`, `enqueue` and `takeQueued`, which keep `llcIdle`.
 */
export interface RunQueue {
  readonly cpu: number;
  readonly node: number;
  /** Running task id, or -1 (idle). */
  readonly curr: number;
  /** Runnable tasks waiting for this CPU (not the running one). Small, so scanned for the minimum. */
  readonly queue: readonly number[];
  /** The idle count of this CPU's LLC, or null when none is kept (then nothing may skip on it). */
  llcIdle: LlcIdle | null;
  minVruntime: number;
  /** The last task that ran here: a task switched in after another ran has a cold cache. */
  lastTid: number;
  /** Average idle period (the kernel's rq->avg_idle), gating new-idle balancing. */
  avgIdleNs: number;
  idleSinceNs: number;
  /** Switches into a thread on this CPU (from idle or from another thread). */
  switches: number;
  /** rq->cpu_load[]: decayed load averages, brought up to date lazily (cpuLoad.ts). */
  cpuLoad: Float64Array;
  /** The scheduler tick `cpuLoad` was last brought up to. */
  loadTick: number;
}

export function newRunQueue(cpu: number, node: number, migrationCostNs: number): RunQueue {
  return {
    cpu,
    node,
    curr: -1,
    queue: [],
    llcIdle: null,
    minVruntime: 0,
    lastTid: -1,
    avgIdleNs: 2 * migrationCostNs,
    idleSinceNs: 0,
    switches: 0,
    cpuLoad: new Float64Array(CPU_LOAD_IDX_MAX),
    loadTick: 0,
  };
}

/** idle_cpu(): nothing running and nothing waiting. */
export const isIdle = (rq: RunQueue): boolean => rq.curr < 0 && rq.queue.length === 0;

/** After a change of `rq`, which was idle or not (`wasIdle`), bring its LLC's count along. */
function recount(rq: RunQueue, wasIdle: boolean): void {
  const llc = rq.llcIdle;
  if (llc !== null && isIdle(rq) !== wasIdle) llc.idle += wasIdle ? -1 : 1;
}

/** Set the running task (-1: none). */
export function setCurr(rq: RunQueue, tid: number): void {
  const wasIdle = isIdle(rq);
  (rq as { curr: number }).curr = tid;
  recount(rq, wasIdle);
}

/** Append a runnable task to the waiting queue. */
export function enqueue(rq: RunQueue, tid: number): void {
  const wasIdle = isIdle(rq);
  (rq.queue as number[]).push(tid);
  recount(rq, wasIdle);
}

/** Remove and return the waiting task at `index` (order kept), without the array `splice` allocates. */
export function takeQueued(rq: RunQueue, index: number): number {
  const wasIdle = isIdle(rq);
  const q = rq.queue as number[];
  const tid = q[index];
  for (let i = index + 1; i < q.length; i++) q[i - 1] = q[i];
  q.pop();
  recount(rq, wasIdle);
  return tid;
}

/**
 * Give the run queues of each last-level cache one shared idle count, counted from their state now. The
 * span is the one select_idle_sibling() scans: the target's `sd_llc` (`llcDomainIndex`); a CPU without
 * one (its LLC is itself) is never scanned and keeps none.
 */
export function countIdleByLlc(rqs: readonly RunQueue[], domains: readonly (readonly SchedDomain[])[]): void {
  const byFirst = new Map<number, LlcIdle>();
  for (const rq of rqs) {
    const chain = domains[rq.cpu];
    const d = llcDomainIndex(chain);
    if (d < 0) {
      rq.llcIdle = null;
      continue;
    }
    const span = chain[d].span;
    let llc = byFirst.get(span[0]);
    if (llc === undefined) {
      llc = { idle: 0 };
      for (const c of span) if (isIdle(rqs[c])) llc.idle++;
      byFirst.set(span[0], llc);
    }
    rq.llcIdle = llc;
  }
}
