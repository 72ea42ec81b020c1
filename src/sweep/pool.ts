/**
 * Runs sweep tasks on worker threads (piscina). Results are returned by input index, never by completion
 * order, so the output is the same whatever the number of jobs.
 */
import type { Scenario } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { type PointOutcome, type PointTask, toPointError } from './task.ts';

export interface PoolOptions {
  jobs: number;
  executor?: ExecutorKind;
  onDone?: (index: number, outcome: PointOutcome) => void;
}

export async function runOnWorkers(
  scenarios: readonly Scenario[],
  options: PoolOptions,
): Promise<PointOutcome[]> {
  const { Piscina } = await import('piscina');
  const threads = Math.max(1, Math.min(options.jobs, scenarios.length));
  const pool = new Piscina<PointTask, PointOutcome>({
    filename: new URL('./worker.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Each task holds a whole simulation: one at a time per thread.
    concurrentTasksPerWorker: 1,
  });
  const outcomes = new Array<PointOutcome>(scenarios.length);
  try {
    await Promise.all(
      scenarios.map(async (scenario, index) => {
        let outcome: PointOutcome;
        try {
          outcome = await pool.run({ scenario, executor: options.executor });
        } catch (err) {
          // The worker itself died (crash, exit, out of memory): the point failed, the sweep goes on.
          outcome = { ok: false, error: toPointError(err) };
        }
        outcomes[index] = outcome;
        options.onDone?.(index, outcome);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return outcomes;
}
