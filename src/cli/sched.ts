/**
 * `run --sched latency` and `run --sched map`: the run seen as `perf sched` shows a recorded one.
 *
 * - `latency`, like `perf sched latency` (tools/perf/builtin-sched.c, `perf_sched__lat`): one row per
 *   thread over the measured window — CPU time, switches (its context switches out, voluntary and
 *   involuntary, as the run's counters count them), the mean and the largest scheduling delay (from the
 *   thread becoming runnable, by a wake-up or a preemption, to the core starting to switch it in) and
 *   migrations.
 * - `map`, like `perf sched map` (`map_switch_event`): one line per switch on any core within a window,
 *   a column per core with the thread it runs (`.` idle), `*` on the core that switched, and a legend line
 *   the first time a thread appears.
 *
 * Both only read host state after each delivery to a core (every switch happens in a core's action, and
 * a wake-up tells the woken thread's core at the same virtual time), so the run is the one `run` makes.
 */
import { summarize } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import { cpuCount } from '../model/topology.ts';
import type { Policy } from '../policies/policy.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { measureWindow } from '../runtime/measureWindow.ts';
import type { RunResult } from '../runtime/runScenario.ts';
import { SimSystem } from '../runtime/system.ts';
import { validateScenario } from '../scenario/schema.ts';
import { describeScenario, fmtInt, renderTable, type TableStyle, toCsv } from './format.ts';
import { UsageError } from './usageError.ts';

/** One thread's `perf sched latency` row. */
export interface SchedLatencyRow {
  task: string;
  tid: number;
  /** CPU time in the window, ms to the ns. */
  runtimeMs: number;
  /** Context switches out (voluntary + involuntary) in the window. */
  switches: number;
  /** Mean and largest delay from runnable to switch-in, ms to the ns (0 when it was never switched in). */
  avgDelayMs: number;
  maxDelayMs: number;
  /** Virtual time of the largest delay's switch-in, s. */
  maxDelayAtS: number;
  migrations: number;
}

/** A `[from, to)` window of virtual time in ns, from `--window A:B` (seconds). */
export interface Window {
  fromNs: number;
  toNs: number;
}

/** Parse `--window A:B` (virtual seconds since the run started, A < B). */
export function parseWindow(text: string, flag = '--window'): Window {
  const m = /^\s*([\d.eE+-]+)\s*:\s*([\d.eE+-]+)\s*$/.exec(text);
  const a = m ? Number(m[1]) : Number.NaN;
  const b = m ? Number(m[2]) : Number.NaN;
  if (!(Number.isFinite(a) && Number.isFinite(b) && a >= 0 && b > a)) {
    throw new UsageError(
      `${flag}: expected A:B, virtual seconds since the run started with 0 <= A < B (e.g. 0.1:0.101), got '${text}'`,
    );
  }
  return { fromNs: Math.round(a * 1e9), toNs: Math.round(b * 1e9) };
}

/**
 * Refuse a window outside the run (`flag` names the option), before anything runs; with `measuredOnly`
 * (a trace records the measured window only) also one that ends in the warm-up.
 */
export function checkWindow(w: Window, s: Scenario, flag = '--window', measuredOnly = false): void {
  const warmupNs = Math.round(s.warmupS * 1e9);
  const endNs = warmupNs + Math.round(s.durationS * 1e9);
  if (measuredOnly && w.toNs <= warmupNs) {
    throw new UsageError(
      `${flag}: ${w.fromNs / 1e9}:${w.toNs / 1e9} ends in the warm-up (the measured window starts at ${s.warmupS} s)`,
    );
  }
  if (w.fromNs >= endNs) {
    throw new UsageError(
      `${flag}: ${w.fromNs / 1e9}:${w.toNs / 1e9} starts after the run ends (at ${endNs / 1e9} s: warm-up ${s.warmupS} s + ${s.durationS} s measured)`,
    );
  }
}

interface MapLine {
  atNs: number;
  cells: string[];
  /** The core that switched. */
  cpu: number;
  /** Legend for a thread seen for the first time: `A0 => vm0.vcpu0`. */
  legend?: string;
}

/** Short ids as perf gives them: A0..Z0, A1..Z1, ... */
const shortId = (n: number) => `${String.fromCharCode(65 + (n % 26))}${Math.floor(n / 26)}`;

export interface SchedRun extends RunResult {
  latency: SchedLatencyRow[];
  map: MapLine[];
  window?: Window;
}

