import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSvg, svgToPng, writeCharts } from '../../src/charts/render.ts';
import { chartSpecs, slug } from '../../src/charts/spec.ts';
import type { Metrics } from '../../src/metrics/summary.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { type SweepPoint, sweepCrossover } from '../../src/sweep/sweep.ts';

const scenario = resolveScenario({});
const metrics = (tps: number, eff: number) =>
  ({
    throughput: { value: tps, unit: 'transactions/s' },
    efficiency: { value: eff, unit: 'transactions per busy CPU-second' },
  }) as unknown as Metrics;
const point = (
  model: 'per-device' | 'per-cpu',
  vms: number,
  tps: number,
  eff: number,
  ci = 0,
): SweepPoint => {
  const p: SweepPoint = { model, vms, workload: 'TCP_RR', scenario, metrics: metrics(tps, eff) };
  if (ci > 0) {
    p.reps = 3;
    const r = (x: number) => ({ low: x - ci, high: x + ci });
    p.ci95 = {
      throughput: r(tps),
      efficiency: r(eff),
      latencyP50Us: r(0),
      latencyP99Us: r(0),
      cpuUtilization: r(0),
      contextSwitchesPerSec: r(0),
    };
  }
  return p;
};
// Throughput: level within the CIs at 1 VM, per-device ahead at 4, per-cpu at 8; efficiency: per-device ahead.
const points = [
  point('per-device', 1, 13_000, 33_000, 500),
  point('per-device', 4, 50_000, 31_000, 500),
  point('per-device', 8, 90_000, 30_000, 500),
  point('per-cpu', 1, 12_000, 27_000, 500),
  point('per-cpu', 4, 46_000, 26_000, 500),
  point('per-cpu', 8, 94_000, 25_000, 500),
];

describe('chart specs', () => {
  const specs = chartSpecs(points);
  it('one chart per workload and metric, with unit axis titles, one line per model', () => {
    expect(specs.map((s) => s.name)).toEqual(['throughput-TCP_RR', 'efficiency-TCP_RR']);
    const text = JSON.stringify(specs[0].spec);
    expect(text).toContain('"title":"VMs"');
    expect(text).toContain('"title":"transactions/s"');
    expect(JSON.stringify(specs[1].spec)).toContain('"title":"transactions per busy CPU-second"');
    const line = layerOf(specs[0], 'line');
    expect(line.encoding?.color).toMatchObject({
      field: 'model',
      scale: { domain: ['per-device', 'per-cpu'] },
    });
  });

  type Layer = { mark: { type: string }; encoding?: Record<string, { scale?: { range: unknown[] } }> };
  const layerOf = (s: (typeof specs)[number], type: string) =>
    (s.spec.layer as Layer[]).find((l) => l.mark?.type === type) as Layer;

  it('each model has its own dash and marker, so lines that coincide stay distinguishable', () => {
    const dashes = layerOf(specs[0], 'line').encoding?.strokeDash?.scale?.range ?? [];
    const shapes = layerOf(specs[0], 'point').encoding?.shape?.scale?.range ?? [];
    expect(new Set(dashes.map((d) => JSON.stringify(d))).size).toBe(2);
    expect(new Set(shapes).size).toBe(2);
  });

  it('says the crossover statement, marks every crossing with a rule and shades the level counts', () => {
    const t = specs[0];
    const statements = sweepCrossover(points);
    expect(t.crossover).toEqual(statements.TCP_RR.throughput);
    expect(t.crossover.kind).toBe('overtakes');
    const text = JSON.stringify(t.spec);
    expect(text).toContain(JSON.stringify(t.crossover.text.split('; ')[0]));
    expect(text).toContain('"type":"rule"');
    expect(text).toContain('"type":"rect"');
    expect(text).toContain('"type":"errorbar"');
    expect(JSON.stringify(specs[1].spec)).not.toContain('"type":"rule"');
    expect(JSON.stringify(specs[1].spec)).toContain('per-device ahead everywhere');
  });

  it('makes file-safe names for axis groups', () => {
    expect(slug('TCP_RR profile.nic.irqCpus=[0,4]')).toBe('TCP_RR_profile.nic.irqCpus=_0_4');
  });
});

describe('rendering without a browser', () => {
  it('renders SVG and PNG and writes them beside their spec', async () => {
    const svg = await renderSvg(chartSpecs(points)[0].spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('transactions/s');
    expect(svg).toContain('per-cpu overtakes per-device from 8 VMs');
    const png = svgToPng(svg);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-charts-'));
    const written = await writeCharts(dir, points);
    expect(written.flatMap((w) => w.files.map((f) => f.slice(dir.length + 1)))).toEqual([
      'throughput-TCP_RR.vl.json',
      'throughput-TCP_RR.svg',
      'throughput-TCP_RR.png',
      'efficiency-TCP_RR.vl.json',
      'efficiency-TCP_RR.svg',
      'efficiency-TCP_RR.png',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'throughput-TCP_RR.vl.json'), 'utf8')).$schema).toContain(
      'vega-lite',
    );
    // PNG width: 2 x the SVG's.
    const width = readFileSync(join(dir, 'efficiency-TCP_RR.png')).readUInt32BE(16);
    expect(width).toBeGreaterThan(1000);
  });
});
