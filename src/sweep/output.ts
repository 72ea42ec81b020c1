/**
 * The results folder of a sweep: points.jsonl (journal, in grid order once finished), `<command>.json`
 * (the same document as `--format json`), summary.csv, crossover.csv, scenario.json (the resolved base scenario), the
 * charts with their specs, and meta.json (the only file with wall time and other run-dependent facts).
 */
import { createHash } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelName, Scenario } from '../model/scenario.ts';
import { firstMissing, importOptional, MissingPackageError } from '../optional.ts';
import { batched } from './jsonChunks.ts';
import type { CrossoverOptions, SweepAxis, SweepPoint } from './sweep.ts';

export interface SweepIdentity {
  command: string;
  base: Scenario;
  models: readonly ModelName[];
  vmsList: readonly number[];
  axes?: readonly SweepAxis[];
  workloads?: readonly string[];
  reps: number;
  /** `--refine`, with the tie tolerance it refines by (the added points depend on it). */
  refine?: { tolerance: number };
}

/** A short, timestamp-free hash of everything that determines a sweep's results. */
export function sweepHash(id: SweepIdentity): string {
  const text = JSON.stringify({
    command: id.command,
    base: id.base,
    models: id.models,
    vmsList: id.vmsList,
    axes: id.axes ?? [],
    ...(id.workloads === undefined ? {} : { workloads: id.workloads }),
    reps: id.reps,
    ...(id.refine === undefined ? {} : { refine: id.refine }),
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** `results/<command>-<hash>`: the same sweep always lands in (and resumes from) the same folder. */
export const defaultOutDir = (id: SweepIdentity) => join('results', `${id.command}-${sweepHash(id)}`);

export interface ResultsFolder {
  dir: string;
  stem: string;
  /** The document's text in pieces (never one string: it may be larger than a string can be). */
  json: () => Iterable<string>;
  csvText: string;
  /** The crossover statements as CSV (crossover.csv), one row per group and metric. */
  crossoverCsvText: string;
  /** Options of the statements, for the charts. */
  crossover?: CrossoverOptions;
  scenario: Scenario;
  points: readonly SweepPoint[];
  /** Written last; may hold wall time. */
  meta: () => Record<string, unknown>;
  /** Skip the charts (they are the slow part). */
  charts?: boolean;
}

/** The optional packages the chart renderer needs. */
export const CHART_PACKAGES = ['vega', 'vega-lite', '@resvg/resvg-js'] as const;

/** Throw a MissingPackageError now, before any point runs, when charts are asked for without their packages. */
export function assertChartsInstalled(): void {
  if (firstMissing(CHART_PACKAGES) !== undefined)
    throw new MissingPackageError('charts', CHART_PACKAGES, 'pass --no-charts');
}

type ChartsModule = typeof import('../charts/render.ts');
let chartsModule: Promise<ChartsModule> | undefined;

/**
 * Start loading the chart renderer (Vega, Vega-Lite, resvg: about 2 s of module loading) now, so it
 * overlaps with the points being computed on worker threads instead of following them.
 */
export function preloadCharts(): Promise<ChartsModule> {
  chartsModule ??= importOptional(() => import('../charts/render.ts'), 'charts', CHART_PACKAGES);
  return chartsModule;
}

const json = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/** Write the folder's files; returns their paths (points.jsonl is already there). */
export async function writeResultsFolder(f: ResultsFolder): Promise<string[]> {
  await mkdir(f.dir, { recursive: true });
  const files: string[] = [];
  const put = async (name: string, text: string | Buffer) => {
    const p = join(f.dir, name);
    await writeFile(p, text);
    files.push(p);
  };
  const jsonFile = join(f.dir, `${f.stem}.json`);
  const fh = await open(jsonFile, 'w');
  try {
    for (const piece of batched(f.json())) await fh.write(piece);
  } finally {
    await fh.close();
  }
  files.push(jsonFile);
  await put('summary.csv', f.csvText);
  await put('crossover.csv', f.crossoverCsvText);
  await put('scenario.json', json(f.scenario));
  if (f.charts !== false && f.points.length > 0) {
    const { writeCharts } = await preloadCharts();
    for (const c of await writeCharts(f.dir, f.points, f.crossover)) files.push(...c.files);
  }
  await put('meta.json', json(f.meta()));
  return files;
}
