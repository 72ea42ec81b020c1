/** Sweeps and the talk's study as library calls: the same grid, replications and results as the CLI's. */
import type { ModelName, WorkloadKind } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { resolveScenario, type ScenarioInput, type ScenarioPath } from '../scenario/resolve.ts';
import { checkRuns } from '../sweep/bounds.ts';
import { executeSweep, type FailedPoint } from '../sweep/execute.ts';
import { buildGrid, type CrossoverEntry, type SweepPoint, sweepCrossover } from '../sweep/sweep.ts';

/**
 * The talk's two models: what `reproduce` and, by default, `sweep` compare.
 *
 * @example
 * ```ts
 * import { resolveScenario, runScenario, TALK_MODELS } from 'vhost-sim';
 *
 * for (const model of TALK_MODELS) {
 *   const { metrics } = runScenario(resolveScenario({ model, vms: 2, durationS: 0.005, warmupS: 0.002 }));
 *   console.log(model, metrics.throughput.value);
 * }
 * ```
 */
export const TALK_MODELS: readonly ModelName[] = ['per-device', 'per-cpu'];
/**
 * The study's VM counts (what `reproduce` runs), for a study of your own on the same grid.
 *
 * @example
 * ```ts
 * import { REPRODUCE_VMS, sweep } from 'vhost-sim';
 *
 * // The study's grid with another workload, one short seed per point.
 * const { crossover } = await sweep({
 *   vmsList: REPRODUCE_VMS.filter((vms) => vms <= 4),
 *   base: { durationS: 0.005, warmupS: 0.002, workload: { kind: 'UDP_RR' } },
 * });
 * console.log(crossover.UDP_RR?.throughput.text);
 * ```
 */
export const REPRODUCE_VMS: readonly number[] = [1, 2, 4, 6, 8, 12, 16, 24, 32];
/**
 * The study's default: 5 seeds of 0.2 s per point rather than one of 1 s. A run's throughput depends on
 * its seed (how unpinned threads first land on cores persists: per-device at 16 VMs gives 132k–158k tps
 * across seeds, each seed the same within 0.5 % at 0.3 s or 3 s), so seeds, not longer runs, make the
 * means and the crossover trustworthy (docs/reproduction.md).
 */
export const REPRODUCE_REPS = 5;
export const REPRODUCE_DURATION_S = 0.2;

/**
 * An extra sweep dimension: a scenario path and the values it takes (each point's scenario is checked
 * as a whole: a value of the wrong kind is a ScenarioError naming the path).
 */
export interface SweepAxis {
  path: ScenarioPath;
  values: readonly unknown[];
}

export interface SweepOptions {
  /** The scenario every point starts from (defaults fill the rest). */
  base?: ScenarioInput;
  /** Default: the talk's two models. */
  models?: readonly ModelName[];
  vmsList: readonly number[];
  /** Further axes: scenario paths and their values, e.g. `{ path: 'profile.costs.ctxSwitchNs', values: [0, 3000] }`. */
  axes?: readonly SweepAxis[];
  workloads?: readonly WorkloadKind[];
  /** Seeds per point (seed, seed + 1, ...): means and 95 % intervals. Default 1. */
  reps?: number;
  /** Worker threads (default 1: this thread). Results are the same bytes whatever the number. */
  jobs?: number;
  executor?: ExecutorKind;
  /** A policy module used instead of the model (src/policies/module.ts); give one model to label points. */
  policyModule?: string;
  /**
   * Refuse sweeps of more runs than this (grid points x reps; default DEFAULT_MAX_RUNS, 10,000): a
   * ScenarioError naming the field, before the grid is built.
   */
  maxRuns?: number;
  /** After each run: runs done of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/** What a sweep gives: every point with its (mean) metrics, the crossovers, and the points that failed. */
export interface SweepResult {
  points: SweepPoint[];
  /** Per workload (and axis values): where per-cpu overtakes per-device, for throughput and efficiency. */
  crossover: Record<string, CrossoverEntry>;
  failed: FailedPoint[];
  /** Kernel events over all runs. */
  events: number;
}

/**
 * Run every model at every VM count (and axis value), `reps` seeds each, as `vhost-sim sweep` does.
 *
 * @example
 * ```ts
 * import { sweep } from 'vhost-sim';
 *
 * // Both models at 1 and 4 VMs, with a free and a dear context switch.
 * const { points, crossover } = await sweep({
 *   vmsList: [1, 4],
 *   base: { durationS: 0.005, warmupS: 0.002 },
 *   axes: [{ path: 'profile.costs.ctxSwitchNs', values: [0, 3000] }],
 *   jobs: 2,
 * });
 * for (const p of points) console.log(p.model, p.vms, p.axes, p.metrics.throughput.value);
 * console.log(Object.keys(crossover));
 * ```
 */
export async function sweep(o: SweepOptions): Promise<SweepResult> {
  const base = resolveScenario(o.base ?? {});
  const spec = {
    base,
    models: [...(o.models ?? TALK_MODELS)],
    vmsList: [...o.vmsList],
    axes: (o.axes ?? []).map((a) => ({ path: a.path, values: [...a.values] })),
    ...(o.workloads === undefined ? {} : { workloads: [...o.workloads] }),
  };
  checkRuns(spec, o.reps ?? 1, o.maxRuns);
  const grid = buildGrid(spec);
  const run = await executeSweep({
    grid,
    reps: o.reps ?? 1,
    jobs: o.jobs ?? 1,
    executor: o.executor,
    policyModule: o.policyModule,
    onProgress: o.onProgress === undefined ? undefined : (done, total) => o.onProgress?.(done, total),
  });
  return {
    points: run.points,
    crossover: sweepCrossover(run.points),
    failed: run.failed,
    events: run.events,
  };
}

/**
 * The talk's study, as `vhost-sim reproduce` runs it: per-device against per-cpu at `REPRODUCE_VMS`
 * (1–32 VMs), `reps` seeds (default 5) of `base.durationS` (default 0.2 s) each per point. Takes a while (the CLI's `npm start` is the same study).
 *
 * @example
 * ```ts
 * import { reproduce } from 'vhost-sim';
 *
 * // A short version: 1 seed of 5 ms per point.
 * const { crossover } = await reproduce({ reps: 1, base: { durationS: 0.005 }, jobs: 2 });
 * console.log(crossover.TCP_RR?.throughput);
 * ```
 */
export function reproduce(o: Omit<SweepOptions, 'vmsList'> = {}): Promise<SweepResult> {
  return sweep({
    ...o,
    base: { durationS: REPRODUCE_DURATION_S, workload: { kind: 'TCP_RR' }, ...o.base },
    vmsList: REPRODUCE_VMS,
    reps: o.reps ?? REPRODUCE_REPS,
  });
}
