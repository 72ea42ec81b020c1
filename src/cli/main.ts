/**
 * The `vhost-sim` command line: `run`, `sweep` and `reproduce`.
 *
 * Exit status: 0 success; 2 bad input (flags, scenario, files) with one `vhost-sim: error: ...` line on
 * stderr; 1 internal error (stack trace only with VHOST_SIM_DEBUG=1).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { ModelName } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { runScenario } from '../runtime/runScenario.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { profiles } from '../scenario/profiles.ts';
import { deepMerge, resolveScenario, type ScenarioInput } from '../scenario/resolve.ts';
import { ScenarioError } from '../scenario/schema.ts';
import {
  buildGrid,
  type CrossoverEntry,
  type GridPoint,
  parseAxis,
  runPoints,
  type SweepAxis,
  type SweepPoint,
  sweepCrossover,
  toSweepPoints,
} from '../scenario/sweep.ts';
import {
  describeScenario,
  formatReproduceTable,
  formatRunTable,
  formatSweepTable,
  runCsv,
  sweepCsv,
} from './format.ts';

type Format = 'table' | 'json' | 'csv';

/** Bad command-line input that is not about the scenario itself (exit status 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

const MODELS: ModelName[] = ['per-device', 'per-cpu'];
const REPRODUCE_VMS = [1, 2, 4, 6, 8, 12, 16, 24, 32];

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}
const VERSION = packageVersion();

interface Meta {
  version: string;
  nodeVersion: string;
  executor: ExecutorKind;
  events: number;
}
const meta = (executor: ExecutorKind, events: number): Meta => ({
  version: VERSION,
  nodeVersion: process.version,
  executor,
  events,
});

// ---------------------------------------------------------------- option parsing

const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];
const numberList = (value: string): number[] =>
  value.split(',').map((v) => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`'${v}' is not a number.`);
    return n;
  });
const modelList = (value: string): ModelName[] => {
  const list = value.split(',').map((v) => v.trim());
  for (const m of list) {
    if (!MODELS.includes(m as ModelName)) {
      throw new InvalidArgumentError(`'${m}' is not a model (per-device, per-cpu).`);
    }
  }
  return list as ModelName[];
};

interface BaseOpts {
  model?: ModelName;
  vms?: number;
  vcpus?: number;
  devices?: number;
  instances?: number;
  workload?: 'TCP_RR';
  duration?: number;
  warmup?: number;
  seed?: number;
  profile?: string;
  set: string[];
  executor: ExecutorKind;
  format: Format;
}

function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table');
}
function executorOption(): Option {
  return new Option('--executor <kind>', 'machine executor').choices(['fast', 'xstate']).default('fast');
}
function setOption(cmd: Command): Command {
  return cmd.option(
    '--set <path=value>',
    'set any scenario path, e.g. profile.costs.ctxSwitchNs=0 or profile.nic.irqCpus=[0,4] (repeatable; value is JSON when it parses, else a string)',
    collect,
    [],
  );
}

function addBaseOptions(cmd: Command, grid: boolean): Command {
  if (!grid) {
    cmd
      .addOption(new Option('--model <model>', 'vhost threading model').choices(MODELS))
      .option('--vms <n>', 'number of VMs', number);
  } else {
    // Accepted only to give a helpful message: a sweep takes its models and VM counts from lists.
    cmd.addOption(new Option('--model <model>').hideHelp()).addOption(new Option('--vms <n>').hideHelp());
  }
  cmd
    .option('--vcpus <n>', 'vCPUs per VM', number)
    .option('--devices <n>', 'virtio-net devices per VM', number)
    .option('--instances <n>', 'netperf instances per VM', number)
    .addOption(new Option('--workload <kind>', 'workload').choices(['TCP_RR']))
    .option('--duration <s>', 'measured virtual seconds', number)
    .option('--warmup <s>', 'warm-up virtual seconds (not measured)', number)
    .option('--seed <n>', 'random seed', number)
    .addOption(new Option('--profile <name>', 'host profile').choices(Object.keys(profiles)));
  setOption(cmd);
  return cmd.addOption(executorOption()).addOption(formatOption());
}

/** Scenario input from a file (if any) with the flags merged over it; `--set` is applied by resolve. */
function baseInput(file: string | undefined, o: BaseOpts): ScenarioInput {
  const fromFile: ScenarioInput = file ? loadScenarioFile(file) : {};
  if (typeof fromFile.profile === 'string') fromFile.profile = { name: fromFile.profile };
  const flags: Record<string, unknown> = {
    model: o.model,
    vms: o.vms,
    vcpusPerVm: o.vcpus,
    devicesPerVm: o.devices,
    workload: { kind: o.workload, instances: o.instances },
    durationS: o.duration,
    warmupS: o.warmup,
    seed: o.seed,
    profile: o.profile === undefined ? undefined : { name: o.profile },
  };
  return deepMerge(fromFile, compact(flags));
}

