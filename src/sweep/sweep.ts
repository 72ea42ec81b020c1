import {
  type CrossoverPoint,
  type CrossoverStatement,
  crossings,
  crossoverStatement,
  DEFAULT_TIE_TOLERANCE,
  seedSummary,
} from '../metrics/crossover.ts';
import type { Metrics } from '../metrics/summary.ts';
import type { ModelName, Scenario, WorkloadKind } from '../model/scenario.ts';
import { loadPolicyModule, PolicyModuleError, policyModuleUrl } from '../policies/module.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import type { RunResult } from '../runtime/runScenario.ts';
import { parseValue, setPath } from '../scenario/resolve.ts';
import { ScenarioError, validateScenario } from '../scenario/schema.ts';
import { distinctRuns } from './distinct.ts';
import { runOnWorkers } from './pool.ts';
import type { QueueTarget } from './queueTarget.ts';
import { type PointError, type PointOutcome, runPointTask } from './task.ts';

/** An extra sweep dimension: a scenario path and the values it takes. */
export interface SweepAxis {
  path: string;
  values: unknown[];
}

export interface SweepSpec {
  /** The resolved base scenario every point starts from. */
  base: Scenario;
  models: ModelName[];
  vmsList: number[];
  axes?: SweepAxis[];
  /** Workload kinds to run (default: the base scenario's). */
  workloads?: WorkloadKind[];
}

/** One grid point before it runs. `axes` maps each axis path to this point's value. */
export interface GridPoint {
  model: ModelName;
  vms: number;
  axes: Record<string, unknown>;
  scenario: Scenario;
}

/** One grid point after it ran, as it appears in sweep JSON (`axes` only when the sweep has axes). */
export interface SweepPoint {
  model: ModelName;
  vms: number;
  workload: WorkloadKind;
  axes?: Record<string, unknown>;
  /** Replications averaged into `metrics` (seeds seed, seed+1, ...); present only when more than one. */
  reps?: number;
  /** The scenario of the first replication. */
  scenario: Scenario;
  /** The metrics, or with replications their mean. */
  metrics: Metrics;
  /** 95 % confidence intervals (Student t) of the main metrics over the replications (reps > 1 only). */
  ci95?: Partial<Record<MainMetric, { low: number; high: number }>>;
  /** Each replication's throughput and efficiency, in seed order (reps > 1 only): per-seed crossovers. */
  bySeed?: { throughput: number[]; efficiency: number[] };
}

/** The metrics that get confidence intervals. */
export type MainMetric =
  | 'throughput'
  | 'efficiency'
  | 'latencyP50Us'
  | 'latencyP99Us'
  | 'cpuUtilization'
  | 'contextSwitchesPerSec';

/** How each main metric is read from a run's metrics (null: none, as a stream's latency). */
export const mainMetrics = {
  throughput: (m: Metrics) => m.throughput.value,
  efficiency: (m: Metrics) => m.efficiency.value,
  latencyP50Us: (m: Metrics) => m.latencyUs.p50,
  latencyP99Us: (m: Metrics) => m.latencyUs.p99,
  cpuUtilization: (m: Metrics) => m.cpuUtilization,
  contextSwitchesPerSec: (m: Metrics) =>
    m.contextSwitchesPerSec.voluntary + m.contextSwitchesPerSec.involuntary,
} as const satisfies Record<MainMetric, (m: Metrics) => number | null>;

/** The two metrics every crossover statement is made for. */
export type CrossoverMetric = 'throughput' | 'efficiency';

/** Each seed's crossings of its own curves (seed k of per-device against seed k of per-cpu), summarized. */
export interface SeedCrossings {
  crossings: number[][];
  text: string;
}

export interface CrossoverEntry {
  /** What per-cpu does against per-device in throughput (`crossoverStatement`). */
  throughput: CrossoverStatement;
  /** The same for efficiency. */
  efficiency: CrossoverStatement;
  /** With replications: how far the statement of the mean curves can be trusted, seed by seed. */
  bySeed?: { throughput: SeedCrossings; efficiency: SeedCrossings };
  /** The other axes' values of this group (only when the sweep has axes). */
  axes?: Record<string, unknown>;
}

