/**
 * Vega-Lite specs for a sensitivity study: for Morris, μ* against σ per parameter (with μ*'s bootstrap
 * interval and the seed-noise floor); for Sobol', first-order and total index bars with their intervals.
 * One chart per output. Pure data: rendering is in render.ts.
 */
import type { OutputAnalysis } from '../sensitivity/study.ts';
import { slug } from './spec.ts';

export interface NamedSpec {
  name: string;
  spec: Record<string, unknown>;
}

/** `profile.costs.cgroupAttachNs` -> `cgroupAttachNs`: the name a reader knows from docs/calibration.md. */
export const shortName = (path: string) => path.slice(path.lastIndexOf('.') + 1);

const CONFIG = {
  font: 'DejaVu Sans',
  axis: { labelFontSize: 12, titleFontSize: 13, titlePadding: 8 },
  legend: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#444', anchor: 'start', offset: 10 },
};

function morrisSpec(a: OutputAnalysis, subtitle: string[]): Record<string, unknown> {
  const values = (a.morris ?? []).map((m) => ({
    name: shortName(m.path),
    muStar: m.muStar,
    sigma: m.sigma,
    lo: m.muStarCi[0],
    hi: m.muStarCi[1],
  }));
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'errorbar', color: '#1f5fa8', ticks: { size: 6 } },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: 'μ* (mean |elementary effect| over the whole range)' },
        x2: { field: 'hi' },
        y: { field: 'sigma', type: 'quantitative', title: 'σ (non-linearity or interaction)' },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 70, color: '#1f5fa8' },
      encoding: { x: { field: 'muStar', type: 'quantitative' }, y: { field: 'sigma', type: 'quantitative' } },
    },
    {
      mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11 },
      encoding: {
        x: { field: 'muStar', type: 'quantitative' },
        y: { field: 'sigma', type: 'quantitative' },
        text: { field: 'name' },
      },
    },
  ];
  if (a.noise?.muStarFloor !== undefined) {
    layers.push({
      data: { values: [{ floor: a.noise.muStarFloor, label: 'seed-noise floor' }] },
      layer: [
        {
          mark: { type: 'rule', color: '#999', strokeDash: [5, 4] },
          encoding: { x: { field: 'floor', type: 'quantitative' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, baseline: 'top', dy: 4, color: '#777', fontSize: 11 },
          encoding: {
            x: { field: 'floor', type: 'quantitative' },
            y: { value: 0 },
            text: { field: 'label' },
          },
        },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Morris screening: ${a.output}`, subtitle },
    width: 600,
    height: 380,
    background: 'white',
    padding: 16,
    data: { values },
    layer: layers,
    config: CONFIG,
  };
}

function sobolSpec(a: OutputAnalysis, subtitle: string[]): Record<string, unknown> {
  const order = (a.sobol ?? []).map((s) => shortName(s.path));
  const values = (a.sobol ?? []).flatMap((s) => [
    { name: shortName(s.path), index: 'first order S', value: s.first, lo: s.firstCi[0], hi: s.firstCi[1] },
    { name: shortName(s.path), index: 'total ST', value: s.total, lo: s.totalCi[0], hi: s.totalCi[1] },
  ]);
  const y = { field: 'name', type: 'nominal', title: null, sort: order };
  const color = {
    field: 'index',
    type: 'nominal',
    title: null,
    scale: { domain: ['first order S', 'total ST'], range: ['#1f5fa8', '#d1495b'] },
    legend: { orient: 'bottom', direction: 'horizontal' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Sobol' indices: ${a.output}`, subtitle },
    width: 560,
    height: { step: 14 },
    background: 'white',
    padding: 16,
    data: { values },
    encoding: { y, yOffset: { field: 'index' }, color },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: {
            field: 'value',
            type: 'quantitative',
            title: 'share of the output variance',
            scale: { domain: [0, 1], clamp: true },
          },
        },
      },
      {
        mark: { type: 'errorbar', color: '#333', ticks: { size: 5 } },
        encoding: {
          x: { field: 'lo', type: 'quantitative', title: 'share of the output variance' },
          x2: { field: 'hi' },
        },
      },
    ],
    config: CONFIG,
  };
}

/** One chart per output: `morris-<output>` or `sobol-<output>`. `subtitle` describes the study. */
export function sensitivitySpecs(analyses: readonly OutputAnalysis[], subtitle: string[]): NamedSpec[] {
  return analyses.map((a) =>
    a.morris
      ? { name: `morris-${slug(a.output)}`, spec: morrisSpec(a, subtitle) }
      : { name: `sobol-${slug(a.output)}`, spec: sobolSpec(a, subtitle) },
  );
}
