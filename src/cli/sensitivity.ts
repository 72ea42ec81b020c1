/**
 * `vhost-sim sensitivity`: global sensitivity analysis of the simulator over the plausible ranges of the
 * calibration table. `--method morris` screens every ranged parameter (elementary effects, μ* and σ);
 * `--method sobol` estimates first-order and total Sobol' indices of the chosen ones. Runs like a sweep
 * (local worker threads or `--queue`, a journal that `--resume` reuses, progress with ETA) and writes a
 * results folder: sensitivity.json, indices.csv, samples.csv, scenario.json, meta.json, and a chart per
 * output. Registered by `addSensitivityCommand`.
 */

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Metrics } from '../metrics/summary.ts';
import { type ModelName, modelNames, type Scenario } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { runScenario } from '../runtime/runScenario.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { profiles } from '../scenario/profiles.ts';
import { resolveScenario, type ScenarioInput } from '../scenario/resolve.ts';
import { type OutputSpec, outputLabel, parseOutput } from '../sensitivity/outputs.ts';
import { parseParams } from '../sensitivity/parameters.ts';
import { saltelliProblem } from '../sensitivity/saltelli.ts';
import { SOBOL_MAX_DIMS } from '../sensitivity/sobolSequence.ts';
import {
  analyseStudy,
  type Method,
  type OutputAnalysis,
  type StudyResult,
  type StudySpec,
  studyGrid,
  studyPoints,
} from '../sensitivity/study.ts';
import { distinctRuns } from '../sweep/distinct.ts';
import { executeSweep } from '../sweep/execute.ts';
import { ResumeError } from '../sweep/journal.ts';
import { assertChartsInstalled, preloadCharts } from '../sweep/output.ts';
import { createProgress, formatDuration } from '../sweep/progress.ts';
import { queueTarget, redactedQueue } from '../sweep/queue.ts';
import { VERSION } from '../version.ts';
import { nameListParser, nameOption } from './names.ts';
import { compareCommand } from './sensitivityCompare.ts';
import { UsageError } from './usageError.ts';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
};
const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];
const vmsListOf = (value: string): number[] =>
  value.split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${v}' is not a VM count.`);
    return n;
  });
const modelPair = (value: string): [ModelName, ModelName] => {
  const list = nameListParser('model', modelNames)(value);
  if (list.length !== 2 || list[0] === list[1]) {
    throw new InvalidArgumentError('expected two different models: reference,challenger.');
  }
  return list as [ModelName, ModelName];
};

interface SensitivityOpts {
  method: Method;
  params: string;
  output: string[];
  models: [ModelName, ModelName];
  vmsList: number[];
  trajectories: number;
  levels: number;
  samples: number;
  seeds: number;
  designSeed: number;
  bootstrap: number;
  duration?: number;
  warmup?: number;
  seed?: number;
  profile?: string;
  set: string[];
  jobs?: number;
  out?: string;
  resume: boolean;
  charts: boolean;
  queue?: string | boolean;
  executor: ExecutorKind;
  format: 'table' | 'json' | 'csv' | 'md';
  estimate: boolean;
  compare?: string;
}

const DEFAULT_OUTPUTS = ['crossover', 'ratio@32'];

/** The study the options describe (every input checked: a bad one is a one-line error, exit 2). */
export function studySpec(file: string | undefined, o: SensitivityOpts): StudySpec {
  const input: ScenarioInput = file ? loadScenarioFile(file) : {};
  const flags: ScenarioInput = {};
  if (o.duration !== undefined) flags.durationS = o.duration;
  if (o.warmup !== undefined) flags.warmupS = o.warmup;
  if (o.seed !== undefined) flags.seed = o.seed;
  if (o.profile !== undefined) flags.profile = o.profile;
  const base = resolveScenario({ durationS: 0.2, ...input, ...flags }, o.set);
  const outputs: OutputSpec[] = (o.output.length > 0 ? o.output : DEFAULT_OUTPUTS).map(parseOutput);
  if (o.method === 'sobol' && !Number.isInteger(Math.log2(o.samples))) {
    throw new UsageError(`--samples: expected a power of two for a balanced Sobol' design, got ${o.samples}`);
  }
  const spec: StudySpec = {
    method: o.method,
    base,
    params: parseParams(o.params),
    outputs,
    models: o.models,
    vmsList: [...new Set(o.vmsList)].sort((a, b) => a - b),
    seeds: o.seeds,
    trajectories: o.trajectories,
    levels: o.levels,
    samples: o.samples,
    designSeed: o.designSeed,
    bootstrap: o.bootstrap,
  };
  if (o.method === 'sobol' && 2 * spec.params.length > SOBOL_MAX_DIMS) {
    throw new UsageError(
      `--params: a Sobol' study takes at most ${SOBOL_MAX_DIMS / 2} parameters (got ${spec.params.length}); screen them with --method morris first`,
    );
  }
  const aliased =
    o.method === 'sobol'
      ? saltelliProblem(
          spec.params.length,
          o.samples,
          spec.params.map((p) => short(p.path)),
        )
      : null;
  if (aliased !== null) throw new UsageError(`--samples: ${aliased}`);
  if (o.method === 'morris' && o.trajectories < 2)
    throw new UsageError('--trajectories: expected at least 2');
  if (o.levels % 2 !== 0) throw new UsageError(`--levels: expected an even number, got ${o.levels}`);
  return spec;
}

