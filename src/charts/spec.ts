/**
 * Vega-Lite specs for sweep charts: one chart per crossover group (workload, and axis combination when
 * the sweep has axes) and metric, one line per model, error bars with replications, the crossover marked
 * with a vertical rule and a label. Pure data: rendering is in render.ts.
 */
import { type CrossoverStatus, crossoverStatus, seedSpread } from '../metrics/crossover.ts';
import type { Metrics } from '../metrics/summary.ts';
import {
  efficiencyOf,
  groupPoints,
  type MainMetric,
  modelSeries,
  type SweepPoint,
  seedCrossovers,
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

export interface ChartSpec {
  /** File stem, e.g. `throughput-TCP_RR`. */
  name: string;
  /** The crossover group key (`TCP_RR`, or `TCP_RR path=value` with axes). */
  group: string;
  metric: ChartMetric['id'];
  crossover: CrossoverStatus;
  spec: Record<string, unknown>;
}

/** A file-name-safe form of a group key. */
export function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._=-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

const fmt1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function crossoverNote(st: CrossoverStatus): string {
  switch (st.kind) {
    case 'crosses':
      return `per-cpu overtakes per-device at ≈ ${fmt1.format(st.at)} VMs`;
    case 'ahead-from-start':
      return `per-cpu ahead of per-device from ${st.from} VM${st.from === 1 ? '' : 's'}`;
    case 'never':
      return st.upTo === null
        ? 'crossover: not enough points'
        : `no crossover: per-cpu does not overtake per-device up to ${st.upTo} VMs`;
  }
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
export function chartSpecs(points: readonly SweepPoint[]): ChartSpec[] {
  const out: ChartSpec[] = [];
  for (const [group, g] of groupPoints(points)) {
    const vmsList = [...new Set(g.points.map((p) => p.vms))].sort((a, b) => a - b);
    const models = [...new Set(g.points.map((p) => p.model))];
    const withCi = g.points.some((p) => p.ci95 !== undefined);
    for (const metric of chartMetrics) {
      const values = g.points.map((p) => {
        const v: Record<string, unknown> = { model: p.model, vms: p.vms, value: metric.pick(p.metrics) };
        if (p.ci95) {
          v.low = p.ci95[metric.id].low;
          v.high = p.ci95[metric.id].high;
        }
        return v;
      });
      const status = crossoverStatus(modelSeries(g.points, metric.pick));
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
      const unit = metric.unit(g.points[0].metrics);
      // Whole numbers for transactions; decimals for small rates such as Gbit/s.
      const max = Math.max(...g.points.map((p) => Math.abs(metric.pick(p.metrics))));
      const format = max >= 100 ? ',.0f' : max >= 10 ? ',.1f' : ',.2f';
      const layers: Record<string, unknown>[] = [
        {
          mark: { type: 'line', strokeWidth: 2.5, point: { filled: true, size: 70 } },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: unit, axis: { format } },
            color,
            tooltip: [
              { field: 'model', type: 'nominal' },
              { field: 'vms', type: 'quantitative', title: 'VMs' },
              { field: 'value', type: 'quantitative', title: unit, format },
            ],
          },
        },
      ];
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
      if (status.kind === 'crosses') {
        const label = crossoverNote(status);
        // Label on the rule's right, or its left when the rule is in the right part of the chart.
        const onLeft = status.at > 0.6 * vmsList[vmsList.length - 1];
        layers.push({
          data: { values: [{ at: Number(status.at.toFixed(3)), label }] },
          layer: [
            {
              mark: { type: 'rule', color: '#333', strokeDash: [6, 4], strokeWidth: 1.5 },
              encoding: { x: { field: 'at', type: 'quantitative' } },
            },
            {
              mark: {
                type: 'text',
                align: onLeft ? 'right' : 'left',
                baseline: 'top',
                dx: onLeft ? -6 : 6,
                dy: 6,
                fontSize: 13,
                fontWeight: 'bold',
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
            crossoverNote(status) + seedSpread(seedCrossovers(g.points, metric.id)),
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