/**
 * Split `a,b,[1,2],{"x":1,"y":2}` at top-level commas (commas inside brackets, braces or double
 * quotes do not split), so axis values can be JSON arrays or objects.
 */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

/** Parse `--axis path=v1,v2,...` (each value JSON when it parses, else a string). */
export function parseAxis(text: string): SweepAxis {
  const eq = text.indexOf('=');
  const path = eq > 0 ? text.slice(0, eq).trim() : '';
  const values = eq > 0 ? splitTopLevel(text.slice(eq + 1)).filter((v) => v.length > 0) : [];
  if (path === '' || values.length === 0) {
    throw new ScenarioError(
      '--axis',
      text,
      'path=v1,v2,...',
      `--axis: expected path=v1,v2,..., got '${text}'`,
    );
  }
  if (path === 'model' || path === 'vms') {
    throw new ScenarioError(
      '--axis',
      text,
      'a path other than model and vms',
      `--axis ${path}: use --${path === 'model' ? 'models' : 'vms-list'} for this dimension`,
    );
  }
  return { path, values: values.map(parseValue) };
}

function cartesian(axes: readonly SweepAxis[]): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const axis of axes) {
    combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.path]: v })));
  }
  return combos;
}

/**
 * The grid in its deterministic order: workloads, then axis combinations (first axis outermost), then
 * models in the order given, then VM counts in the order given. Every point is validated (ScenarioError
 * on the first bad one).
 */
export function buildGrid(spec: SweepSpec): GridPoint[] {
  const points: GridPoint[] = [];
  for (const kind of spec.workloads ?? [spec.base.workload.kind]) {
    for (const axes of cartesian(spec.axes ?? [])) {
      for (const model of spec.models) {
        for (const vms of spec.vmsList) {
          const s = structuredClone(spec.base);
          s.workload.kind = kind;
          s.model = model;
          s.vms = vms;
          for (const [path, value] of Object.entries(axes))
            setPath(s as unknown as Record<string, unknown>, path, value);
          points.push({ model, vms, axes, scenario: validateScenario(s) });
        }
      }
    }
  }
  return points;
}

export interface RunPointsOptions {
  /** Parallel jobs: 1 runs in this thread, more run on that many worker threads. Default 1. */
  jobs?: number;
  executor?: ExecutorKind;
  /** Called as each point finishes (in completion order, which varies with `jobs`). */
  onDone?: (index: number, outcome: PointOutcome) => void;
  /** Run the points as jobs on a BullMQ queue in Redis (served by `vhost-sim worker`); `jobs` is then unused. */
  queue?: QueueTarget;
  /**
   * A policy module (a path relative to the working directory, or a file URL) used instead of each
   * scenario's model; every worker thread imports it (src/policies/module.ts). Not with `queue`.
   */
  policyModule?: string;
  /** Told of what the queue recovered from (jobs that vanished from Redis and were queued again). */
  onWarning?: (message: string) => void;
  /**
   * Run on worker threads even with one job or one point, so this thread stays free (a CLI handling
   * Ctrl-C during a long sweep); the results are the same bytes.
   */
  isolate?: boolean;
}

export interface RunPointsOutcome {
  /** Every point's outcome, by input index. */
  outcomes: PointOutcome[];
  /** Results of the points that succeeded, in input order. */
  results: RunResult[];
  /** The points that failed, in input order; the others still ran. */
  failures: { index: number; error: PointError }[];
}

/**
 * The single place that runs a batch of scenarios: in this thread (`jobs` 1), on worker threads, or (with
 * `queue`) as jobs on a Redis queue served by `vhost-sim worker` processes on any machine. A
 * point that throws, or whose worker dies, is recorded as failed and the others go on. Outcomes are
 * ordered by input index, so results are byte-identical whatever `jobs`. Identical scenarios (a Morris
 * design revisits grid points) are simulated once and share one outcome, as queue jobs share a job id.
 */
