import { categories } from '../host/categories.ts';
import type { Metrics } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import { cpuCount } from '../model/topology.ts';
import {
  type CrossoverOptions,
  type MainMetric,
  mainMetrics,
  type SweepPoint,
  sweepCrossover,
} from '../sweep/sweep.ts';
import { defaultMessageBytes } from '../workloads/stream.ts';
import { meanPlusMinus } from './digits.ts';

const nf = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = nf(0);
const d1 = nf(1);
const d2 = nf(2);
const d3 = nf(3);

/** A latency in µs to one decimal; "n/a" where there is none (streams). */
export const fmtUs = (x: number | null) => (x === null ? 'n/a' : d1.format(x));

export const fmtInt = (x: number) => int.format(x);
export const fmtPct = (x: number) => `${d1.format(x * 100)} %`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const numeric = /^(-|n\/a|[-+]?[\d.,]+( %)?( ± [\d.,]+( %)?)?)$/;

/** Output styles of the human formats: plain text, or Markdown (`--format md`). */
export type TableStyle = 'text' | 'md';

/** A plain-text or Markdown table: numeric columns right-aligned, the others left-aligned. */
export function renderTable(header: string[], rows: string[][], style: TableStyle = 'text'): string {
  const right = header.map((_, c) => rows.length > 0 && rows.every((r) => numeric.test(r[c] ?? '')));
  if (style === 'md') {
    const esc = (cell: string) => cell.replace(/\|/g, '\\|');
    const md = (cells: string[]) => `| ${cells.map(esc).join(' | ')} |`;
    return [md(header), `|${right.map((r) => (r ? '---:' : ':---')).join('|')}|`, ...rows.map(md)].join('\n');
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), sep, ...rows.map(line)].map((l) => l.trimEnd()).join('\n');
}

/** The message sizes that matter for the workload: request/response, or the stream's send size. */
function workloadSizes(s: Scenario): string {
  const w = s.workload;
  if (w.kind === 'TCP_STREAM' || w.kind === 'UDP_STREAM')
    return `${defaultMessageBytes(w)} B sends${w.direction === 'rx' ? ', peer -> guest' : ''}`;
  if (w.kind === 'BLOCK') return `${w.blockBytes} B requests, iodepth ${w.iodepth}`;
  return `${w.requestBytes} B / ${w.responseBytes} B`;
}

export function describeScenario(s: Scenario): string {
  const w = s.workload;
  return (
    `${s.model}, ${plural(s.vms, 'VM')} x ${plural(s.vcpusPerVm, 'vCPU')} x ${plural(s.devicesPerVm, 'device')}, ` +
    `${w.kind} x${w.instances} (${workloadSizes(s)}), profile ${s.profile.name} ` +
    `(${s.profile.cpu.sockets} x ${s.profile.cpu.coresPerSocket} cores), ` +
    `${s.durationS} s measured after ${s.warmupS} s warm-up, seed ${s.seed}, vCPU pinning ${s.pinning.vcpu}`
  );
}

