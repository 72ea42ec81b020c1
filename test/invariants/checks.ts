import type { SimSystem } from '../../src/runtime/system.ts';
import { isIdle, type LlcIdle } from '../../src/sched/runQueue.ts';
import { allowedOn } from '../../src/sched/task.ts';

/**
 * Scheduler invariants that must hold between any two deliveries: a core runs at most one thread, a thread
 * is in at most one place, the run-queue bookkeeping agrees with the task states and the pcpu machines, and
 * each LLC's idle count (on which select_idle_sibling() skips its scan) is the number of its idle CPUs.
 */
export function checkScheduler(sys: SimSystem): string | null {
  const { rqs, tasks, cpuActor } = sys.host;
  const seen = new Map<number, string>();
  for (const rq of rqs) {
    if (rq.curr >= 0) {
      if (seen.has(rq.curr)) return `task ${rq.curr} is curr on cpu${rq.cpu} and ${seen.get(rq.curr)}`;
      seen.set(rq.curr, `curr@cpu${rq.cpu}`);
      const t = tasks[rq.curr];
      if (t.state !== 'running') return `curr ${t.name} of cpu${rq.cpu} is ${t.state}`;
      if (t.cpu !== rq.cpu) return `curr ${t.name} of cpu${rq.cpu} has task.cpu ${t.cpu}`;
      if (!allowedOn(t, rq.cpu)) return `${t.name} runs on cpu${rq.cpu} outside its affinity`;
    }
    for (const tid of rq.queue) {
      if (seen.has(tid)) return `task ${tid} queued on cpu${rq.cpu} and ${seen.get(tid)}`;
      seen.set(tid, `queued@cpu${rq.cpu}`);
      const t = tasks[tid];
      if (t.state !== 'runnable') return `queued ${t.name} on cpu${rq.cpu} is ${t.state}`;
      if (t.cpu !== rq.cpu) return `queued ${t.name} on cpu${rq.cpu} has task.cpu ${t.cpu}`;
      if (!allowedOn(t, rq.cpu)) return `${t.name} queued on cpu${rq.cpu} outside its affinity`;
    }
    const state = sys.executor.stateOf(cpuActor[rq.cpu]);
    const onCore = state === 'switching' || state === 'running';
    if (onCore !== rq.curr >= 0) return `cpu${rq.cpu} in state ${state} with curr ${rq.curr}`;
    if (onCore && sys.executor.read<{ tid: number }>(cpuActor[rq.cpu]).tid !== rq.curr)
      return `cpu${rq.cpu}: the pcpu machine runs another tid than rq.curr`;
  }
  const idleOf = new Map<LlcIdle, number>();
  for (const rq of rqs)
    if (rq.llcIdle !== null) idleOf.set(rq.llcIdle, (idleOf.get(rq.llcIdle) ?? 0) + (isIdle(rq) ? 1 : 0));
  for (const [llc, n] of idleOf) if (llc.idle !== n) return `an LLC counts ${llc.idle} idle CPUs, ${n} are`;
  for (const t of tasks) {
    if (t.state !== 'blocked' && !seen.has(t.tid)) return `${t.name} is ${t.state} but on no run queue`;
  }
  return null;
}