export async function runPoints(
  scenarios: readonly Scenario[],
  options: RunPointsOptions = {},
): Promise<RunPointsOutcome> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  let outcomes: PointOutcome[];
  const policyModule = options.policyModule === undefined ? undefined : policyModuleUrl(options.policyModule);
  if (policyModule !== undefined && options.queue !== undefined)
    throw new PolicyModuleError(
      '--policy cannot be used with --queue: queue workers on other machines have not got the module, and job ids do not name it',
    );
  if (policyModule !== undefined) await loadPolicyModule(policyModule); // a bad module fails here, once
  if (options.queue !== undefined) {
    const { runOnQueue } = await import('./queue.ts');
    outcomes = await runOnQueue(scenarios, {
      ...options.queue,
      executor: options.executor,
      onDone: options.onDone,
      onWarning: options.onWarning,
    });
  } else {
    // Identical scenarios run once (the queue does the same by job id): each index takes the outcome of
    // its group's first, the lowest index.
    const groups = [...distinctRuns(scenarios).values()];
    const firstOf = new Array<number>(scenarios.length);
    for (const g of groups) for (const i of g) firstOf[i] = g[0];
    const all = new Array<PointOutcome>(scenarios.length);
    const give = (i: number, outcome: PointOutcome) => {
      all[i] = outcome;
      options.onDone?.(i, outcome);
    };
    if (!options.isolate && (jobs === 1 || groups.length <= 1)) {
      // In this thread, in input order.
      for (let i = 0; i < scenarios.length; i++)
        give(
          i,
          firstOf[i] === i
            ? await runPointTask({ scenario: scenarios[i], executor: options.executor, policyModule })
            : all[firstOf[i]],
        );
    } else {
      await runOnWorkers(
        groups.map((g) => scenarios[g[0]]),
        {
          jobs,
          executor: options.executor,
          policyModule,
          onDone: (d, outcome) => {
            for (const i of groups[d]) give(i, outcome);
          },
        },
      );
    }
    outcomes = all;
  }
  const results: RunResult[] = [];
  const failures: { index: number; error: PointError }[] = [];
  outcomes.forEach((o, index) => {
    if (o.ok) results.push(o.result);
    else failures.push({ index, error: o.error });
  });
  return { outcomes, results, failures };
}

/** Combine grid points with their results (`results[i]` belongs to `grid[i]`). */
export function toSweepPoints(grid: readonly GridPoint[], results: readonly RunResult[]): SweepPoint[] {
  const withAxes = grid.some((g) => Object.keys(g.axes).length > 0);
  return results.map((r, i) => {
    const g = grid[i];
    const p: SweepPoint = {
      model: g.model,
      vms: g.vms,
      workload: g.scenario.workload.kind,
      scenario: r.scenario,
      metrics: r.metrics,
    };
    if (withAxes) p.axes = g.axes;
    return p;
  });
}

