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
import type { QueueTarget } from './queueTarget.ts';
import { type GridPoint, type MainMetric, mainMetrics, runPoints, type SweepPoint } from './sweep.ts';
import type { PointError } from './task.ts';

export interface ExecuteSweepOptions {
  grid: readonly GridPoint[];
  /** Seeds per point: seed, seed + 1, ... (default 1). */
  reps?: number;
  jobs?: number;
  /** Worker threads even for one job (see runPoints). */
  isolate?: boolean;
  executor?: ExecutorKind;
  /** Run on a BullMQ queue in Redis instead of local threads (see runPoints). */
  queue?: QueueTarget;
  /** A policy module used instead of each point's model (see runPoints). */
  policyModule?: string;
  /** Results folder holding points.jsonl; without it nothing is journaled. */
  outDir?: string;
  /**
   * With `outDir`: keep only each run's scalar metrics in memory (the arrays per core and per VM stay in
   * the journal), and give the whole points back from the journal, one at a time (`fullPoints`).
   */
  stream?: boolean;
  /** Reuse the runs already journaled in `outDir`. */
  resume?: boolean;
  /** Replace a journal in `outDir` that belongs to another sweep (`--force`). */
  force?: boolean;
  /** Told of what the journal skipped (torn lines). */
  onWarning?: (message: string) => void;
  /** After each run finishes (or is found in the journal): runs done so far of `total`. */
  onProgress?: (done: number, total: number, fromJournal: boolean) => void;
  /**
   * Refinement (`--refine`): after each round, the points to add given the points so far and the grid
   * (empty: done). Added points get the next grid indices, so they journal and resume like the others.
   */
  refine?: (points: readonly SweepPoint[], grid: readonly GridPoint[]) => GridPoint[];
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
  /** The grid that ran: the one given, then the points each refinement round added. */
  grid: GridPoint[];
  /** Points whose every replication succeeded, in grid order. */
  points: SweepPoint[];
  /** Points with a failed replication, in grid order. */
  failed: FailedPoint[];
  /** Kernel events over all successful runs. */
  events: number;
  runs: number;
  /** Runs taken from the journal rather than computed. */
  resumedRuns: number;
  /**
   * With `stream`: the points as `points` has them but with every metric, read back from the journal
   * one point at a time (`points` then lack the metrics' arrays).
   */
  fullPoints?: () => Generator<SweepPoint>;
}

/** The scalars of a run's metrics: the arrays (per core, per VM) dropped at every depth. */
function scalars<T>(m: T): T {
  if (m === null || typeof m !== 'object') return m;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (!Array.isArray(v)) out[k] = scalars(v);
  return out as T;
}

/**
 * `ran` as the scenario a result records, but the object the grid holds when they are the same (they
 * are, unless a policy or the simulator changed it), so that a finished run keeps no copy of its
 * scenario in memory until the sweep ends (about 3 KB of JSON, several times that as objects).
 */
const same = (ran: Scenario, asked: Scenario) =>
  JSON.stringify(ran) === JSON.stringify(asked) ? asked : ran;

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

/** 95 % CIs of the main metrics; a metric the runs do not have (a stream's latency) gets none. */
export function confidence(
  ms: readonly Metrics[],
): Partial<Record<MainMetric, { low: number; high: number }>> {
  const out: Partial<Record<MainMetric, { low: number; high: number }>> = {};
  for (const [name, pick] of Object.entries(mainMetrics) as [MainMetric, (m: Metrics) => number | null][]) {
    const values = ms.map(pick);
    if (values.some((v) => v === null)) continue;
    const ci = ci95(values as number[]);
    out[name] = { low: round(ci.low), high: round(ci.high) };
  }
  return out;
}

/** Rounds of refinement at most: each halves the gaps it refines, so 8 takes a gap of 256 VMs to one. */
const MAX_REFINE_ROUNDS = 8;