/** Drop undefined values and objects left empty, so unset flags never touch the file's values. */
function compact(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const c = compact(v as Record<string, unknown>);
      if (Object.keys(c).length > 0) out[k] = c;
    } else out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------- output

function write(text: string): void {
  process.stdout.write(text);
}
const json = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

const showProgress = () => Boolean(process.stderr.isTTY) && !process.env.CI;

async function writeOutputs(dir: string, stem: string, jsonText: string, csvText: string): Promise<string[]> {
  const files = [join(dir, `${stem}.json`), join(dir, `${stem}.csv`)];
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(files[0], jsonText);
    await writeFile(files[1], csvText);
  } catch (err) {
    throw new UsageError(`cannot write results to ${dir}: ${(err as Error).message}`);
  }
  return files;
}

// ---------------------------------------------------------------- commands

function runCommand(file: string | undefined, o: BaseOpts): void {
  const scenario = resolveScenario(baseInput(file, o), o.set);
  const { metrics, events } = runScenario(scenario, { executor: o.executor });
  const m = meta(o.executor, events);
  if (o.format === 'json') write(json({ scenario, metrics, meta: m }));
  else if (o.format === 'csv') write(runCsv(metrics));
  else write(formatRunTable(scenario, metrics, m));
}

interface SweepDoc {
  points: SweepPoint[];
  crossover: Record<string, CrossoverEntry>;
  meta: Meta;
  /** Present when a point failed: the points before it are kept. */
  failed?: { model: ModelName; vms: number; axes?: Record<string, unknown>; error: string };
}