/** A short hash of everything that determines the results: the default results folder's name. */
function studyHash(command: string, spec: StudySpec): string {
  return createHash('sha256')
    .update(JSON.stringify({ command, ...spec, bootstrap: undefined }))
    .digest('hex')
    .slice(0, 8);
}

/**
 * Wall seconds one VM costs per virtual second, from two short runs of the largest configuration (the
 * first warms the JIT). Wall time, so it includes how busy the machine is now; an estimate (the cost per
 * VM also grows a little with contention between VMs).
 */
function probeCost(spec: StudySpec, grid: ReturnType<typeof studyGrid>, executor: ExecutorKind): number {
  const biggest = grid.reduce((a, g) => (g.vms > a.vms ? g : a), grid[0]);
  const s: Scenario = {
    ...biggest.scenario,
    durationS: Math.min(0.02, spec.base.durationS),
    warmupS: Math.min(0.01, spec.base.warmupS),
  };
  runScenario(s, { executor });
  const t0 = performance.now();
  runScenario(s, { executor });
  return (performance.now() - t0) / 1000 / (s.vms * (s.durationS + s.warmupS));
}

const fmt = (x: number, digits = 3) =>
  Number.isFinite(x)
    ? Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 })
    : '–';
const ci = (c: [number, number]) => `[${fmt(c[0])}, ${fmt(c[1])}]`;
const short = (path: string) => path.replace(/^profile\.(costs\.)?/, '');

function describeStudy(spec: StudySpec, samples: number, runs: number, distinct: number): string {
  const design =
    spec.method === 'morris'
      ? `Morris, r = ${spec.trajectories} trajectories, ${spec.levels} levels`
      : spec.method === 'sobol'
        ? `Sobol' (Saltelli), N = ${spec.samples}`
        : `Monte Carlo over the plausible ranges`;
  return (
    `${design}: ${spec.params.length} parameters, ${samples} samples × ${runs / samples / spec.seeds} runs × ` +
    `${spec.seeds} seed${spec.seeds > 1 ? 's' : ''} = ${runs.toLocaleString('en-US')} runs` +
    `${distinct < runs ? ` (${distinct.toLocaleString('en-US')} distinct, each simulated once)` : ''}; ` +
    `${spec.models.join(' vs ')}, ${spec.base.workload.kind}, profile ${spec.base.profile.name}, ` +
    `${spec.base.durationS} s measured after ${spec.base.warmupS} s`
  );
}

function noiseLine(a: OutputAnalysis): string {
  if (a.noise === null) return 'one seed per sample: seed noise not separated (use --seeds 2 or more)';
  const floor =
    a.noise.muStarFloor !== undefined
      ? `an inert parameter would show μ* ≤ ${fmt(a.noise.muStarFloor)}`
      : (a.noise.varianceShare ?? 0) >= 1
        ? 'the spread between samples is within seed noise: the indices are noise'
        : `${fmt(100 * (a.noise.varianceShare ?? 0), 2)} % of the variance is seed noise`;
  return `seed noise: sd ${fmt(a.noise.seedSd)} between seeds (${floor})`;
}