export async function executeSweep(o: ExecuteSweepOptions): Promise<SweepExecution> {
  const reps = Math.max(1, Math.floor(o.reps ?? 1));
  const grid = [...o.grid];
  const withAxes = grid.some((g) => Object.keys(g.axes).length > 0);
  const given = grid.length;
  const slim = o.stream === true && o.outDir !== undefined;
  /** What is kept of a run in memory until the end (the journal has it whole). */
  const keep = (e: JournalEntry): JournalEntry => (slim && e.ok ? { ...e, metrics: scalars(e.metrics) } : e);
  // An unreachable Redis is reported before the results folder is locked or its journal set aside.
  if (o.queue !== undefined && grid.length > 0) {
    const { checkQueueReachable } = await import('./queue.ts');
    await checkQueueReachable(o.queue.url);
  }
  const journal =
    o.outDir === undefined
      ? undefined
      : Journal.open(
          o.outDir,
          o.resume ?? false,
          (index, rep) => {
            if (rep < 0 || rep >= reps || index < 0) return undefined;
            if (index < given) return repScenario(grid[index], rep);
            return o.refine !== undefined ? 'later' : undefined;
          },
          { force: o.force ?? false, warn: o.onWarning },
        );
  const entries: (JournalEntry | undefined)[] = [];
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
  let done = 0;
  let resumedRuns = 0;

  /** Run (or take from the journal) the runs of grid points `from` to the end. */
  const runFrom = async (from: number) => {
    const todo: { index: number; rep: number; scenario: Scenario }[] = [];
    let resumed = 0;
    for (let index = from; index < grid.length; index++) {
      for (let rep = 0; rep < reps; rep++) {
        const scenario = repScenario(grid[index], rep);
        const old = journal?.take(index, rep, scenario);
        if (old !== undefined) {
          // The journal checked that its scenario is this one: keep ours, not a second copy.
          entries[index * reps + rep] = keep({ ...old, scenario });
          resumed++;
        } else todo.push({ index, rep, scenario });
      }
    }
    const total = grid.length * reps;
    if (resumed > 0) {
      resumedRuns += resumed;
      done += resumed;
      o.onProgress?.(done, total, true);
    }
    await runPoints(
      todo.map((t) => t.scenario),
      {
        jobs: o.jobs,
        isolate: o.isolate,
        executor: o.executor,
        queue: o.queue,
        policyModule: o.policyModule,
        onWarning: o.onWarning,
        onDone: (i, outcome) => {
          const t = todo[i];
          const e: JournalEntry = outcome.ok
            ? {
                ...head(t.index, t.rep),
                ok: true,
                scenario: same(outcome.result.scenario, t.scenario),
                metrics: outcome.result.metrics,
                events: outcome.result.events,
              }
            : { ...head(t.index, t.rep), ok: false, scenario: t.scenario, error: outcome.error };
          journal?.append(e);
          entries[t.index * reps + t.rep] = keep(e);
          o.onProgress?.(++done, total, false);
        },
      },
    );
  };

  try {
    await runFrom(0);
    for (let round = 0; o.refine !== undefined && round < MAX_REFINE_ROUNDS; round++) {
      const extra = o.refine(fold(grid, given, entries, reps, withAxes).points, grid);
      if (extra.length === 0) break;
      const from = grid.length;
      grid.push(...extra);
      await runFrom(from);
    }
    const { points, failed, events } = fold(grid, given, entries, reps, withAxes);
    const runs = grid.length * reps;
    if (!slim || journal === undefined) {
      journal?.finish(entries as JournalEntry[]);
      return { grid, points, failed, events, runs, resumedRuns };
    }
    journal.finishFromFile();
    const j = journal;
    const fullPoints = function* (): Generator<SweepPoint> {
      for (const index of displayOrder(grid, given)) {
        const whole = Array.from({ length: reps }, (_, rep) => j.read(index, rep));
        if (whole.every((e) => e?.ok === true))
          yield pointOf(grid[index], whole as Extract<JournalEntry, { ok: true }>[], reps, withAxes);
      }
    };
    return { grid, points, failed, events, runs, resumedRuns, fullPoints };
  } finally {
    journal?.close();
  }
}

/** Fold the runs of every grid point into its point (mean, CIs, per seed), or its failure. */
function fold(
  grid: readonly GridPoint[],
  given: number,
  entries: readonly (JournalEntry | undefined)[],
  reps: number,
  withAxes: boolean,
): { points: SweepPoint[]; failed: FailedPoint[]; events: number } {
  const points: SweepPoint[] = [];
  const failed: FailedPoint[] = [];
  let events = 0;
  for (const index of displayOrder(grid, given)) {
    const g = grid[index];
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
      continue;
    }
    const ok = runs as Extract<JournalEntry, { ok: true }>[];
    for (const e of ok) events += e.events;
    points.push(pointOf(g, ok, reps, withAxes));
  }
  return { points, failed, events };
}

/** A grid point's runs folded into its point: the mean, and with replications the CIs and each seed. */
function pointOf(
  g: GridPoint,
  ok: readonly Extract<JournalEntry, { ok: true }>[],
  reps: number,
  withAxes: boolean,
): SweepPoint {
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
  return p;
}

/**
 * Grid indices in the order points are reported: the grid's own order, except that once a refinement
 * added points, each (workload, axes, model) lists its points by VM count.
 */
function displayOrder(grid: readonly GridPoint[], given: number): number[] {
  const all = grid.map((_, i) => i);
  if (grid.length === given) return all;
  const byKey = new Map<string, number[]>();
  for (const i of all) {
    const g = grid[i];
    const k = JSON.stringify([g.scenario.workload.kind, g.axes, g.model]);
    byKey.set(k, [...(byKey.get(k) ?? []), i]);
  }
  return [...byKey.values()].flatMap((idx) => idx.sort((x, y) => grid[x].vms - grid[y].vms || x - y));
}

export const describeError = (e: PointError) =>
  e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
