/**
 * A sweep from grid to points: expands replications into runs, skips runs already in the journal
 * (`--resume`), runs the rest through `runPoints`, journals each as it finishes, and folds replications
 * into mean metrics with 95 % confidence intervals. Everything returned is ordered by grid index and
 * replication, never by completion, so it is the same whatever `jobs` and however often it resumed.
 */
import { ci95 } from '../metrics/stats.ts';
import type { Metrics } from '../metrics/summary.ts';
import type { ModelName, Scenario } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { Journal, type JournalEntry } from './journal.ts';
import type { QueueTarget } from './queue.ts';
import { type GridPoint, type MainMetric, mainMetrics, runPoints, type SweepPoint } from './sweep.ts';
import type { PointError } from './task.ts';

export interface ExecuteSweepOptions {
  grid: readonly GridPoint[];
  /** Seeds per point: seed, seed + 1, ... (default 1). */
  reps?: number;
  jobs?: number;
  executor?: ExecutorKind;
  /** Run on a BullMQ queue in Redis instead of local threads (see runPoints). */
  queue?: QueueTarget;
  /** Results folder holding points.jsonl; without it nothing is journaled. */
  outDir?: string;
  /** Reuse the runs already journaled in `outDir`. */
  resume?: boolean;
  /** Replace a journal in `outDir` that belongs to another sweep (`--force`). */
  force?: boolean;
  /** Told of what the journal skipped (torn lines). */
  onWarning?: (message: string) => void;
  /** After each run finishes (or is found in the journal): runs done so far of `total`. */
  onProgress?: (done: number, total: number, fromJournal: boolean) => void;
}

export interface FailedPoint {
  index: number;
  model: ModelName;
  vms: number;
  axes?: Record<string, unknown>;
  /** Replication and seed of the first failed run of this point. */
  rep: number;
  seed: number;
  error: string;
}

export interface SweepExecution {
  /** Points whose every replication succeeded, in grid order. */
  points: SweepPoint[];
  /** Points with a failed replication, in grid order. */
  failed: FailedPoint[];
  /** Kernel events over all successful runs. */
  events: number;
  runs: number;
  /** Runs taken from the journal rather than computed. */
  resumedRuns: number;
}

/** The scenario of replication `rep` of a grid point. */
export function repScenario(point: GridPoint, rep: number): Scenario {
  return rep === 0 ? point.scenario : { ...point.scenario, seed: point.scenario.seed + rep };
}

const round = (x: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Field-by-field mean of several metrics objects of the same shape (strings taken from the first). */
function meanOf(values: readonly unknown[]): unknown {
  const first = values[0];
  if (typeof first === 'number')
    return round(values.reduce<number>((a, v) => a + (v as number), 0) / values.length);
  if (Array.isArray(first)) return first.map((_, i) => meanOf(values.map((v) => (v as unknown[])[i])));
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(first)) out[k] = meanOf(values.map((v) => (v as Record<string, unknown>)[k]));
    return out;
  }
  return first;
}

export function meanMetrics(ms: readonly Metrics[]): Metrics {
  return (ms.length === 1 ? ms[0] : meanOf(ms)) as Metrics;
}

export function confidence(ms: readonly Metrics[]): Record<MainMetric, { low: number; high: number }> {
  const out = {} as Record<MainMetric, { low: number; high: number }>;
  for (const [name, pick] of Object.entries(mainMetrics) as [MainMetric, (m: Metrics) => number][]) {
    const ci = ci95(ms.map(pick));
    out[name] = { low: round(ci.low), high: round(ci.high) };
  }
  return out;
}

export async function executeSweep(o: ExecuteSweepOptions): Promise<SweepExecution> {
  const reps = Math.max(1, Math.floor(o.reps ?? 1));
  const grid = o.grid;
  const withAxes = grid.some((g) => Object.keys(g.axes).length > 0);
  const total = grid.length * reps;
  const journal =
    o.outDir === undefined
      ? undefined
      : Journal.open(
          o.outDir,
          o.resume ?? false,
          (index, rep) =>
            index >= 0 && index < grid.length && rep >= 0 && rep < reps
              ? repScenario(grid[index], rep)
              : undefined,
          { force: o.force ?? false, warn: o.onWarning },
        );
  const entries = new Array<JournalEntry | undefined>(total);
  const head = (index: number, rep: number) => {
    const g = grid[index];
    const h: Pick<JournalEntry, 'index' | 'rep' | 'model' | 'vms' | 'axes' | 'seed'> = {
      index,
      rep,
      model: g.model,
      vms: g.vms,
      seed: g.scenario.seed + rep,
    };
    if (withAxes) h.axes = g.axes;
    return h;
  };

  try {
    // Runs to compute: those not already journaled.
    const todo: { index: number; rep: number; scenario: Scenario }[] = [];
    let done = 0;
    let resumedRuns = 0;
    for (let index = 0; index < grid.length; index++) {
      for (let rep = 0; rep < reps; rep++) {
        const old = journal?.get(index, rep);
        if (old !== undefined) {
          entries[index * reps + rep] = old;
          resumedRuns++;
        } else todo.push({ index, rep, scenario: repScenario(grid[index], rep) });
      }
    }
    if (resumedRuns > 0) {
      done = resumedRuns;
      o.onProgress?.(done, total, true);
    }

    await runPoints(
      todo.map((t) => t.scenario),
      {
        jobs: o.jobs,
        executor: o.executor,
        queue: o.queue,
        onDone: (i, outcome) => {
          const t = todo[i];
          const e: JournalEntry = outcome.ok
            ? {
                ...head(t.index, t.rep),
                ok: true,
                scenario: outcome.result.scenario,
                metrics: outcome.result.metrics,
                events: outcome.result.events,
              }
            : { ...head(t.index, t.rep), ok: false, scenario: t.scenario, error: outcome.error };
          journal?.append(e);
          entries[t.index * reps + t.rep] = e;
          o.onProgress?.(++done, total, false);
        },
      },
    );

    const points: SweepPoint[] = [];
    const failed: FailedPoint[] = [];
    let events = 0;
    grid.forEach((g, index) => {
      const runs = entries.slice(index * reps, (index + 1) * reps) as JournalEntry[];
      const bad = runs.find((e) => !e.ok);
      if (bad !== undefined && !bad.ok) {
        const f: FailedPoint = {
          index,
          model: g.model,
          vms: g.vms,
          rep: bad.rep,
          seed: bad.seed,
          error: describeError(bad.error),
        };
        if (withAxes) f.axes = g.axes;
        failed.push(f);
        return;
      }
      const ok = runs as Extract<JournalEntry, { ok: true }>[];
      for (const e of ok) events += e.events;
      const metrics = ok.map((e) => e.metrics);
      // Built field by field so the JSON keeps this key order.
      const p = { model: g.model, vms: g.vms, workload: g.scenario.workload.kind } as SweepPoint;
      if (withAxes) p.axes = g.axes;
      if (reps > 1) p.reps = reps;
      p.scenario = ok[0].scenario;
      p.metrics = meanMetrics(metrics);
      if (reps > 1) {
        p.ci95 = confidence(metrics);
        const { throughput, efficiency } = mainMetrics;
        p.bySeed = { throughput: metrics.map(throughput), efficiency: metrics.map(efficiency) };
      }
      points.push(p);
    });
    journal?.finish(entries as JournalEntry[]);
    return { points, failed, events, runs: total, resumedRuns };
  } finally {
    journal?.close();
  }
}

export const describeError = (e: PointError) =>
  e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
