/** A CPU's run queue, like the kernel's per-CPU `struct rq` with its CFS queue. */
export interface RunQueue {
  cpu: number;
  node: number;
  /** Running task id, or -1 (idle). */
  curr: number;
  /** Runnable tasks waiting for this CPU (not the running one). Small, so scanned for the minimum. */
  queue: number[];
  minVruntime: number;
  /** The last task that ran here: a task switched in after another ran has a cold cache. */
  lastTid: number;
  /** Average idle period (the kernel's rq->avg_idle), gating new-idle balancing. */
  avgIdleNs: number;
  idleSinceNs: number;
  /** Switches into a thread on this CPU (from idle or from another thread). */
  switches: number;
}

export function newRunQueue(cpu: number, node: number, migrationCostNs: number): RunQueue {
  return {
    cpu,
    node,
    curr: -1,
    queue: [],
    minVruntime: 0,
    lastTid: -1,
    avgIdleNs: 2 * migrationCostNs,
    idleSinceNs: 0,
    switches: 0,
  };
}
