import type { SchedTunables } from '../model/profile.ts';
import { enqueue, type RunQueue, takeQueued } from './runQueue.ts';
import type { Task } from './task.ts';

/**
 * CFS essentials for equal-weight (nice 0) tasks: virtual runtime advances with CPU time, the task with the
 * smallest vruntime runs next, sleepers are placed at most half a latency period behind min_vruntime
 * (GENTLE_FAIR_SLEEPERS), and a woken task preempts only with a lead over the running one larger than
 * the wake-up granularity.
 */

/** Index in `rq.queue` of the task to run next (smallest vruntime, FIFO among equals), or -1. */
export function pickNextIndex(rq: RunQueue, tasks: Task[]): number {
  let best = -1;
  let bestVr = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rq.queue.length; i++) {
    const vr = tasks[rq.queue[i]].vruntime;
    if (vr < bestVr) {
      bestVr = vr;
      best = i;
    }
  }
  return best;
}

export function updateMinVruntime(rq: RunQueue, tasks: Task[]): void {
  let min = Number.POSITIVE_INFINITY;
  if (rq.curr >= 0) min = tasks[rq.curr].vruntime;
  for (const tid of rq.queue) min = Math.min(min, tasks[tid].vruntime);
  if (min !== Number.POSITIVE_INFINITY && min > rq.minVruntime) rq.minVruntime = min;
}

/** place_entity() for a waking task: limit the sleeper's credit to half a latency period. */
export function placeWoken(task: Task, rq: RunQueue, tun: SchedTunables): void {
  task.vruntime = Math.max(task.vruntime, rq.minVruntime - tun.latencyNs / 2);
}

/** A task moving between run queues keeps its lag relative to min_vruntime. */
export function renormalize(task: Task, from: RunQueue, to: RunQueue): void {
  task.vruntime = task.vruntime - from.minVruntime + to.minVruntime;
}

/** Migrate the waiting task at `index` of `from`'s queue to the tail of `to`'s (a pull or a balance). */
export function moveWaiting(tasks: Task[], from: RunQueue, index: number, to: RunQueue): number {
  const tid = takeQueued(from, index);
  const task = tasks[tid];
  renormalize(task, from, to);
  task.cpu = to.cpu;
  task.migrations++;
  enqueue(to, tid);
  return tid;
}

/** check_preempt_wakeup(): does the best waiting task lead the running one by more than the granularity? */
export function wakeupPreempts(
  rq: RunQueue,
  tasks: Task[],
  tun: SchedTunables,
  currVruntime: number,
): boolean {
  if (rq.curr < 0) return false;
  const i = pickNextIndex(rq, tasks);
  if (i < 0) return false;
  return currVruntime - tasks[rq.queue[i]].vruntime > tun.wakeupGranularityNs;
}
