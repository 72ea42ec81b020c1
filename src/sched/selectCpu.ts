import type { Topology } from '../model/topology.ts';
import type { RunQueue } from './runQueue.ts';
import { allowedOn, type Task } from './task.ts';

/**
 * Wake-up placement (select_task_rq_fair / select_idle_sibling of the 2012 kernels): the previous CPU if
 * it is idle, else an idle CPU sharing its socket (last-level cache), else the previous CPU. It does not
 * know which NUMA node the thread's VM lives on; crossing sockets happens through idle balancing.
 */
export function selectCpu(task: Task, rqs: RunQueue[], topo: Topology): number {
  const prev = allowedOn(task, task.cpu) ? task.cpu : firstAllowed(task, rqs);
  if (isIdle(rqs[prev])) return prev;
  const siblings = topo.cpusOf[topo.nodeOf[prev]];
  const start = siblings.indexOf(prev);
  for (let k = 1; k < siblings.length; k++) {
    const cpu = siblings[(start + k) % siblings.length];
    if (allowedOn(task, cpu) && isIdle(rqs[cpu])) return cpu;
  }
  return prev;
}

export function isIdle(rq: RunQueue): boolean {
  return rq.curr < 0 && rq.queue.length === 0;
}

/** The allowed CPU with the fewest runnable tasks (lowest id on ties). */
function firstAllowed(task: Task, rqs: RunQueue[]): number {
  let best = -1;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (const rq of rqs) {
    if (!allowedOn(task, rq.cpu)) continue;
    const load = rq.queue.length + (rq.curr >= 0 ? 1 : 0);
    if (load < bestLoad) {
      bestLoad = load;
      best = rq.cpu;
    }
  }
  return best;
}