/** The crossover group key: the workload kind, plus `path=value` of each axis when there are axes. */
export function groupKey(workload: string, axes: Record<string, unknown> | undefined): string {
  const parts = Object.entries(axes ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length === 0 ? workload : `${workload} ${parts.join(' ')}`;
}

/** Group points by workload kind and axis combination (keys as in `groupKey`), in first-seen order. */
export function groupPoints(
  points: readonly SweepPoint[],
): Map<string, { axes?: Record<string, unknown>; points: SweepPoint[] }> {
  const groups = new Map<string, { axes?: Record<string, unknown>; points: SweepPoint[] }>();
  for (const p of points) {
    const key = groupKey(p.workload, p.axes);
    let g = groups.get(key);
    if (!g) {
      g = { axes: p.axes, points: [] };
      groups.set(key, g);
    }
    g.points.push(p);
  }
  return groups;
}

/**
 * per-device (`a`) vs per-cpu (`b`) means of one metric, with their 95 % CIs when there are replications,
 * at every VM count where both models ran.
 */
export function modelSeries(points: readonly SweepPoint[], metric: CrossoverMetric): CrossoverPoint[] {
  const pick = metric === 'throughput' ? throughputOf : efficiencyOf;
  return seriesOf(
    points,
    (p) => pick(p.metrics),
    (p) => p.ci95?.[metric],
  );
}

function seriesOf(
  points: readonly SweepPoint[],
  value: (p: SweepPoint) => number,
  ci: (p: SweepPoint) => { low: number; high: number } | undefined = () => undefined,
): CrossoverPoint[] {
  const byVms = new Map<number, { a?: SweepPoint; b?: SweepPoint }>();
  for (const p of points) {
    const e = byVms.get(p.vms) ?? {};
    if (p.model === 'per-device') e.a = p;
    else if (p.model === 'per-cpu') e.b = p;
    byVms.set(p.vms, e);
  }
  const out: CrossoverPoint[] = [];
  for (const [vms, { a, b }] of byVms) {
    if (a === undefined || b === undefined) continue;
    const x: CrossoverPoint = { vms, a: value(a), b: value(b) };
    const aCi = ci(a);
    const bCi = ci(b);
    if (aCi !== undefined && bCi !== undefined) Object.assign(x, { aCi, bCi });
    out.push(x);
  }
  return out;
}

export const throughputOf = (m: Metrics) => m.throughput.value;
export const efficiencyOf = (m: Metrics) => m.efficiency.value;

/** Options of the crossover statements of a sweep. */
export interface CrossoverOptions {
  /** Relative tie tolerance (default `DEFAULT_TIE_TOLERANCE`). */
  tolerance?: number;
}

/**
 * Each seed's crossings for one metric, or undefined without replications or without both models at
 * some VM count. Replication k of every point ran with the same seed, so seed k's per-device and
 * per-cpu curves are compared with each other.
 */
export function seedCrossovers(
  points: readonly SweepPoint[],
  metric: CrossoverMetric,
  options: CrossoverOptions = {},
): SeedCrossings | undefined {
  const reps = Math.min(...points.map((p) => p.bySeed?.[metric].length ?? 0));
  const bothModelsSomewhere = seriesOf(points, () => 0).length > 0;
  if (!Number.isFinite(reps) || reps < 2 || !bothModelsSomewhere) return undefined;
  const bySeed = Array.from({ length: reps }, (_, k) =>
    crossings(
      seriesOf(points, (p) => p.bySeed?.[metric][k] ?? Number.NaN),
      options.tolerance ?? DEFAULT_TIE_TOLERANCE,
    ),
  );
  return { crossings: bySeed, text: seedSummary(bySeed) };
}

/**
 * The crossover statements of per-cpu against per-device, per workload kind and (with axes) per
 * combination of the other axes. Keys are `TCP_RR` without axes, or `TCP_RR path=value ...` with axes (the
 * entry then also carries the `axes` values). A group missing one of the two models gets kind `none`. The
 * table, the JSON, the CSV and the charts all print these statements.
 */
export function sweepCrossover(
  points: readonly SweepPoint[],
  options: CrossoverOptions = {},
): Record<string, CrossoverEntry> {
  const out: Record<string, CrossoverEntry> = {};
  for (const [key, g] of groupPoints(points)) {
    const statement = (metric: CrossoverMetric) =>
      crossoverStatement(modelSeries(g.points, metric), { tolerance: options.tolerance });
    const entry: CrossoverEntry = {
      throughput: statement('throughput'),
      efficiency: statement('efficiency'),
    };
    const tp = seedCrossovers(g.points, 'throughput', options);
    const eff = seedCrossovers(g.points, 'efficiency', options);
    if (tp !== undefined && eff !== undefined) entry.bySeed = { throughput: tp, efficiency: eff };
    if (g.axes) entry.axes = g.axes;
    out[key] = entry;
  }
  return out;
}
