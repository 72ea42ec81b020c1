import type { Topology } from '../model/topology.ts';
import type { RunQueue } from './runQueue.ts';
import { isIdle } from './selectCpu.ts';
import { allowedOn, type Task } from './task.ts';

/** A waiting task to move: from CPU `from` (its index in that run queue) to CPU `to`. */
export interface Migration {
  from: number;
  index: number;
  to: number;
}

const nrRunning = (rq: RunQueue) => rq.queue.length + (rq.curr >= 0 ? 1 : 0);

/**
 * Periodic load balancing across the NUMA domain (load_balance() at the sockets' level, run every
 * `balanceIntervalNs`), reduced to its core: a socket that is overloaded — every core busy and threads
 * waiting — while the other socket has an idle core, and has at least two more runnable threads than it,
 * gives one waiting thread that may run there to that socket's first idle core. The kernel weighs load
 * averaged over time (PELT) against `imbalance_pct`; asking for a fully busy source and an idle target
 * keeps a momentary queue (a thread waiting behind its waker on an otherwise idle socket) from being sent
 * away from its memory. Running threads are never moved. Ties go to the lowest node and CPU ids. Returns
 * null when nothing should or may move.
 */
export function findNumaMigration(
  rqs: readonly RunQueue[],
  tasks: readonly Task[],
  topo: Topology,
): Migration | null {
  const load = topo.cpusOf.map((cpus) => cpus.reduce((n, cpu) => n + nrRunning(rqs[cpu]), 0));
  let busiest = 0;
  let idlest = 0;
  for (let node = 1; node < load.length; node++) {
    if (load[node] > load[busiest]) busiest = node;
    if (load[node] < load[idlest]) idlest = node;
  }
  if (load[busiest] - load[idlest] < 2) return null;
  if (topo.cpusOf[busiest].some((cpu) => rqs[cpu].curr < 0)) return null; // not overloaded
  const targets = topo.cpusOf[idlest].filter((cpu) => isIdle(rqs[cpu]));
  if (targets.length === 0) return null; // no spare capacity
  // Source run queues of the busiest socket, longest queue first.
  const sources = topo.cpusOf[busiest]
    .filter((cpu) => rqs[cpu].queue.length > 0)
    .sort((a, b) => rqs[b].queue.length - rqs[a].queue.length || a - b);
  for (const from of sources) {
    const queue = rqs[from].queue;
    for (let index = 0; index < queue.length; index++) {
      const to = targets.find((cpu) => allowedOn(tasks[queue[index]], cpu));
      if (to !== undefined) return { from, index, to };
    }
  }
  return null;
}