/** Run `input` as runScenario does, watching the scheduler; `map` lines only within `window`. */
export function runWithSched(
  input: Scenario,
  options: { executor?: ExecutorKind; policy?: Policy; window?: Window } = {},
): SchedRun {
  const scenario = validateScenario(input);
  let onCore: (atNs: number) => void = () => {};
  const sys = new SimSystem(scenario, {
    executor: options.executor,
    policy: options.policy,
    onTrace: (ev) => {
      if (ev.actor.startsWith('cpu')) onCore(ev.atNs);
    },
  });
  const { host } = sys;
  const n = host.tasks.length;
  const prevState = host.tasks.map((t) => t.state);
  const runnableSince = new Float64Array(n).fill(-1);
  const delaySum = new Float64Array(n);
  const delayMax = new Float64Array(n);
  const delayMaxAt = new Float64Array(n);
  const switchIns = new Float64Array(n);
  const curr = host.rqs.map((rq) => rq.curr);
  const ids = new Map<number, string>();
  const map: MapLine[] = [];
  let measuring = false;
  const w = options.window;
  const cellOf = (tid: number) => (tid < 0 ? '.' : (ids.get(tid) ?? '?'));

  onCore = (atNs) => {
    for (let tid = 0; tid < n; tid++) {
      const state = host.tasks[tid].state;
      const was = prevState[tid];
      if (state === was) continue;
      prevState[tid] = state;
      if (state === 'runnable') runnableSince[tid] = atNs;
      else if (state === 'running') {
        // Woken and switched in between two looks at the cores: no delay seen.
        const since = runnableSince[tid] < 0 ? atNs : runnableSince[tid];
        const d = atNs - since;
        if (measuring) {
          switchIns[tid]++;
          delaySum[tid] += d;
          if (d > delayMax[tid]) {
            delayMax[tid] = d;
            delayMaxAt[tid] = atNs;
          }
        }
        runnableSince[tid] = -1;
      } else runnableSince[tid] = -1;
    }
    for (let cpu = 0; cpu < curr.length; cpu++) {
      const now = host.rqs[cpu].curr;
      if (now === curr[cpu]) continue;
      curr[cpu] = now;
      if (w === undefined || atNs < w.fromNs || atNs >= w.toNs) continue;
      // A thread gets its id the first time the map shows it (one that ran since before the window too).
      const legend: string[] = [];
      for (const tid of curr) {
        if (tid < 0 || ids.has(tid)) continue;
        ids.set(tid, shortId(ids.size));
        legend.push(`${ids.get(tid)} => ${host.tasks[tid].name}`);
      }
      map.push({
        atNs,
        cpu,
        cells: curr.map(cellOf),
        legend: legend.length > 0 ? legend.join(', ') : undefined,
      });
    }
  };

  let before: { runNs: number; sw: number; mig: number }[] = [];
  const snapshot = () =>
    host.tasks.map((t) => ({ runNs: t.runNs, sw: t.nvcsw + t.nivcsw, mig: t.migrations }));
  const { counters, windowNs } = measureWindow(sys, {
    atStart: () => {
      measuring = true;
      before = snapshot();
    },
    atEnd: () => {
      measuring = false;
    },
  });
  const after = snapshot();
  const metrics = summarize(host, counters, windowNs);
  const ms = (ns: number) => Math.round(ns) / 1e6;
  const latency = host.tasks.map((t, tid) => ({
    task: t.name,
    tid,
    runtimeMs: ms(after[tid].runNs - before[tid].runNs),
    switches: after[tid].sw - before[tid].sw,
    avgDelayMs: switchIns[tid] === 0 ? 0 : ms(delaySum[tid] / switchIns[tid]),
    maxDelayMs: ms(delayMax[tid]),
    maxDelayAtS: delayMaxAt[tid] / 1e9,
    migrations: after[tid].mig - before[tid].mig,
  }));
  return { scenario, metrics, events: sys.kernel.eventsFired, latency, map, window: w };
}

const f3 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const f4 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 });

