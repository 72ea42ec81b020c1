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
  /** A policy module's file URL: each worker thread imports it (see src/policies/module.ts). */
  policyModule?: string;
  onDone?: (index: number, outcome: PointOutcome) => void;
}

/**
 * A rough measure of a point's simulation work, to start the longest points first: events grow with the
 * instances running and the virtual time simulated. Only the order of the estimates matters.
 */
export function estimatedWork(s: Scenario): number {
  return s.vms * s.workload.instances * (s.warmupS + s.durationS);
}

/**
 * Indices in the order to submit them: longest first (LPT), so the last points to finish are short ones
 * and no worker is left alone with a long point at the end; grid order among equals.
 */
export function submissionOrder(scenarios: readonly Scenario[]): number[] {
  const work = scenarios.map(estimatedWork);
  return scenarios.map((_, i) => i).sort((a, b) => work[b] - work[a] || a - b);
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
      submissionOrder(scenarios).map(async (index) => {
        const scenario = scenarios[index];
        let outcome: PointOutcome;
        try {
          outcome = await pool.run({
            scenario,
            executor: options.executor,
            policyModule: options.policyModule,
          });
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