/** The human summary of one run. */
export function formatRunTable(
  scenario: Scenario,
  m: Metrics,
  meta: { executor: string; events: number },
  style: TableStyle = 'text',
  /** A line after the title (the overrides in effect). */
  subtitle?: string,
): string {
  const cores = cpuCount(scenario.profile.cpu);
  const cs = m.contextSwitchesPerSec;
  const v = m.vhost;
  const breakdown = Object.entries(m.cpuBreakdown)
    .map(([k, x]) => `${k} ${fmtPct(x)}`)
    .join(', ');
  const kv: [string, string][] = [
    ['Throughput', `${fmtRate(m.throughput.value)} ${m.throughput.unit}`],
    [
      'Latency',
      m.latencyUs.p50 === null
        ? 'n/a (a stream has no transactions)'
        : `p50 ${fmtUs(m.latencyUs.p50)} µs, p99 ${fmtUs(m.latencyUs.p99)} µs, mean ${fmtUs(m.latencyUs.mean)} µs`,
    ],
    ['CPU utilization', `${fmtPct(m.cpuUtilization)} of ${cores} cores`],
    ['CPU breakdown', breakdown],
    ['Efficiency', `${fmtRate(m.efficiency.value)} ${m.efficiency.unit}`],
    ['Service demand', `${fmtRate(m.serviceDemand.value)} ${m.serviceDemand.unit} of host CPU (netperf -c)`],
    [
      'Context switches/s',
      `${fmtInt(cs.voluntary + cs.involuntary)} (voluntary ${fmtInt(cs.voluntary)}, involuntary ${fmtInt(cs.involuntary)})` +
        (m.throughput.unit === 'Gbit/s'
          ? ''
          : `, ${d2.format(m.contextSwitchesPerTransaction)} per transaction`),
    ],
    ['Core switches/s', fmtInt(m.coreSwitchesPerSec)],
    ['Migrations/s', fmtInt(m.migrationsPerSec)],
    ['Remote-node vhost work', fmtPct(m.remoteNodeWorkShare)],
    [
      'vhost',
      `${fmtInt(v.worksPerSec)} works/s, ${d2.format(v.pktsPerWork)} pkts/work (max ${fmtInt(v.pktsPerWorkMax)}), sojourn ${d2.format(v.sojournUsMean)} µs mean`,
    ],
    [
      '',
      `per packet: sojourn TX ${d2.format(v.pktSojournUsMean.tx)} µs, RX ${d2.format(v.pktSojournUsMean.rx)} µs mean; ${d2.format(v.pktsWaitingMean)} waiting, ${d2.format(v.pktsInServiceMean)} in service (time averages)`,
    ],
    [
      '',
      `coalesced ${fmtInt(v.coalescedPerSec)}/s, requeues ${fmtInt(v.requeuesPerSec)}/s, cgroup attaches ${fmtInt(v.cgroupAttachesPerSec)}/s, dispatch picks ${fmtInt(v.dispatchPicksPerSec)}/s (${fmtPct(v.busyPickShare)} to a busy worker while one sat idle)`,
    ],
    [
      'Interrupts/s',
      `kicks ${fmtInt(m.kicksPerSec)}, injected ${fmtInt(m.interruptsInjectedPerSec)}, NIC ${fmtInt(m.nicInterruptsPerSec)}`,
    ],
    [
      'Guest TX/s',
      `completions ${fmtInt(m.guestTx.completionsPerSec)}, queue stops ${fmtInt(m.guestTx.queueStopsPerSec)}, ` +
        `TX interrupts ${fmtInt(m.guestTx.txInterruptsPerSec)}, sender sleeps ${fmtInt(m.guestTx.senderSleepsPerSec)}, ` +
        `ACKs ${fmtInt(m.guestTx.acksPerSec)} (delayed ${fmtInt(m.guestTx.delayedAcksPerSec)})`,
    ],
    ...(m.throughput.unit === 'Gbit/s'
      ? ([
          [
            'Application',
            `sent ${fmtRate(m.app.sentGbps)} Gbit/s (${fmtInt(m.app.sendsPerSec)} sends/s), received ${fmtRate(m.app.receivedGbps)} Gbit/s`,
          ],
        ] as [string, string][])
      : []),
    [
      'Drops',
      Object.entries(m.drops)
        .map(([k, n]) => `${k} ${fmtInt(n)}`)
        .join(', '),
    ],
    ['Fairness (Jain)', d3.format(m.jainFairness)],
  ];
  const w = Math.max(...kv.map(([k]) => k.length));
  const title = `vhost-sim: ${describeScenario(scenario)}; ${meta.executor} executor, ${fmtInt(meta.events)} events`;
  const perCpu = renderTable(
    ['core', 'node', 'busy', ...categories.filter((c) => c !== 'idle')],
    m.perCpu.map((c) => [
      String(c.cpu),
      String(c.node),
      fmtPct(1 - c.idle),
      ...categories.filter((k) => k !== 'idle').map((k) => fmtPct(c[k])),
    ]),
    style,
  );
  const perVm = renderTable(
    ['VM', 'node', `throughput (${m.throughput.unit})`, 'CPU (CPU-s/s)'],
    m.perVm.map((p) => [String(p.vm), String(p.node), fmtRate(p.throughput), d3.format(p.cpu)]),
    style,
  );
  const lines =
    style === 'md'
      ? [
          `## ${title}`,
          '',
          ...(subtitle === undefined ? [] : [subtitle, '']),
          renderTable(
            ['Metric', 'Value'],
            kv.map(([k, val], i) => [k === '' ? (kv[i - 1]?.[0] ?? '') : k, val]),
            'md',
          ),
          '',
          '### Per core',
          '',
          perCpu,
          '',
          '### Per VM',
          '',
          perVm,
        ]
      : [
          title,
          ...(subtitle === undefined ? [] : [subtitle]),
          '',
          ...kv.map(([k, val]) => `${k.padEnd(w)}  ${val}`),
          '',
          'Per core (share of the core)',
          perCpu,
          '',
          'Per VM',
          perVm,
        ];
  return `${lines.join('\n')}\n`;
}