/** `perf sched latency`'s table: threads by total CPU time, largest first, then a total line. */
export function formatSchedLatency(rows: readonly SchedLatencyRow[], style: TableStyle = 'text'): string {
  const sorted = [...rows].sort((a, b) => b.runtimeMs - a.runtimeMs || a.tid - b.tid);
  const body = sorted.map((r) => [
    `${r.task}:${r.tid}`,
    `${f3.format(r.runtimeMs)} ms`,
    String(r.switches),
    `avg: ${f4.format(r.avgDelayMs)} ms`,
    `max: ${f4.format(r.maxDelayMs)} ms`,
    r.maxDelayMs > 0 ? `max at: ${r.maxDelayAtS.toFixed(6)} s` : '',
    String(r.migrations),
  ]);
  const total = rows.reduce((a, r) => a + r.runtimeMs, 0);
  const switches = rows.reduce((a, r) => a + r.switches, 0);
  const table = renderTable(
    [
      'Task',
      'Runtime ms',
      'Switches',
      'Average delay ms',
      'Maximum delay ms',
      'Maximum delay at',
      'Migrations',
    ],
    body,
    style,
  );
  const foot = `TOTAL: ${f3.format(total)} ms, ${switches} switches (measured window; delay: runnable to switch-in)`;
  return `${table}\n${style === 'md' ? `\n_${foot}_` : foot}\n`;
}

/** `perf sched map`'s lines: cores as columns, `*` on the core that switched, the time, a legend. */
export function formatSchedMap(run: SchedRun): string {
  const cores = cpuCount(run.scenario.profile.cpu);
  const width = Math.max(2, ...run.map.flatMap((l) => l.cells.map((c) => c.length)));
  const head = `  ${Array.from({ length: cores }, (_, c) => ` ${`${c}`.padEnd(width)}`).join('')}  (cores; . idle)`;
  const lines = run.map.map((l) => {
    const cells = l.cells.map((c, cpu) => `${cpu === l.cpu ? '*' : ' '}${c.padEnd(width)}`).join('');
    return `  ${cells}  ${(l.atNs / 1e9).toFixed(6)} secs${l.legend ? ` ${l.legend}` : ''}`;
  });
  const w = run.window;
  const title = w
    ? `perf sched map: ${w.fromNs / 1e9} s to ${w.toNs / 1e9} s of virtual time, ${run.map.length} switches`
    : '';
  return `${[title, head, ...lines].join('\n')}\n`;
}

export type SchedView = 'latency' | 'map';

/**
 * `run --sched VIEW [--window A:B]`: run the scenario and print the view in `format` (JSON: the scenario,
 * the metrics, the view's rows and `meta`). Without `--window`, `map` shows the first millisecond of the
 * measured window.
 */
export function schedOutput(
  scenario: Scenario,
  o: { sched: SchedView; window?: string; executor: ExecutorKind; format: string },
  policy: Policy | undefined,
  meta: (events: number) => Record<string, unknown>,
): string {
  if (o.window !== undefined && o.sched !== 'map')
    throw new UsageError('--window: only with --sched map (the latency view covers the measured window)');
  const warmupNs = Math.round(scenario.warmupS * 1e9);
  const window =
    o.sched !== 'map'
      ? undefined
      : o.window === undefined
        ? { fromNs: warmupNs, toNs: warmupNs + 1_000_000 }
        : parseWindow(o.window);
  if (window) checkWindow(window, scenario);
  const run = runWithSched(scenario, { executor: o.executor, policy, window });
  const m = meta(run.events);
  const mapRows = () =>
    run.map.map((l) => ({
      atS: l.atNs / 1e9,
      cpu: l.cpu,
      ...Object.fromEntries(l.cells.map((c, cpu) => [`cpu${cpu}`, c])),
      legend: l.legend ?? '',
    }));
  if (o.format === 'json') {
    const sched =
      o.sched === 'latency'
        ? { latency: run.latency }
        : {
            map: {
              window: [window?.fromNs, window?.toNs].map((ns) => (ns ?? 0) / 1e9),
              switches: run.map.map((l) => ({
                atS: l.atNs / 1e9,
                cpu: l.cpu,
                cells: l.cells,
                legend: l.legend,
              })),
            },
          };
    return `${JSON.stringify({ scenario: run.scenario, metrics: run.metrics, sched, meta: m }, null, 2)}\n`;
  }
  if (o.format === 'csv')
    return toCsv(o.sched === 'latency' ? run.latency.map((r) => ({ ...r })) : mapRows());
  const style: TableStyle = o.format === 'md' ? 'md' : 'text';
  const title = `vhost-sim: ${describeScenario(scenario)}; ${o.executor} executor, ${fmtInt(run.events)} events`;
  const body = o.sched === 'latency' ? formatSchedLatency(run.latency, style) : formatSchedMap(run);
  const view = style === 'md' && o.sched === 'map' ? `\`\`\`\n${body}\`\`\`\n` : body;
  return `${style === 'md' ? `## ${title}` : title}\n\n${view}`;
}
