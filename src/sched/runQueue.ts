import { CPU_LOAD_IDX_MAX } from './cpuLoad.ts';

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
    minVruntime: 0,
    lastTid: -1,
    avgIdleNs: 2 * migrationCostNs,
    idleSinceNs: 0,
    switches: 0,
    cpuLoad: new Float64Array(CPU_LOAD_IDX_MAX),
    loadTick: 0,
  };
}

/** Remove and return the waiting task at `index` (order kept), without the array `splice` allocates. */
export function takeQueued(rq: RunQueue, index: number): number {
  const q = rq.queue;
  const tid = q[index];
  for (let i = index + 1; i < q.length; i++) q[i - 1] = q[i];
  q.pop();
  return tid;
}