/** A point failure, reported after partial results are written. */
class PointFailure extends Error {
  constructor(
    readonly point: GridPoint,
    readonly error: unknown,
  ) {
    const axes = Object.entries(point.axes)
      .map(([k, v]) => `, ${k}=${JSON.stringify(v)}`)
      .join('');
    super(
      `point (${point.model}, ${point.vms} VMs${axes}) failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

interface SweepRun {
  doc: SweepDoc;
  points: SweepPoint[];
  failure?: PointFailure;
}

async function runSweep(grid: GridPoint[], executor: ExecutorKind): Promise<SweepRun> {
  const progress = showProgress();
  let started = 0;
  const outcome = await runPoints(
    grid.map((g) => g.scenario),
    {
      executor,
      onStart: (i) => {
        started = performance.now();
        if (progress)
          process.stderr.write(`[${i + 1}/${grid.length}] ${describeScenario(grid[i].scenario)} ...`);
      },
      onDone: () => {
        if (progress) process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      },
    },
  );
  if (progress && outcome.failure) process.stderr.write(' failed\n');
  const points = toSweepPoints(grid, outcome.results);
  const events = outcome.results.reduce((a, r) => a + r.events, 0);
  const doc: SweepDoc = { points, crossover: sweepCrossover(points), meta: meta(executor, events) };
  let failure: PointFailure | undefined;
  if (outcome.failure) {
    const g = grid[outcome.failure.index];
    failure = new PointFailure(g, outcome.failure.error);
    doc.failed = { model: g.model, vms: g.vms, error: failure.message };
    if (Object.keys(g.axes).length > 0) doc.failed.axes = g.axes;
  }
  return { doc, points, failure };
}

interface SweepOpts extends BaseOpts {
  models: ModelName[];
  vmsList: number[];
  axis: string[];
  out?: string;
}

async function sweepCommand(file: string | undefined, o: SweepOpts): Promise<void> {
  if (o.model !== undefined)
    throw new UsageError('--model is not a sweep option; use --models (e.g. --models per-cpu)');
  if (o.vms !== undefined)
    throw new UsageError('--vms is not a sweep option; use --vms-list (e.g. --vms-list 1,2,4)');
  const base = resolveScenario(baseInput(file, o), o.set);
  const axes: SweepAxis[] = o.axis.map(parseAxis);
  const grid = buildGrid({ base, models: o.models, vmsList: o.vmsList, axes });
  const { doc, points, failure } = await runSweep(grid, o.executor);
  const jsonText = json(doc);
  const csvText = sweepCsv(points);
  if (o.format === 'json') write(jsonText);
  else if (o.format === 'csv') write(csvText);
  else write(formatSweepTable(points));
  if (o.out !== undefined) {
    const files = await writeOutputs(o.out, 'sweep', jsonText, csvText);
    process.stderr.write(`wrote ${files.join(' and ')}\n`);
  }
  if (failure) throw failure;
}

interface ReproduceOpts {
  out: string;
  duration?: number;
  seed?: number;
  set: string[];
  executor: ExecutorKind;
  format: Format;
}

async function reproduceCommand(o: ReproduceOpts): Promise<void> {
  const base = resolveScenario({ durationS: o.duration, seed: o.seed, workload: { kind: 'TCP_RR' } }, o.set);
  const grid = buildGrid({ base, models: MODELS, vmsList: REPRODUCE_VMS });
  const { doc, points, failure } = await runSweep(grid, o.executor);
  const jsonText = json(doc);
  const csvText = sweepCsv(points);
  if (o.format === 'json') write(jsonText);
  else if (o.format === 'csv') write(csvText);
  else {
    const w = base.workload;
    write(
      `vhost-sim reproduce: ${w.kind} x${w.instances} per VM, per-device vs per-cpu, ${REPRODUCE_VMS.length} VM counts ` +
        `(${REPRODUCE_VMS.join(', ')}), profile ${base.profile.name}, ${base.durationS} s measured after ` +
        `${base.warmupS} s warm-up, seed ${base.seed}\n\n`,
    );
    write(formatReproduceTable(points));
  }
  const files = await writeOutputs(o.out, 'reproduce', jsonText, csvText);
  const note = `wrote ${files.join(' and ')}\n`;
  if (o.format === 'table') write(`\n${note}`);
  else process.stderr.write(note);
  if (failure) throw failure;
}

// ---------------------------------------------------------------- program

export function buildProgram(): Command {
  const program = new Command('vhost-sim')
    .description(
      'Discrete-event simulator of KVM vhost threading models (per-device vs per-CPU vhost workers)',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);

  addBaseOptions(
    program
      .command('run')
      .description('run one scenario and report its metrics')
      .argument('[scenario-file]', 'scenario file (.json, .yaml, .yml); flags and --set override it'),
    false,
  ).action((file: string | undefined, o: BaseOpts) => runCommand(file, o));

  addBaseOptions(
    program
      .command('sweep')
      .description('run a grid of models x VM counts x extra axes and report the crossover')
      .argument('[scenario-file]', 'base scenario file (.json, .yaml, .yml)'),
    true,
  )
    .option('--models <list>', 'comma-separated models', modelList, MODELS)
    .option('--vms-list <list>', 'comma-separated VM counts', numberList, [1, 2, 4, 6, 8, 12, 16, 24, 32])
    .option(
      '--axis <path=v1,v2,...>',
      'extra grid dimension over any scenario path (repeatable)',
      collect,
      [],
    )
    .option('--out <dir>', 'also write sweep.json and sweep.csv into this directory')
    .action((file: string | undefined, o: SweepOpts) => sweepCommand(file, o));

  setOption(
    program
      .command('reproduce')
      .description("the talk's study: TCP_RR, both models, 1-32 VMs on the default profile")
      .option('--out <dir>', 'directory for reproduce.json and reproduce.csv', 'results/reproduce')
      .option('--duration <s>', 'measured virtual seconds per point', number)
      .option('--seed <n>', 'random seed', number),
  )
    .addOption(executorOption())
    .addOption(formatOption())
    .action((o: ReproduceOpts) => reproduceCommand(o));

  return program;
}

/** Map an error to its exit status, printing one line (stack only with VHOST_SIM_DEBUG=1 for internal errors). */
export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0;
    if (err.code === 'commander.help' || err.code === 'commander.helpDisplayed') return 2; // help already printed
    process.stderr.write(
      `vhost-sim: error: ${err.message
        .replace(/^error: /, '')
        .replace(/\n+/g, ' ')
        .trim()}\n`,
    );
    return 2;
  }
  const usage = (e: unknown) => e instanceof ScenarioError || e instanceof UsageError;
  if (usage(err) || (err instanceof PointFailure && usage(err.error))) {
    process.stderr.write(`vhost-sim: error: ${(err as Error).message.replace(/\n+/g, ' ')}\n`);
    return 2;
  }
  const debug = process.env.VHOST_SIM_DEBUG === '1';
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(
    `vhost-sim: internal error: ${message.split('\n')[0]}${debug ? '' : ' (set VHOST_SIM_DEBUG=1 for a stack trace)'}\n`,
  );
  if (debug) {
    const e = err instanceof PointFailure ? err.error : err;
    if (e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  }
  return 1;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.exitCode = await main();
