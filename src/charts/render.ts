/**
 * Renders chart specs without a browser: Vega-Lite compiles to Vega, Vega renders an SVG headlessly,
 * resvg rasterizes it to PNG. Each chart is written as `<name>.svg`, `<name>.png` and its spec
 * `<name>.vl.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { CrossoverOptions, SweepPoint } from '../sweep/sweep.ts';
import { type ChartSpec, chartSpecs } from './spec.ts';

/** PNG pixels per SVG pixel: 2 gives a crisp 1350-pixel-wide image. */
const PNG_SCALE = 2;

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vg = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

export interface WrittenChart {
  chart: ChartSpec;
  files: string[];
}

/** Write one chart as `<name>.vl.json`, `<name>.svg` and `<name>.png` in `dir`; returns the paths. */
export async function writeChart(
  dir: string,
  name: string,
  spec: Record<string, unknown>,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const svg = await renderSvg(spec);
  const base = join(dir, name);
  const files = [`${base}.vl.json`, `${base}.svg`, `${base}.png`];
  await writeFile(files[0], `${JSON.stringify(spec, null, 2)}\n`);
  await writeFile(files[1], svg);
  await writeFile(files[2], svgToPng(svg));
  return files;
}

/** Write every chart of a sweep into `dir`; returns what was written, in chart order. */
export async function writeCharts(
  dir: string,
  points: readonly SweepPoint[],
  options: CrossoverOptions = {},
): Promise<WrittenChart[]> {
  if (points.length === 0) return [];
  const out: WrittenChart[] = [];
  for (const chart of chartSpecs(points, options))
    out.push({ chart, files: await writeChart(dir, chart.name, chart.spec) });
  return out;
}