/** The human report: per output, its spread and the parameters ranked. */
export function formatStudy(spec: StudySpec, r: StudyResult, style: 'text' | 'md'): string {
  const lines: string[] = [];
  for (const a of r.analyses) {
    const head = `${a.output}: mean ${fmt(a.mean)}, sd ${fmt(Math.sqrt(a.variance))} over ${r.samples.length} samples`;
    const censored =
      a.censored > 0
        ? `; ${a.censored} samples did not cross inside ${spec.vmsList.join(',')} VMs (set to the end)`
        : '';
    lines.push(style === 'md' ? `### ${head}` : head, `${noiseLine(a)}${censored}`, '');
    const rows = a.morris
      ? a.morris.map((m, i) => [
          String(i + 1),
          short(m.path),
          fmt(m.muStar),
          ci(m.muStarCi),
          fmt(m.sigma),
          fmt(m.mu),
        ])
      : (a.sobol ?? []).map((s, i) => [
          String(i + 1),
          short(s.path),
          fmt(s.first, 2),
          ci(s.firstCi),
          fmt(s.total, 2),
          ci(s.totalCi),
        ]);
    const header = a.morris
      ? ['rank', 'parameter', 'μ*', '95 % CI', 'σ', 'μ']
      : ['rank', 'parameter', 'S', '95 % CI', 'ST', '95 % CI'];
    if (style === 'md') {
      lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`);
      for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
    } else {
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
      const line = (row: string[]) =>
        row
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd();
      lines.push(line(header), ...rows.map(line));
    }
    lines.push('');
  }
  return lines.join('\n');
}

function indicesCsv(r: StudyResult): string {
  const out = ['output,method,parameter,mu,muStar,muStarLow,muStarHigh,sigma,S,SLow,SHigh,ST,STLow,STHigh'];
  for (const a of r.analyses) {
    for (const m of a.morris ?? []) {
      out.push(
        [a.output, 'morris', m.path, m.mu, m.muStar, ...m.muStarCi, m.sigma, '', '', '', '', '', ''].join(
          ',',
        ),
      );
    }
    for (const s of a.sobol ?? []) {
      out.push(
        [a.output, 'sobol', s.path, '', '', '', '', '', s.first, ...s.firstCi, s.total, ...s.totalCi].join(
          ',',
        ),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

function samplesCsv(spec: StudySpec, r: StudyResult): string {
  const labels = spec.outputs.map(outputLabel);
  const out = [['sample', ...spec.params.map((p) => p.path), ...labels].join(',')];
  r.samples.forEach((s, i) => {
    out.push([i, ...s.values, ...labels.map((l) => s.outputs[l].value)].join(','));
  });
  return `${out.join('\n')}\n`;
}

export interface StudyRunOptions {
  jobs?: number;
  out?: string;
  resume: boolean;
  queue?: string | boolean;
  executor: ExecutorKind;
  /** Stop after printing the run count and the estimate. */
  estimate: boolean;
}

export interface StudyRun {
  points: number[][];
  metricsOf: (gridIndex: number) => Metrics;
  dir: string;
  about: string;
  cpuS: number;
  jobs: number;
  runs: number;
  resumedRuns: number;
  events: number;
}

/**
 * Run a study as `command` (sensitivity, uncertainty): print its size and a probed time estimate, then
 * (unless `estimate`) run it like a sweep — worker pool or queue, journal in the results folder,
 * `--resume`, progress with ETA. Null when only estimating.
 */
export async function executeStudy(
  command: string,
  spec: StudySpec,
  o: StudyRunOptions,
): Promise<StudyRun | null> {
  const points = studyPoints(spec);
  const grid = studyGrid(spec, points);
  const jobs = o.jobs ?? availableParallelism();
  const dir = o.out ?? join('results', `${command}-${studyHash(command, spec)}`);
  // A design that revisits a point (Morris on its level grid) simulates it once (runPoints).
  const distinct = [...distinctRuns(grid.map((g) => g.scenario)).values()].map((g) => grid[g[0]]);
  const about = describeStudy(spec, points.length, grid.length, distinct.length);
  const cost = probeCost(spec, grid, o.executor);
  const cpuS = distinct.reduce((s, g) => s + cost * g.vms * (g.scenario.durationS + g.scenario.warmupS), 0);
  const where =
    o.queue === undefined
      ? `about ${formatDuration(cpuS / Math.min(jobs, availableParallelism()))} on ${jobs} local job${jobs > 1 ? 's' : ''}`
      : `divide by the queue workers' total concurrency`;
  const size = `vhost-sim ${command}: ${about}\nestimated ${formatDuration(cpuS)} on one job at the machine's present load (${where})\n`;
  // With --estimate the size is the command's output (stdout); before a run it is a note (stderr).
  if (o.estimate) {
    process.stdout.write(size);
    return null;
  }
  process.stderr.write(size);

  const progress = createProgress({
    enabled: Boolean(process.stderr.isTTY) && !process.env.CI,
    write: (t) => process.stderr.write(t),
    now: () => performance.now(),
    label: command,
  });
  let run: Awaited<ReturnType<typeof executeSweep>>;
  try {
    progress.update(0, grid.length, true);
    run = await executeSweep({
      grid,
      jobs,
      executor: o.executor,
      queue: queueTarget(o.queue),
      outDir: dir,
      resume: o.resume,
      onProgress: (done, total, fromJournal) => progress.update(done, total, fromJournal),
    });
  } catch (err) {
    if (err instanceof ResumeError) throw new UsageError(err.message);
    throw err;
  } finally {
    progress.finish();
  }
  if (run.failed.length > 0) {
    const f = run.failed[0];
    throw new UsageError(
      `${run.failed.length} of ${grid.length} runs failed (journaled in ${dir}/points.jsonl); first: sample ${JSON.stringify(f.axes)} ${f.model} at ${f.vms} VMs: ${f.error}`,
    );
  }
  const done = run;
  return {
    points,
    metricsOf: (i) => done.points[i].metrics,
    dir,
    about,
    cpuS,
    jobs,
    runs: run.runs,
    resumedRuns: run.resumedRuns,
    events: run.events,
  };
}

async function sensitivityCommand(file: string | undefined, o: SensitivityOpts): Promise<void> {
  if (o.compare !== undefined) {
    compareCommand(o.compare, o.format);
    return;
  }
  const t0 = performance.now();
  const spec = studySpec(file, o);
  // Before any run: a missing chart package is one line naming it, not a stack trace after the study.
  if (o.charts && !o.estimate) assertChartsInstalled();
  const run = await executeStudy('sensitivity', spec, o);
  if (run === null) return;
  const { points, dir, about, cpuS, jobs } = run;
  const result = analyseStudy(spec, points, run.metricsOf);
  const doc = {
    method: spec.method,
    design: {
      trajectories: spec.method === 'morris' ? spec.trajectories : undefined,
      levels: spec.method === 'morris' ? spec.levels : undefined,
      samples: spec.method === 'sobol' ? spec.samples : undefined,
      designSeed: spec.designSeed,
      bootstrap: spec.bootstrap,
    },
    params: spec.params.map((p) => ({
      path: p.path,
      unit: p.unit,
      kind: p.kind,
      lo: p.range.lo,
      hi: p.range.hi,
    })),
    outputs: spec.outputs.map(outputLabel),
    models: spec.models,
    vmsList: spec.vmsList,
    seeds: spec.seeds,
    analyses: result.analyses,
    samples: result.samples,
    meta: { version: VERSION, runs: run.runs, events: run.events, executor: o.executor },
  };
  const jsonText = `${JSON.stringify(doc, null, 2)}\n`;
  const csvText = indicesCsv(result);
  if (o.format === 'json') process.stdout.write(jsonText);
  else if (o.format === 'csv') process.stdout.write(csvText);
  else {
    const head = `vhost-sim sensitivity: ${about}`;
    process.stdout.write(
      `${o.format === 'md' ? `## ${head}` : head}\n\n${formatStudy(spec, result, o.format === 'md' ? 'md' : 'text')}`,
    );
  }

  const files = [
    'sensitivity.json',
    'indices.csv',
    'samples.csv',
    'scenario.json',
    'meta.json',
    'points.jsonl',
  ];
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'sensitivity.json'), jsonText);
    await writeFile(join(dir, 'indices.csv'), csvText);
    await writeFile(join(dir, 'samples.csv'), samplesCsv(spec, result));
    await writeFile(join(dir, 'scenario.json'), `${JSON.stringify(spec.base, null, 2)}\n`);
    let charts = 0;
    if (o.charts) {
      const { writeChart } = await preloadCharts();
      const { sensitivitySpecs } = await import('../charts/sensitivitySpec.ts');
      for (const c of sensitivitySpecs(result.analyses, about.split('; '))) {
        await writeChart(dir, c.name, c.spec);
        charts++;
      }
    }
    const meta = {
      version: VERSION,
      command: 'sensitivity',
      method: spec.method,
      runs: run.runs,
      resumedRuns: run.resumedRuns,
      events: run.events,
      nodeVersion: process.version,
      executor: o.executor,
      jobs,
      queue: redactedQueue(o.queue),
      estimatedOneJobS: Math.round(cpuS),
      wallTimeS: Math.round(performance.now() - t0) / 1000,
    };
    await writeFile(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    const note = `wrote results to ${dir}/ (${files.join(', ')}${charts > 0 ? `, ${charts} charts as SVG and PNG` : ''})\n`;
    if (o.format === 'table' || o.format === 'md') process.stdout.write(note);
    else process.stderr.write(note);
  } catch (err) {
    throw new UsageError(`cannot write results to ${dir}: ${(err as Error).message}`);
  }
}

