/**
 * The estimate and bounds of the run, sweep and reproduce commands (issue 22 item 5): `--estimate`
 * prints the work and stops; otherwise work estimated at ESTIMATE_NOTE_S or more is announced on stderr
 * before it starts, and work past `--max-hours` or the machine's memory is refused (exit 2, one line).
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option } from 'commander';
import type { Scenario } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { checkEstimate, DEFAULT_MAX_HOURS, DEFAULT_MAX_RUNS, MAX_RUNS_CEILING } from '../sweep/bounds.ts';
import { describeEstimate, estimateWork, type WorkEstimate } from '../sweep/estimate.ts';

/** Work estimated at this many wall seconds or more is announced before it starts. */
export const ESTIMATE_NOTE_S = 10;

export interface EstimateOpts {
  estimate: boolean;
  maxHours: number;
  executor: ExecutorKind;
}

const positive = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0) || !Number.isFinite(n))
    throw new InvalidArgumentError('expected a positive number.');
  return n;
};

export function estimateOptions(): Option[] {
  return [
    new Option('--estimate', 'print the runs, events, wall time and memory it would take, then stop').default(
      false,
    ),
    new Option('--max-hours <h>', 'refuse work estimated to take longer than this (wall hours)')
      .argParser(positive)
      .default(DEFAULT_MAX_HOURS),
  ];
}

export function maxRunsOption(): Option {
  return new Option(
    '--max-runs <n>',
    `refuse sweeps of more runs (grid points x reps; at most ${MAX_RUNS_CEILING.toLocaleString('en-US')})`,
  )
    .argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError('expected a whole number of at least 1.');
      return n;
    })
    .default(DEFAULT_MAX_RUNS);
}

/**
 * Estimate `scenarios` x `reps` on `jobs` (or, `onQueue`, on a queue's workers), then print or refuse.
 * Returns the estimate, or undefined when the command should stop here (`--estimate`).
 */
export function estimateOrRefuse(
  label: string,
  scenarios: readonly Scenario[],
  o: EstimateOpts & { reps?: number; jobs?: number; onQueue?: boolean },
): WorkEstimate | undefined {
  const cores = availableParallelism();
  const e: WorkEstimate = estimateWork(scenarios, {
    reps: o.reps ?? 1,
    jobs: o.onQueue ? 1 : (o.jobs ?? 1),
    cores,
    executor: o.executor,
    now: () => performance.now(),
    // Unless it is asked for, work surely below the note's threshold is not measured closely (≈ 1 s).
    ...(o.estimate ? {} : { quickBelowS: ESTIMATE_NOTE_S }),
  });
  const where = o.onQueue ? ' (on one job; divide by the queue workers)' : '';
  if (o.estimate) {
    process.stdout.write(`vhost-sim ${label}: estimate: ${describeEstimate(e)}${where}\n`);
    return undefined;
  }
  checkEstimate(e, o.maxHours);
  if (!e.exact && e.wallS >= ESTIMATE_NOTE_S)
    process.stderr.write(`vhost-sim ${label}: estimate: ${describeEstimate(e)}${where}\n`);
  return e;
}
