/**
 * Vega-Lite specs for sweep charts: one chart per crossover group (workload, and axis combination when
 * the sweep has axes) and metric, one line per model (its own colour, dash and marker, so coinciding lines
 * stay apart), error bars with replications, every crossing of the means marked with a vertical rule, the
 * VM counts where the curves are level within the noise shaded, and the crossover statement as subtitle.
 * Pure data: rendering is in render.ts.
 */
import type { CrossoverStatement } from '../metrics/crossover.ts';
import type { Metrics } from '../metrics/summary.ts';
import {
  type CrossoverOptions,
  efficiencyOf,
  groupPoints,
  type MainMetric,
  type SweepPoint,
  sweepCrossover,
  throughputOf,
} from '../sweep/sweep.ts';

export interface ChartMetric {
  /** File-name stem and the key into a point's `ci95`. */
  id: Extract<MainMetric, 'throughput' | 'efficiency'>;
  label: string;
  pick: (m: Metrics) => number;
  unit: (m: Metrics) => string;
}

export const chartMetrics: ChartMetric[] = [
  { id: 'throughput', label: 'Throughput', pick: throughputOf, unit: (m) => m.throughput.unit },
  { id: 'efficiency', label: 'Efficiency', pick: efficiencyOf, unit: (m) => m.efficiency.unit },
];

export const MODEL_COLORS: Record<string, string> = {
  'per-device': '#1f5fa8',
  'per-cpu': '#d1495b',
  'multi-worker': '#2a9d8f',
  'busy-poll': '#e9a23b',
  sidecore: '#7b4fa0',
  pmd: '#6b6b6b',
};

/** Dash pattern per model (solid for the first), so lines that coincide stay distinguishable. */
export const MODEL_DASHES: Record<string, number[]> = {
  'per-device': [],
  'per-cpu': [8, 4],
  'multi-worker': [2, 3],
  'busy-poll': [10, 3, 2, 3],
  sidecore: [4, 4],
  pmd: [1, 4],
};

/** Marker per model: a different shape as well as a different colour. */
export const MODEL_SHAPES: Record<string, string> = {
  'per-device': 'circle',
  'per-cpu': 'square',
  'multi-worker': 'triangle-up',
  'busy-poll': 'diamond',
  sidecore: 'cross',
  pmd: 'triangle-down',
};

export interface ChartSpec {
  /** File stem, e.g. `throughput-TCP_RR`. */
  name: string;
  /** The crossover group key (`TCP_RR`, or `TCP_RR path=value` with axes). */
  group: string;
  metric: ChartMetric['id'];
  crossover: CrossoverStatement;
  spec: Record<string, unknown>;
}

/** A file-name-safe form of a group key. */
export function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._=-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Split a long subtitle at `; ` into lines of at most about 100 characters. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  for (const part of text.split('; ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + part.length + 2 <= width) lines[last] += `; ${part}`;
    else lines.push(part);
  }
  return lines;
}

function describeRun(points: readonly SweepPoint[]): string {
  const s = points[0].scenario;
  const reps = points[0].reps ?? 1;
  const parts = [
    `${s.workload.kind} x${s.workload.instances} per VM`,
    `profile ${s.profile.name}`,
    `${s.durationS} s measured`,
    reps > 1 ? `mean of ${reps} seeds, 95 % CI` : `seed ${s.seed}`,
  ];
  return parts.join(' · ');
}