/** Flatten nested objects to dotted keys; arrays are skipped (perVm). */
export function flatten(
  obj: object,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (Array.isArray(v)) continue;
    if (v !== null && typeof v === 'object') flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Record<string, unknown>[]): string {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const lines = [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

export const runCsv = (m: Metrics, fields?: readonly string[]) =>
  toCsv([fields === undefined ? flatten(m) : pickFields(flatten(m), fields)]);

/** Only `fields` of a flattened row, in that order (a field the row lacks is null). */
export function pickFields(row: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));
}

/** One figure of `--fields` in a table: numbers to four significant digits (whole above 1,000), null "n/a". */
export function fmtField(v: unknown): string {
  if (v === null || v === undefined) return 'n/a';
  if (typeof v !== 'number') return String(v);
  return Math.abs(v) >= 1000 ? fmtInt(v) : sig4.format(v);
}
const sig4 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** `run --fields`: the scenario line, then one row per field. */
export function formatRunFields(
  scenario: Scenario,
  m: Metrics,
  meta: { executor: string; events: number },
  fields: readonly string[],
  style: TableStyle = 'text',
  /** A line after the title (the overrides in effect). */
  subtitle?: string,
): string {
  const title = `vhost-sim: ${describeScenario(scenario)}; ${meta.executor} executor, ${fmtInt(meta.events)} events`;
  const row = flatten(m);
  const table = renderTable(
    ['field', 'value'],
    fields.map((f) => [f, fmtField(row[f])]),
    style,
  );
  const sub = subtitle === undefined ? '' : style === 'md' ? `\n\n${subtitle}` : `\n${subtitle}`;
  return `${style === 'md' ? `## ${title}` : title}${sub}\n\n${table}\n`;
}

/** `sweep --fields`: one row per point, its coordinates and the chosen fields, then the crossover lines. */
export function formatSweepFields(
  points: readonly SweepPoint[],
  fields: readonly string[],
  style: TableStyle = 'text',
  options: CrossoverOptions = {},
): string {
  const axisKeys = [...new Set(points.flatMap((p) => Object.keys(p.axes ?? {})))];
  const rows = points.map((p) => {
    const row = flatten(p.metrics);
    return [
      p.model,
      String(p.vms),
      ...axisKeys.map((k) => JSON.stringify(p.axes?.[k])),
      ...fields.map((f) => fmtField(row[f])),
    ];
  });
  const table = renderTable(['model', 'VMs', ...axisKeys, ...fields], rows, style);
  return `${[...repsNote(points, style), table, '', ...crossoverBlock(points, style, options)].join('\n')}\n`;
}

/**
 * One row per point: its coordinates, every metric (the mean with replications; each value beside its
 * `.unit` column where it has one, a stream's latency empty), then the 95 % CIs. With `fields`: the
 * coordinates and those fields only.
 */
export function sweepCsv(points: readonly SweepPoint[], fields?: readonly string[]): string {
  return toCsv(
    points.map((p) => ({
      model: p.model,
      vms: p.vms,
      workload: p.workload,
      ...Object.fromEntries(Object.entries(p.axes ?? {}).map(([k, v]) => [`axis.${k}`, v])),
      ...(p.reps === undefined ? {} : { reps: p.reps }),
      ...(fields === undefined ? flatten(p.metrics) : pickFields(flatten(p.metrics), fields)),
      ...(p.ci95 === undefined || fields !== undefined ? {} : flatten(p.ci95, 'ci95')),
    })),
  );
}

