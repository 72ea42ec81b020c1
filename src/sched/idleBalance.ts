import type { RunQueue } from './runQueue.ts';
import { allowedOn, type Task } from './task.ts';

/**
 * New-idle balancing (idle_balance): a CPU about to go idle pulls a waiting task from the busiest run
 * queue, its own socket first, then the other sockets. As in the kernel it is skipped when the CPU's
 * average idle period is shorter than the migration cost: pulling would cost more than it saves.
 * Returns the CPU to pull from and the queue index, or null.
 */
export function findPull(
  rq: RunQueue,
  rqs: RunQueue[],
  tasks: Task[],
  migrationCostNs: number,
): { from: number; index: number } | null {
  if (rq.avgIdleNs < migrationCostNs) return null;
  let best: { from: number; index: number } | null = null;
  let bestWaiting = 0;
  let bestLocal = false;
  for (const other of rqs) {
    if (other.cpu === rq.cpu || other.queue.length === 0) continue;
    const local = other.node === rq.node;
    // Prefer the same socket; among equals, the longest queue; ties to the lowest CPU id.
    if (best !== null && bestLocal && !local) continue;
    if (best !== null && bestLocal === local && other.queue.length <= bestWaiting) continue;
    const index = other.queue.findIndex((tid) => allowedOn(tasks[tid], rq.cpu));
    if (index < 0) continue;
    best = { from: other.cpu, index };
    bestWaiting = other.queue.length;
    bestLocal = local;
  }
  return best;
}

/** Update rq->avg_idle with a finished idle period, as the kernel does (1/8 weight, capped). */
export function recordIdle(rq: RunQueue, idleNs: number, migrationCostNs: number): void {
  rq.avgIdleNs += (idleNs - rq.avgIdleNs) / 8;
  if (rq.avgIdleNs > 2 * migrationCostNs) rq.avgIdleNs = 2 * migrationCostNs;
}