/** One chart spec per group and metric, in group order, throughput before efficiency. */
export function chartSpecs(points: readonly SweepPoint[], options: CrossoverOptions = {}): ChartSpec[] {
  const out: ChartSpec[] = [];
  const statements = sweepCrossover(points, options);
  for (const [group, g] of groupPoints(points)) {
    const vmsList = [...new Set(g.points.map((p) => p.vms))].sort((a, b) => a - b);
    const models = [...new Set(g.points.map((p) => p.model))];
    const withCi = g.points.some((p) => p.ci95 !== undefined);
    for (const metric of chartMetrics) {
      const values = g.points.map((p) => {
        const v: Record<string, unknown> = { model: p.model, vms: p.vms, value: metric.pick(p.metrics) };
        const ci = p.ci95?.[metric.id];
        if (ci) {
          v.low = ci.low;
          v.high = ci.high;
        }
        return v;
      });
      const entry = statements[group];
      const status = entry[metric.id];
      const x = {
        field: 'vms',
        type: 'quantitative',
        title: 'VMs',
        scale: { domain: [0, vmsList[vmsList.length - 1]], nice: false },
        axis: { values: vmsList, format: 'd', grid: true },
      };
      const color = {
        field: 'model',
        type: 'nominal',
        title: 'vhost model',
        scale: { domain: models, range: models.map((m) => MODEL_COLORS[m] ?? '#555') },
        legend: { orient: 'bottom', direction: 'horizontal' },
      };
      const byModel = (table: Record<string, unknown>, fallback: unknown) => ({
        field: 'model',
        type: 'nominal',
        title: 'vhost model',
        scale: { domain: models, range: models.map((m) => table[m] ?? fallback) },
        // Same field and title as `color`: Vega-Lite merges the three into one legend.
        legend: { orient: 'bottom', direction: 'horizontal' },
      });
      const strokeDash = byModel(MODEL_DASHES, [1, 0]);
      const shape = byModel(MODEL_SHAPES, 'circle');
      const unit = metric.unit(g.points[0].metrics);
      // Whole numbers for transactions; decimals for small rates such as Gbit/s.
      const max = Math.max(...g.points.map((p) => Math.abs(metric.pick(p.metrics))));
      const format = max >= 100 ? ',.0f' : max >= 10 ? ',.1f' : ',.2f';
      const y = { field: 'value', type: 'quantitative', title: unit, axis: { format } };
      const level = status.runs
        .filter((r) => r.order === 'level')
        .map((r) => ({ from: r.from - 0.25, to: r.to + 0.25 }));
      const layers: Record<string, unknown>[] = [];
      if (level.length > 0) {
        layers.push({
          data: { values: level },
          mark: { type: 'rect', color: '#999', opacity: 0.15 },
          encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
        });
      }
      layers.push(
        {
          mark: { type: 'line', strokeWidth: 2.5 },
          encoding: { x, y, color, strokeDash },
        },
        {
          mark: { type: 'point', filled: true, size: 70, opacity: 1 },
          encoding: {
            x,
            y,
            color,
            shape,
            tooltip: [
              { field: 'model', type: 'nominal' },
              { field: 'vms', type: 'quantitative', title: 'VMs' },
              { field: 'value', type: 'quantitative', title: unit, format },
            ],
          },
        },
      );
      if (withCi) {
        layers.push({
          mark: { type: 'errorbar', ticks: { size: 8 }, thickness: 1.5 },
          encoding: {
            x,
            y: { field: 'low', type: 'quantitative', title: unit },
            y2: { field: 'high' },
            color,
          },
        });
      }
      if (status.crossings.length > 0) {
        const at = status.crossings.map((c) => ({ at: Number(c.toFixed(3)), label: `≈ ${c.toFixed(1)}` }));
        layers.push({
          data: { values: at },
          layer: [
            {
              mark: { type: 'rule', color: '#333', strokeDash: [6, 4], strokeWidth: 1.5 },
              encoding: { x: { field: 'at', type: 'quantitative' } },
            },
            {
              mark: {
                type: 'text',
                align: 'left',
                baseline: 'top',
                dx: 4,
                dy: 6,
                fontSize: 12,
                color: '#333',
              },
              encoding: {
                x: { field: 'at', type: 'quantitative' },
                y: { value: 0 },
                text: { field: 'label' },
              },
            },
          ],
        });
      }
      const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: {
          text: `${group}: ${metric.label.toLowerCase()} vs VMs`,
          subtitle: [
            describeRun(g.points),
            ...wrap(status.text),
            ...(entry.bySeed === undefined ? [] : [entry.bySeed[metric.id].text]),
          ],
        },
        width: 640,
        height: 360,
        background: 'white',
        padding: 16,
        data: { values },
        layer: layers,
        config: {
          font: 'DejaVu Sans',
          axis: { labelFontSize: 13, titleFontSize: 14, titlePadding: 10 },
          legend: { labelFontSize: 13, titleFontSize: 13, symbolStrokeWidth: 3 },
          title: { fontSize: 18, subtitleFontSize: 13, subtitleColor: '#444', anchor: 'start', offset: 12 },
        },
      };
      out.push({ name: `${metric.id}-${slug(group)}`, group, metric: metric.id, crossover: status, spec });
    }
  }
  return out;
}