/** One row per group and metric: the statement's fields and its sentence (the results folder's crossover.csv). */
export function crossoverCsv(points: readonly SweepPoint[], options: CrossoverOptions = {}): string {
  const rows: Record<string, unknown>[] = [];
  for (const [group, e] of Object.entries(sweepCrossover(points, options))) {
    for (const metric of ['throughput', 'efficiency'] as const) {
      const st = e[metric];
      rows.push({
        group,
        metric,
        kind: st.kind,
        leader: st.leader === undefined ? '' : st.leader === 'a' ? 'per-device' : 'per-cpu',
        from: st.from,
        at: st.at,
        crossings: st.crossings.map((c) => Number(c.toFixed(3))).join(' '),
        tolerance: st.tolerance,
        text: st.text,
        seeds: e.bySeed?.[metric].text,
      });
    }
  }
  return toCsv(rows);
}

/**
 * Crossover lines for every workload / axis group of a sweep: the statements of `sweepCrossover` (the
 * same the JSON, the CSV and the charts carry), with the per-seed summary when there are replications.
 */
export function crossoverLines(points: readonly SweepPoint[], options: CrossoverOptions = {}): string[] {
  const entries = Object.entries(sweepCrossover(points, options));
  const lines: string[] = [];
  for (const [key, e] of entries) {
    const prefix = e.axes || entries.length > 1 ? `[${key}] ` : '';
    for (const metric of ['throughput', 'efficiency'] as const) {
      const seeds = e.bySeed === undefined ? '' : `; ${e.bySeed[metric].text}`;
      lines.push(`${prefix}crossover (${metric}): ${e[metric].text}${seeds}`);
    }
  }
  return lines;
}

const totalCs = (m: Metrics) => m.contextSwitchesPerSec.voluntary + m.contextSwitchesPerSec.involuntary;

/** Rates keep three significant digits at least: 185,503 transactions/s, but 9.41 Gbit/s. */
const fmtRate = (x: number) =>
  Math.abs(x) >= 100 ? fmtInt(x) : Math.abs(x) >= 10 ? d1.format(x) : d2.format(x);

/** Column headers of throughput and efficiency, in the sweep's units (streams report Gbit/s). */
function rateHeaders(points: readonly SweepPoint[]): [string, string] {
  const stream = points.some((p) => p.metrics.throughput.unit === 'Gbit/s');
  return stream ? ['Gbit/s', 'eff (Gbit/s/CPU)'] : ['tps', 'eff (tps/CPU-s)'];
}

/**
 * `mean`, or `mean ± half-width of the 95 % CI` when the point has replications, to the digits the
 * half-width allows (meanPlusMinus); "n/a" for no value. `percent`: a fraction shown as a percentage.
 */
function withCi(
  p: SweepPoint,
  metric: MainMetric,
  value: number | null,
  f: (x: number) => string,
  percent = false,
): string {
  if (value === null) return 'n/a';
  const ci = p.ci95?.[metric];
  if (ci === undefined) return f(value);
  const half = (ci.high - ci.low) / 2;
  return percent
    ? meanPlusMinus(value * 100, half * 100, (x) => d1.format(x), { suffix: ' %', maxDecimals: 2 })
    : meanPlusMinus(value, half, f, { maxDecimals: 4 }); // means and CIs are kept to 4 decimals
}

function crossoverBlock(
  points: readonly SweepPoint[],
  style: TableStyle,
  options: CrossoverOptions,
): string[] {
  const lines = crossoverLines(points, options);
  return style === 'md' ? lines.map((l) => `- ${l}`) : lines;
}

function repsNote(points: readonly SweepPoint[], style: TableStyle): string[] {
  const reps = points.find((p) => p.reps !== undefined)?.reps;
  if (reps === undefined) return [];
  const note = `Mean of ${reps} seeds per point; ± is the half-width of the 95 % confidence interval (Student t).`;
  return style === 'md' ? [`_${note}_`, ''] : [note, ''];
}

