import type { RunQueue } from './runQueue.ts';

/**
 * Load as Linux 3.6 measures it (no per-entity load tracking: PELT came in 3.8). `weighted_cpuload()` is the
 * run queue's weight, nice-0 tasks counting `NICE_0_LOAD` each (the running one included); `cpu_load[i]`
 * (`CPU_LOAD_IDX_MAX` = 5) are decayed averages of it, updated on every scheduler tick by
 * `__update_cpu_load()` (kernel/sched/core.c): `cpu_load[i] = (cpu_load[i] * (2^i - 1) + load) / 2^i`.
 *
 * Ticks are not events here: a run queue catches up lazily, before its load changes and before anyone reads
 * `cpu_load[]`, by applying the ticks elapsed since its last update with the load that held meanwhile, in
 * closed form: n ticks at constant load L take x to L + (x - L)((2^i - 1)/2^i)^n. The kernel does the same
 * for a tickless idle CPU (`decay_load_missed()`); unlike it, the value is not rounded to integers.
 */
export const NICE_0_LOAD = 1024;
export const CPU_LOAD_IDX_MAX = 5;

export const nrRunning = (rq: RunQueue): number => rq.queue.length + (rq.curr >= 0 ? 1 : 0);

/** weighted_cpuload(): the instantaneous load. */
export const weightedCpuload = (rq: RunQueue): number => nrRunning(rq) * NICE_0_LOAD;

/** Bring `rq.cpuLoad` up to the tick in progress at `nowNs` (call before the run queue's load changes). */
export function catchUpCpuLoad(rq: RunQueue, nowNs: number, tickNs: number): void {
  const tick = Math.floor(nowNs / tickNs);
  const n = tick - rq.loadTick;
  if (n <= 0) return;
  rq.loadTick = tick;
  const load = weightedCpuload(rq);
  const cl = rq.cpuLoad;
  cl[0] = load;
  for (let i = 1; i < CPU_LOAD_IDX_MAX; i++) {
    const scale = 2 ** i;
    cl[i] = load + (cl[i] - load) * ((scale - 1) / scale) ** n;
  }
}

/**
 * The load a domain index names: 0 is the instantaneous load, `idx` >= 1 reads `cpu_load[idx - 1]`
 * (`cpu_load[0]` being the load sampled at the last tick), as source_load() / target_load() do.
 */
export function cpuLoadAt(rq: RunQueue, idx: number, nowNs: number, tickNs: number): number {
  if (idx === 0) return weightedCpuload(rq);
  catchUpCpuLoad(rq, nowNs, tickNs);
  return rq.cpuLoad[idx - 1];
}

/**
 * source_load(): a low guess of a CPU's load for migrating from it (min of the decayed and instantaneous
 * load, the LB_BIAS feature); target_load(): a high guess for migrating to it (max).
 */
export function sourceLoad(rq: RunQueue, idx: number, nowNs: number, tickNs: number): number {
  const now = weightedCpuload(rq);
  return idx === 0 ? now : Math.min(cpuLoadAt(rq, idx, nowNs, tickNs), now);
}

export function targetLoad(rq: RunQueue, idx: number, nowNs: number, tickNs: number): number {
  const now = weightedCpuload(rq);
  return idx === 0 ? now : Math.max(cpuLoadAt(rq, idx, nowNs, tickNs), now);
}

/** cpu_avg_load_per_task() */
export function cpuAvgLoadPerTask(rq: RunQueue): number {
  const n = nrRunning(rq);
  return n === 0 ? 0 : weightedCpuload(rq) / n;
}
