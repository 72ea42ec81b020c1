/**
 * Bounds on the work a command takes on before anything runs (issue 22 item 5): the grid's size and
 * replications (`--max-runs`), the worker threads (`--jobs`), the estimated wall time (`--max-hours`).
 * A grid is counted before it is built, so a 2,000,000-point grid is refused in microseconds rather
 * than after 40 s and gigabytes. Each refusal is one line naming the field and the override.
 */
import { availableParallelism, totalmem } from 'node:os';
import { ScenarioError } from '../scenario/schema.ts';
import {
  describeEstimate,
  readableBytes,
  readableDuration,
  THREAD_BYTES,
  type WorkEstimate,
} from './estimate.ts';
import type { SweepSpec } from './sweep.ts';

/** Runs (grid points x replications) a sweep may have without `--max-runs`. */
export const DEFAULT_MAX_RUNS = 10_000;
/**
 * `--max-runs` itself stops here: every finished run keeps its scalar metrics until the sweep's end
 * (RESULT_BYTES, about 8 KB), and the crossover and the tables are built from them all.
 */
export const MAX_RUNS_CEILING = 1_000_000;
/** Estimated wall hours a command may take without `--max-hours`. */
export const DEFAULT_MAX_HOURS = 24;

/** Grid points of `spec`, counted without building it. */
export function gridSize(spec: {
  models: readonly unknown[];
  vmsList: readonly number[];
  axes?: readonly { values: readonly unknown[] }[];
  workloads?: readonly unknown[];
}): number {
  const axes = (spec.axes ?? []).reduce((n, a) => n * a.values.length, 1);
  return (spec.workloads?.length ?? 1) * axes * spec.models.length * spec.vmsList.length;
}

function refuse(field: string, value: unknown, expected: string, message: string): never {
  throw new ScenarioError(field, value, expected, message);
}

/** Refuse `points x reps` runs above `maxRuns`, naming what makes it so big. */
export function checkRuns(
  spec: Pick<SweepSpec, 'models' | 'vmsList' | 'axes' | 'workloads'>,
  reps: number,
  maxRuns = DEFAULT_MAX_RUNS,
): void {
  if (!(maxRuns >= 1 && maxRuns <= MAX_RUNS_CEILING))
    refuse(
      '--max-runs',
      maxRuns,
      `1..${MAX_RUNS_CEILING}`,
      `--max-runs: expected 1..${MAX_RUNS_CEILING.toLocaleString('en-US')}, got ${maxRuns}`,
    );
  const points = gridSize(spec);
  const runs = points * reps;
  if (runs <= maxRuns) return;
  const limit = `more than the limit of ${maxRuns.toLocaleString('en-US')} runs (--max-runs N allows up to N, at most ${MAX_RUNS_CEILING.toLocaleString('en-US')})`;
  if (reps > 1 && points <= maxRuns) {
    refuse(
      '--reps',
      reps,
      `at most ${Math.floor(maxRuns / points)}`,
      `--reps: ${reps} replications x ${points} points = ${runs.toLocaleString('en-US')} runs, ${limit}`,
    );
  }
  const dims = [
    ...(spec.workloads !== undefined && spec.workloads.length > 1
      ? [`${spec.workloads.length} workloads`]
      : []),
    ...(spec.axes ?? []).map((a) => `${a.values.length} values of ${a.path}`),
    `${spec.models.length} model${spec.models.length === 1 ? '' : 's'}`,
    `${spec.vmsList.length} VM count${spec.vmsList.length === 1 ? '' : 's'}`,
  ];
  refuse(
    'grid',
    points,
    `at most ${maxRuns} points`,
    `grid: ${dims.join(' x ')} = ${points.toLocaleString('en-US')} points${reps > 1 ? ` x ${reps} reps` : ''}, ${limit}`,
  );
}

/** Worker threads this machine can hold: half its memory at THREAD_BYTES each, at least its cores. */
export function maxJobs(memory = totalmem(), cores = availableParallelism()): number {
  return Math.max(cores, Math.min(1024, Math.floor(memory / 2 / THREAD_BYTES)));
}

/** Refuse more worker threads than the machine can hold. */
export function checkJobs(jobs: number, memory = totalmem(), cores = availableParallelism()): void {
  const max = maxJobs(memory, cores);
  if (jobs <= max) return;
  refuse(
    '--jobs',
    jobs,
    `at most ${max}`,
    `--jobs: ${jobs} threads need about ${readableBytes(jobs * THREAD_BYTES)} (${readableBytes(THREAD_BYTES)} each); this machine (${readableBytes(memory)}, ${cores} cores) holds at most ${max}`,
  );
}

/** Refuse work estimated above `maxHours` of wall time or above the machine's memory. */
export function checkEstimate(e: WorkEstimate, maxHours = DEFAULT_MAX_HOURS, memory = totalmem()): void {
  if (!(maxHours > 0))
    refuse(
      '--max-hours',
      maxHours,
      'a positive number',
      `--max-hours: expected a positive number, got ${maxHours}`,
    );
  if (e.wallS > maxHours * 3600)
    refuse(
      '--max-hours',
      maxHours,
      `at least ${Math.ceil(e.wallS / 3600)}`,
      `--max-hours: estimated ${readableDuration(e.wallS)} (${describeEstimate(e)}), more than ${maxHours} h; pass --max-hours ${Math.ceil(e.wallS / 3600)} to run it anyway, or make it smaller`,
    );
  if (e.memoryBytes > memory)
    refuse(
      'memory',
      e.memoryBytes,
      `at most ${memory}`,
      `memory: estimated ${readableBytes(e.memoryBytes)} (${describeEstimate(e)}), more than this machine's ${readableBytes(memory)}; use fewer --jobs, fewer runs or fewer VMs`,
    );
}