/** One row per point (`style` md: a Markdown table). */
export function formatSweepTable(
  points: readonly SweepPoint[],
  style: TableStyle = 'text',
  options: CrossoverOptions = {},
): string {
  const axisKeys = [...new Set(points.flatMap((p) => Object.keys(p.axes ?? {})))];
  const rows = points.map((p) => [
    p.model,
    String(p.vms),
    ...axisKeys.map((k) => JSON.stringify(p.axes?.[k])),
    withCi(p, 'throughput', p.metrics.throughput.value, fmtRate),
    withCi(p, 'efficiency', p.metrics.efficiency.value, fmtRate),
    withCi(p, 'latencyP50Us', p.metrics.latencyUs.p50, (x) => d1.format(x)),
    withCi(p, 'latencyP99Us', p.metrics.latencyUs.p99, (x) => d1.format(x)),
    withCi(p, 'cpuUtilization', p.metrics.cpuUtilization, fmtPct, true),
    withCi(p, 'contextSwitchesPerSec', totalCs(p.metrics), fmtInt),
  ]);
  const table = renderTable(
    ['model', 'VMs', ...axisKeys, ...rateHeaders(points), 'p50 µs', 'p99 µs', 'CPU', 'ctx sw/s'],
    rows,
    style,
  );
  return `${[...repsNote(points, style), table, '', ...crossoverBlock(points, style, options)].join('\n')}\n`;
}

/** The talk's comparison: one row per VM count, both models side by side. */
function reproduceSection(
  points: readonly SweepPoint[],
  style: TableStyle,
  options: CrossoverOptions,
): string {
  const vmsList = [...new Set(points.map((p) => p.vms))].sort((a, b) => a - b);
  const find = (model: string, vms: number) => points.find((p) => p.model === model && p.vms === vms);
  const cell = (p: SweepPoint | undefined, metric: MainMetric) =>
    p
      ? withCi(
          p,
          metric,
          mainMetrics[metric](p.metrics),
          metric === 'contextSwitchesPerSec' ? fmtInt : fmtRate,
        )
      : '-';
  const [tp, eff] = rateHeaders(points).map((h) => h.replace(/ \(.*\)$/, ''));
  const models = [...new Set(points.map((p) => p.model))];
  const talk = models.length === 2 && models.includes('per-device') && models.includes('per-cpu');
  if (!talk) {
    // Any set of models: throughput, then efficiency, one column per model.
    const rows = vmsList.map((vms) => [
      String(vms),
      ...models.map((m) => cell(find(m, vms), 'throughput')),
      ...models.map((m) => cell(find(m, vms), 'efficiency')),
    ]);
    const head = ['VMs', ...models.map((m) => `${m} ${tp}`), ...models.map((m) => `${m} ${eff}`)];
    return [renderTable(head, rows, style), '', ...crossoverBlock(points, style, options)].join('\n');
  }
  const rows = vmsList.map((vms) => {
    const a = find('per-device', vms);
    const b = find('per-cpu', vms);
    return [
      String(vms),
      cell(a, 'throughput'),
      cell(b, 'throughput'),
      cell(a, 'efficiency'),
      cell(b, 'efficiency'),
      cell(a, 'contextSwitchesPerSec'),
      cell(b, 'contextSwitchesPerSec'),
    ];
  });
  const table = renderTable(
    [
      'VMs',
      `per-device ${tp}`,
      `per-cpu ${tp}`,
      `per-device ${eff}`,
      `per-cpu ${eff}`,
      'per-device cs/s',
      'per-cpu cs/s',
    ],
    rows,
    style,
  );
  return [table, '', ...crossoverBlock(points, style, options)].join('\n');
}

/** The reproduce tables: one per workload (with its crossover lines), any set of models. */
export function formatReproduceTable(
  points: readonly SweepPoint[],
  style: TableStyle = 'text',
  options: CrossoverOptions = {},
): string {
  const workloads = [...new Set(points.map((p) => p.workload))];
  const sections = workloads.map((w) => {
    const section = reproduceSection(
      points.filter((p) => p.workload === w),
      style,
      options,
    );
    if (workloads.length === 1) return section;
    return `${style === 'md' ? `### ${w}` : `${w}:`}\n\n${section}`;
  });
  return `${[...repsNote(points, style), sections.join('\n\n')].join('\n')}\n`;
}