export function addSensitivityCommand(program: Command): void {
  program
    .command('sensitivity')
    .description(
      'global sensitivity of the results to the plausible ranges of the costs (Morris screening or Sobol indices)',
    )
    .argument('[scenario-file]', 'base scenario file (.json, .yaml, .yml); --set overrides it')
    .addOption(
      new Option('--method <method>', 'morris (screening) or sobol (variance shares)')
        .choices(['morris', 'sobol'])
        .default('morris'),
    )
    .option(
      '--params <list>',
      "'all' ranged rows of docs/calibration.md, or paths (cgroupAttachNs,ctxSwitchNs,...), each optionally =lo:hi",
      'all',
    )
    .option(
      '--output <spec>',
      `what to analyse (repeatable): crossover[:METRIC], ratio[:METRIC]@VMS, METRIC@MODEL:VMS (default ${DEFAULT_OUTPUTS.join(' and ')})`,
      collect,
      [],
    )
    .option('--models <a,b>', 'reference and challenger model of crossovers and ratios', modelPair, [
      'per-device',
      'per-cpu',
    ] as [ModelName, ModelName])
    .option('--vms-list <list>', 'VM counts a crossover is located on', vmsListOf, [1, 2, 4, 8, 16, 32])
    .option('--trajectories <r>', 'morris: trajectories', positiveInt, 10)
    .option('--levels <p>', 'morris: grid levels (even)', positiveInt, 4)
    .option(
      '--samples <n>',
      'sobol: base rows N of the Saltelli design (a power of two; N (k + 2) samples)',
      positiveInt,
      64,
    )
    .option(
      '--seeds <n>',
      'seeds per sample (the same at every sample), to separate their noise',
      positiveInt,
      2,
    )
    .option('--design-seed <n>', 'seed of the Morris trajectories and of the bootstrap', positiveInt, 1)
    .option('--bootstrap <n>', 'bootstrap resamples for the confidence intervals', positiveInt, 1000)
    .option('--duration <s>', 'measured virtual seconds per run (default 0.2)', number)
    .option('--warmup <s>', 'warm-up virtual seconds per run', number)
    .option('--seed <n>', 'first seed', number)
    .addOption(nameOption('--profile <name>', 'host profile', 'profile', Object.keys(profiles)))
    .option('--set <path=value>', 'set any scenario path of the base scenario (repeatable)', collect, [])
    .option('--jobs <n>', 'runs in parallel on worker threads (default: available cores)', positiveInt)
    .option('--out <dir>', 'results folder (default: results/sensitivity-<hash of the study>)')
    .option('--resume', 'reuse the runs already journaled in the results folder', false)
    .option('--no-charts', 'do not render the SVG and PNG charts')
    .option(
      '--queue [url]',
      'run on `vhost-sim worker` processes through Redis: redis://HOST:PORT (no URL: $VHOST_SIM_QUEUE)',
    )
    .option('--estimate', 'print the number of runs and the time estimate, then stop', false)
    .option(
      '--compare <A,B>',
      "run nothing: compare the parameter rankings (μ* or ST) of two results folders, with Spearman's ρ",
    )
    .addOption(
      new Option('--executor <kind>', 'machine executor').choices(['fast', 'xstate']).default('fast'),
    )
    .addOption(
      new Option('--format <format>', 'output format (md: Markdown tables)')
        .choices(['table', 'json', 'csv', 'md'])
        .default('table'),
    )
    .action((file: string | undefined, o: SensitivityOpts) => sensitivityCommand(file, o));
}
