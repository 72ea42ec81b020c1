/**
 * The sensitivity analysis as a library call: the study `vhost-sim sensitivity` runs (Morris screening
 * or Sobol' indices of the outputs over the plausible ranges of the costs), with the same design, runs
 * and analysis, on worker threads, without a results folder.
 */
import type { ModelName } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { resolveScenario, type ScenarioInput, type ScenarioPath } from '../scenario/resolve.ts';
import { ScenarioError } from '../scenario/schema.ts';
import { parseOutput } from '../sensitivity/outputs.ts';
import { parseParams } from '../sensitivity/parameters.ts';
import { saltelliProblem } from '../sensitivity/saltelli.ts';
import { SOBOL_MAX_DIMS } from '../sensitivity/sobolSequence.ts';
import {
  analyseStudy,
  type Method,
  type StudyResult,
  type StudySpec,
  studyGrid,
  studyPoints,
} from '../sensitivity/study.ts';
import { executeSweep } from '../sweep/execute.ts';

export type { Method as SensitivityMethod, StudyResult as SensitivityResult };

/** A cost to vary, by its path: with the calibration table's plausible range, or with a range of your own. */
export type SensitivityParam = ScenarioPath | { path: ScenarioPath; lo: number; hi: number };

/** The typed form as the CLI's `--params` text (`path` or `path=lo:hi`, comma-separated). */
const paramsText = (p: string | readonly SensitivityParam[]) =>
  typeof p === 'string'
    ? p
    : p.map((x) => (typeof x === 'string' ? x : `${x.path}=${x.lo}:${x.hi}`)).join(',');

export interface SensitivityOptions {
  /** `morris` (screening, the default) or `sobol` (first-order and total indices). */
  method?: 'morris' | 'sobol';
  /**
   * The costs to vary: typed paths, each with its own range or the table's; or, as the CLI's `--params`,
   * `all` ranged rows of docs/calibration.md (the default) or comma-separated paths, each optionally
   * `=lo:hi` (leading segments may be left out: `ctxSwitchNs`).
   */
  params?: string | readonly SensitivityParam[];
  /** What to analyse: `crossover[:METRIC]`, `ratio[:METRIC]@VMS`, `METRIC@MODEL:VMS` (default crossover, ratio@32). */
  outputs?: readonly string[];
  /** Reference and challenger of crossovers and ratios (default per-device, per-cpu). */
  models?: readonly [ModelName, ModelName];
  /** VM counts a crossover is located on (default 1, 2, 4, 8, 16, 32). */
  vmsList?: readonly number[];
  /** Morris: trajectories (default 10) and grid levels (even, default 4). */
  trajectories?: number;
  levels?: number;
  /** Sobol': base rows N of the Saltelli design, a power of two (default 64). */
  samples?: number;
  /** Seeds per sample (default 2), to separate their noise from the parameters' effects. */
  seeds?: number;
  /** Seed of the Morris design and of the bootstrap (default 1); bootstrap resamples (default 1000). */
  designSeed?: number;
  bootstrap?: number;
  /** The scenario every sample starts from (default: 0.2 s measured, as the CLI's). */
  base?: ScenarioInput;
  /** Worker threads (default 1). Results are the same whatever the number. */
  jobs?: number;
  executor?: ExecutorKind;
  /** After each run: runs done of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Rank the costs by their effect on the outputs, as `vhost-sim sensitivity` does. Throws ScenarioError
 * on a bad option (a path that is not a ranged cost, an output it cannot read, a bad design size).
 *
 * @example
 * ```ts
 * import { sensitivity } from 'vhost-sim';
 *
 * // A tiny screening: two costs, 2 trajectories, one seed, short runs on 1 and 2 VMs.
 * const r = await sensitivity({
 *   params: ['profile.costs.ctxSwitchNs', { path: 'profile.costs.vmExitNs', lo: 500, hi: 2000 }],
 *   outputs: ['ratio@2'],
 *   vmsList: [1, 2],
 *   trajectories: 2,
 *   seeds: 1,
 *   bootstrap: 50,
 *   base: { durationS: 0.002, warmupS: 0.001 },
 *   jobs: 2,
 * });
 * for (const m of r.analyses[0]?.morris ?? []) console.log(m.path, m.muStar);
 * ```
 */
export async function sensitivity(o: SensitivityOptions = {}): Promise<StudyResult> {
  const method = o.method ?? 'morris';
  const bad = (field: string, value: unknown, expected: string) => {
    throw new ScenarioError(field, value, expected, `${field}: expected ${expected}, got ${String(value)}`);
  };
  const samples = o.samples ?? 64;
  if (method === 'sobol' && !Number.isInteger(Math.log2(samples))) bad('samples', samples, 'a power of two');
  const spec: StudySpec = {
    method,
    base: resolveScenario({ durationS: 0.2, ...o.base }),
    params: parseParams(paramsText(o.params ?? 'all')),
    outputs: (o.outputs ?? ['crossover', 'ratio@32']).map(parseOutput),
    models: [...(o.models ?? ['per-device', 'per-cpu'])] as [ModelName, ModelName],
    vmsList: [...new Set(o.vmsList ?? [1, 2, 4, 8, 16, 32])].sort((a, b) => a - b),
    seeds: o.seeds ?? 2,
    trajectories: o.trajectories ?? 10,
    levels: o.levels ?? 4,
    samples,
    designSeed: o.designSeed ?? 1,
    bootstrap: o.bootstrap ?? 1000,
  };
  if (method === 'sobol' && 2 * spec.params.length > SOBOL_MAX_DIMS)
    bad('params', spec.params.length, `at most ${SOBOL_MAX_DIMS / 2} parameters for a Sobol' study`);
  if (spec.levels % 2 !== 0) bad('levels', spec.levels, 'an even number');
  const aliased = method === 'sobol' ? saltelliProblem(spec.params.length, samples) : null;
  if (aliased !== null) throw new ScenarioError('samples', samples, 'a larger N', `samples: ${aliased}`);
  const points = studyPoints(spec);
  const run = await executeSweep({
    grid: studyGrid(spec, points),
    jobs: o.jobs ?? 1,
    executor: o.executor,
    onProgress: o.onProgress === undefined ? undefined : (done, total) => o.onProgress?.(done, total),
  });
  if (run.failed.length > 0) {
    const f = run.failed[0];
    throw new Error(`${run.failed.length} runs failed; first: ${f?.model} at ${f?.vms} VMs: ${f?.error}`);
  }
  return analyseStudy(spec, points, (i) => (run.points[i] as (typeof run.points)[number]).metrics);
}
