/**
 * The `vhost-sim` command line: `run`, `sweep` and `reproduce`.
 *
 * Exit status: 0 success; 2 bad input (flags, scenario, files) with one `vhost-sim: error: ...` line on
 * stderr; 1 internal error (stack trace only with VHOST_SIM_DEBUG=1).
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runAsync } from '../api/runAsync.ts';
import { REPRODUCE_DURATION_S, REPRODUCE_REPS, REPRODUCE_VMS, TALK_MODELS } from '../api/sweep.ts';
import { DEFAULT_TIE_TOLERANCE } from '../metrics/crossover.ts';
import type { Metrics } from '../metrics/summary.ts';
import {
  type ModelName,
  modelNames,
  type Scenario,
  type WorkloadKind,
  workloadKinds,
} from '../model/scenario.ts';
import { MissingPackageError } from '../optional.ts';
import { loadPolicyModule, PolicyModuleError } from '../policies/module.ts';
import type { Policy } from '../policies/policy.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { type RunResult, runScenario } from '../runtime/runScenario.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { profiles } from '../scenario/profiles.ts';
import { deepMerge, resolveScenario, type ScenarioInput } from '../scenario/resolve.ts';
import { ScenarioError } from '../scenario/schema.ts';
import { checkJobs, checkRuns } from '../sweep/bounds.ts';
import { executeSweep, type FailedPoint } from '../sweep/execute.ts';
import { ResumeError } from '../sweep/journal.ts';
import { batched, jsonChunks, pointsDocChunks } from '../sweep/jsonChunks.ts';
import {
  assertChartsInstalled,
  defaultOutDir,
  preloadCharts,
  type SweepIdentity,
  writeResultsFolder,
} from '../sweep/output.ts';
import { createProgress } from '../sweep/progress.ts';
import { queueTarget, redactedQueue } from '../sweep/queue.ts';
import { refineGrid } from '../sweep/refine.ts';
import {
  buildGrid,
  type CrossoverEntry,
  type CrossoverOptions,
  type GridPoint,
  parseAxis,
  type SweepAxis,
  type SweepPoint,
  sweepCrossover,
} from '../sweep/sweep.ts';
import { VERSION } from '../version.ts';
import { addDiagramCommand } from './diagram.ts';
import { ESTIMATE_NOTE_S, estimateOptions, estimateOrRefuse, maxRunsOption } from './estimate.ts';
import { parseFields } from './fields.ts';
import {
  crossoverCsv,
  formatReproduceTable,
  formatRunFields,
  formatRunTable,
  formatSweepFields,
  formatSweepTable,
  runCsv,
  sweepCsv,
} from './format.ts';
import { RUN_HELP, SWEEP_HELP, scenarioDefault } from './help.ts';
import { addInitCommand } from './init.ts';
import { addInspectCommand } from './inspect.ts';
import { onInterrupt } from './interrupt.ts';
import { nameListParser, nameOption } from './names.ts';
import { overridesLine, overridesOf } from './overrides.ts';
import { checkOutDir, checkWritableFile } from './paths.ts';
import { policyOption } from './policy.ts';
import { printable } from './printable.ts';
import { checkWindow, parseWindow, type SchedView, schedOutput } from './sched.ts';
import { addSensitivityCommand } from './sensitivity.ts';
import { uncertaintyCommand } from './uncertainty.ts';
import { UsageError } from './usageError.ts';
import { addValidateCommand } from './validate.ts';
import { addValidationCommand } from './validation.ts';
import { addWorkerCommand } from './worker.ts';

type Format = 'table' | 'json' | 'csv' | 'md';

export { UsageError };

/** The talk's two models: what `reproduce` and, by default, `sweep` compare. */
const MODELS: ModelName[] = [...TALK_MODELS];
/** Every model a scenario may name. */
const ALL_MODELS: readonly ModelName[] = modelNames;

interface Meta {
  version: string;
  nodeVersion: string;
  executor: ExecutorKind;
  events: number;
  /** The --policy module, when one replaced the model. */
  policy?: string;
}
const meta = (executor: ExecutorKind, events: number, policy?: string): Meta => ({
  version: VERSION,
  nodeVersion: process.version,
  executor,
  events,
  ...(policy === undefined ? {} : { policy }),
});

// ---------------------------------------------------------------- option parsing

const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
};
const fraction = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1))
    throw new InvalidArgumentError('expected a fraction from 0 to below 1, e.g. 0.01.');
  return n;
};
const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];
const numberList = (value: string): number[] =>
  value.split(',').map((v) => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`'${v}' is not a number.`);
    return n;
  });
const modelList = nameListParser('model', ALL_MODELS);
const workloadList = nameListParser('workload', workloadKinds);
const profileNames = Object.keys(profiles);

interface BaseOpts {
  model?: ModelName;
  policy?: string;
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
  fields?: string[];
}

function formatOption(): Option {
  return new Option('--format <format>', 'output format (md: Markdown tables)')
    .choices(['table', 'json', 'csv', 'md'])
    .default('table');
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
      .addOption(
        nameOption(
          '--model <model>',
          `vhost threading model${scenarioDefault('model')}`,
          'model',
          ALL_MODELS,
        ),
      )
      .option('--vms <n>', `number of VMs${scenarioDefault('vms')}`, number);
  } else {
    // Accepted only to give a helpful message: a sweep takes its models and VM counts from lists.
    cmd.addOption(new Option('--model <model>').hideHelp()).addOption(new Option('--vms <n>').hideHelp());
  }
  cmd
    .option('--vcpus <n>', `vCPUs per VM${scenarioDefault('vcpusPerVm')}`, number)
    .option('--devices <n>', `virtio-net devices per VM${scenarioDefault('devicesPerVm')}`, number)
    .option('--instances <n>', `netperf instances per VM${scenarioDefault('workload.instances')}`, number)
    .addOption(
      nameOption(
        '--workload <kind>',
        `workload${scenarioDefault('workload.kind')}`,
        'workload',
        workloadKinds,
      ),
    )
    .option('--duration <s>', `measured virtual seconds${scenarioDefault('durationS')}`, number)
    .option('--warmup <s>', `warm-up virtual seconds (not measured)${scenarioDefault('warmupS')}`, number)
    .option('--seed <n>', `random seed${scenarioDefault('seed')}`, number)
    .addOption(
      nameOption(
        '--profile <name>',
        `host profile${scenarioDefault('profile.name')}`,
        'profile',
        profileNames,
      ),
    );
  setOption(cmd);
  return cmd
    .addOption(policyOption())
    .addOption(executorOption())
    .addOption(formatOption())
    .option(
      '--fields <list>',
      "figures the table and the CSV show, like netperf's -o: metric paths (throughput, latencyUs.p99, serviceDemand) or THROUGHPUT, MEAN_LATENCY, P99_LATENCY, LOCAL_SD, ...",
      parseFields,
    );
}

/** Scenario input from a file (if any) with the flags merged over it; `--set` is applied by resolve. */
function baseInput(file: string | undefined, o: BaseOpts): ScenarioInput {
  const { fromFile, flags } = inputParts(file, o);
  return deepMerge(fromFile, flags);
}

/** The file's input and the flags' input, apart (the run's header says which set what). */
function inputParts(
  file: string | undefined,
  o: BaseOpts,
): { fromFile: ScenarioInput; flags: ScenarioInput } {
  const fromFile: ScenarioInput = file ? loadScenarioFile(file) : {};
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
  return { fromFile, flags: compact(flags) };
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

/** Print `text` in the chosen human format, or the machine formats as they are. */
async function emit(
  format: Format,
  jsonText: string | (() => Iterable<string>),
  csvText: string,
  human: (style: 'text' | 'md') => string,
): Promise<void> {
  if (format === 'json' && typeof jsonText === 'string') write(jsonText);
  else if (format === 'json' && typeof jsonText !== 'string') {
    // Piece by piece, waiting for the pipe to drain, so a huge document is never one string.
    for (const piece of batched(jsonText())) {
      if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
    }
  } else if (format === 'csv') write(csvText);
  else write(human(format === 'md' ? 'md' : 'text'));
}

// ---------------------------------------------------------------- commands

interface RunOpts extends BaseOpts {
  trace?: string;
  estimate: boolean;
  maxHours: number;
  sched?: SchedView;
  window?: string;
  traceWindow?: string;
}

async function runCommand(file: string | undefined, o: RunOpts): Promise<void> {
  const parts = inputParts(file, o);
  const scenario = resolveScenario(deepMerge(parts.fromFile, parts.flags), o.set);
  const header = overridesLine(
    overridesOf(scenario, {
      sets: o.set,
      flags: parts.flags,
      ...(file === undefined ? {} : { file: { name: file, input: parts.fromFile } }),
    }),
  );
  // Output paths and windows before anything runs.
  if (o.traceWindow !== undefined && o.trace === undefined)
    throw new UsageError('--trace-window: only with --trace FILE');
  if (o.trace !== undefined) checkWritableFile(o.trace, '--trace');
  const window = o.traceWindow === undefined ? undefined : parseWindow(o.traceWindow, '--trace-window');
  if (window) checkWindow(window, scenario, '--trace-window', true);
  const policy = o.policy === undefined ? undefined : (await loadPolicyModule(o.policy))(scenario);
  if (estimateOrRefuse('run', [scenario], { ...o, jobs: 1 }) === undefined) return;
  if (o.sched !== undefined || o.window !== undefined) {
    if (o.trace !== undefined) throw new UsageError('--sched: not with --trace (one view per run)');
    if (o.sched === undefined) throw new UsageError('--window: only with --sched map');
    write(
      schedOutput(scenario, { ...o, sched: o.sched }, policy, (events) => ({
        ...meta(o.executor, events, o.policy),
      })),
    );
    return;
  }
  let result: { metrics: Metrics; events: number };
  if (o.trace !== undefined) {
    const { runWithTimeline, traceJson } = await import('../runtime/timeline.ts');
    const r = runWithTimeline(scenario, { executor: o.executor, policy, window });
    try {
      await writeFile(o.trace, traceJson(r.trace));
    } catch (err) {
      throw new UsageError(`cannot write the trace to ${o.trace}: ${(err as Error).message}`);
    }
    process.stderr.write(
      `wrote ${o.trace} (${r.trace.traceEvents.length} trace events; open in ui.perfetto.dev)\n`,
    );
    result = r;
  } else if (showProgress()) result = await runWithProgress(scenario, o.executor, policy);
  else result = runScenario(scenario, { executor: o.executor, policy });
  const { metrics, events } = result;
  const m = meta(o.executor, events, o.policy);
  const { fields } = o;
  await emit(o.format, json({ scenario, metrics, meta: m }), runCsv(metrics, fields), (style) =>
    fields === undefined
      ? formatRunTable(scenario, metrics, m, style, header)
      : formatRunFields(scenario, metrics, m, fields, style, header),
  );
}

/** A run with a progress bar on stderr: virtual milliseconds done of the scenario's, elapsed, ETA. */
async function runWithProgress(
  scenario: Scenario,
  executor: ExecutorKind,
  policy: Policy | undefined,
): Promise<RunResult> {
  const progress = createProgress({
    enabled: true,
    write: (t) => process.stderr.write(t),
    now: () => performance.now(),
    label: 'run',
    unit: 'virtual ms',
  });
  const stopInterrupt = onInterrupt({ args: [], progress });
  try {
    return await runAsync(scenario, {
      executor,
      ...(policy === undefined ? {} : { policy }),
      onProgress: (p) => progress.update(Math.round(p.nowNs / 1e6), Math.round(p.endNs / 1e6)),
    });
  } finally {
    stopInterrupt();
    progress.finish();
  }
}

interface SweepDoc {
  points: SweepPoint[];
  crossover: Record<string, CrossoverEntry>;
  /** Points with a failed run; the sweep went on without them. */
  failed?: FailedPoint[];
  meta: Meta;
}

/** Some points failed: reported (exit status 1) after every other point ran and the results were written. */
class SweepFailed extends Error {
  override name = 'SweepFailed';
  constructor(failed: readonly FailedPoint[], total: number) {
    const f = failed[0];
    const axes = Object.entries(f.axes ?? {})
      .map(([k, v]) => `, ${k}=${JSON.stringify(v)}`)
      .join('');
    super(
      `${failed.length} of ${total} sweep points failed (recorded in the results); first: (${f.model}, ${f.vms} VMs${axes}, seed ${f.seed}): ${f.error}`,
    );
  }
}

interface SweepRunOpts {
  jobs?: number;
  reps: number;
  resume: boolean;
  force: boolean;
  out?: string;
  charts: boolean;
  executor: ExecutorKind;
  format: Format;
  queue?: string | boolean;
  policy?: string;
  tieTolerance: number;
  refine: boolean;
  estimate: boolean;
  maxHours: number;
  maxRuns: number;
  /** `--fields`: the columns of the printed CSV (the results folder's summary.csv keeps them all). */
  fields?: string[];
}

/**
 * Run a grid as `command` (sweep or reproduce): compute (or resume) its points, print them in the chosen
 * format, and write the results folder. `header` precedes the human formats.
 */
async function runSweep(
  id: SweepIdentity,
  grid: GridPoint[],
  o: SweepRunOpts,
  human: (points: SweepPoint[], style: 'text' | 'md', crossover: CrossoverOptions) => string,
): Promise<void> {
  const t0 = performance.now();
  const dir = o.out ?? defaultOutDir(id);
  const jobs = o.jobs ?? availableParallelism();
  const queue = queueTarget(o.queue); // a bad URL is refused before the estimate and the --out lock
  if (queue === undefined) checkJobs(jobs);
  checkOutDir(dir, o.force);
  const scenarios = grid.map((g) => g.scenario);
  const estimate = estimateOrRefuse(id.command, scenarios, { ...o, jobs, onQueue: o.queue !== undefined });
  if (estimate === undefined) return;
  const progress = createProgress({
    enabled: showProgress(),
    write: (t) => process.stderr.write(t),
    now: () => performance.now(),
    label: id.command,
  });
  const stopInterrupt = onInterrupt({ dir, args: process.argv.slice(2), progress });
  let run: Awaited<ReturnType<typeof executeSweep>>;
  // While the points run on worker threads this thread is idle: load the chart renderer meanwhile. A
  // failure to load is reported where the charts are written, as before.
  if (o.charts) assertChartsInstalled();
  if (o.charts) preloadCharts().catch(() => {});
  try {
    progress.update(0, grid.length * o.reps, true);
    run = await executeSweep({
      grid,
      refine: o.refine
        ? (points, sofar) => refineGrid(id, sofar, points, { tolerance: o.tieTolerance })
        : undefined,
      reps: o.reps,
      jobs,
      // Long work runs off this thread even on one job, so Ctrl-C is handled at once, not after a point.
      isolate: estimate.wallS >= ESTIMATE_NOTE_S,
      executor: o.executor,
      queue,
      policyModule: o.policy,
      outDir: dir,
      stream: true,
      resume: o.resume,
      force: o.force,
      onWarning: (m) => process.stderr.write(`vhost-sim: warning: ${printable(m)}\n`),
      onProgress: (done, total, fromJournal) => progress.update(done, total, fromJournal),
    });
  } catch (err) {
    if (err instanceof ResumeError) throw new UsageError(err.message);
    if (
      (err as NodeJS.ErrnoException).code !== undefined &&
      (err as NodeJS.ErrnoException).syscall !== undefined
    )
      throw new UsageError(`cannot write results to ${dir}: ${(err as Error).message}`);
    throw err;
  } finally {
    progress.finish();
  }
  const { points, failed } = run;
  const crossover: CrossoverOptions = { tolerance: o.tieTolerance };
  const doc: SweepDoc = { points, crossover: sweepCrossover(points, crossover) } as SweepDoc;
  if (failed.length > 0) doc.failed = failed;
  doc.meta = meta(o.executor, run.events, o.policy);
  const { fullPoints } = run;
  const jsonText = function* () {
    // The points with every metric come back from the journal one at a time (memory stays flat).
    if (fullPoints === undefined) yield* jsonChunks(doc);
    else yield* pointsDocChunks(fullPoints(), { ...doc, points: undefined });
    yield '\n';
  };
  const csvText = sweepCsv(points);
  await emit(o.format, jsonText, o.fields === undefined ? csvText : sweepCsv(points, o.fields), (style) =>
    human(points, style, crossover),
  );
  let files: string[];
  try {
    files = await writeResultsFolder({
      dir,
      stem: id.command,
      json: jsonText,
      csvText,
      crossoverCsvText: crossoverCsv(points, crossover),
      crossover,
      scenario: id.base,
      points,
      charts: o.charts,
      meta: () => ({
        version: VERSION,
        command: id.command,
        seed: id.base.seed,
        reps: o.reps,
        points: run.grid.length,
        runs: run.runs,
        resumedRuns: run.resumedRuns,
        failedPoints: failed.length,
        events: run.events,
        nodeVersion: process.version,
        executor: o.executor,
        policy: o.policy,
        jobs,
        queue: redactedQueue(o.queue),
        wallTimeS: Math.round(performance.now() - t0) / 1000,
      }),
    });
  } catch (err) {
    throw new UsageError(`cannot write results to ${dir}: ${(err as Error).message}`);
  }
  const charts = files.filter((f) => f.endsWith('.png')).length;
  const note = `wrote results to ${dir}/ (${id.command}.json, summary.csv, crossover.csv, points.jsonl, scenario.json, meta.json${charts > 0 ? `, ${charts} charts as SVG and PNG` : ''})\n`;
  if (o.format === 'table' || o.format === 'md') write(`\n${note}`);
  else process.stderr.write(note);
  stopInterrupt();
  for (const f of failed) {
    process.stderr.write(
      `vhost-sim: point (${f.model}, ${f.vms} VMs, seed ${f.seed}) failed: ${printable(f.error)}\n`,
    );
  }
  if (failed.length > 0) throw new SweepFailed(failed, run.grid.length);
}

interface SweepOpts extends BaseOpts, SweepRunOpts {
  models: ModelName[];
  vmsList: number[];
  axis: string[];
}

async function sweepCommand(file: string | undefined, o: SweepOpts): Promise<void> {
  if (o.model !== undefined)
    throw new UsageError('--model is not a sweep option; use --models (e.g. --models per-cpu)');
  if (o.vms !== undefined)
    throw new UsageError('--vms is not a sweep option; use --vms-list (e.g. --vms-list 1,2,4)');
  if (o.policy !== undefined && o.models.length > 1)
    throw new UsageError(
      '--policy replaces the model: give one model to label the points (e.g. --models per-device)',
    );
  const base = resolveScenario(baseInput(file, o), o.set);
  const axes: SweepAxis[] = o.axis.map(parseAxis);
  checkRuns({ models: o.models, vmsList: o.vmsList, axes }, o.reps, o.maxRuns);
  const grid = buildGrid({ base, models: o.models, vmsList: o.vmsList, axes });
  const id: SweepIdentity = {
    command: 'sweep',
    base,
    models: o.models,
    vmsList: o.vmsList,
    axes,
    reps: o.reps,
    ...(o.refine ? { refine: { tolerance: o.tieTolerance } } : {}),
  };
  const { fields } = o;
  await runSweep(id, grid, o, (points, style, crossover) =>
    fields === undefined
      ? formatSweepTable(points, style, crossover)
      : formatSweepFields(points, fields, style, crossover),
  );
}

interface ReproduceOpts extends SweepRunOpts {
  uncertainty?: number;
  workloads: WorkloadKind[];
  models: ModelName[];
  duration?: number;
  seed?: number;
  set: string[];
}

function reproduceHeader(
  base: Scenario,
  reps: number,
  workloads: readonly string[],
  models: readonly string[],
  points: readonly SweepPoint[],
): string {
  const w = base.workload;
  const added = [...new Set(points.map((p) => p.vms))]
    .filter((v) => !REPRODUCE_VMS.includes(v))
    .sort((a, b) => a - b);
  const refined = added.length > 0 ? `; refined with ${added.join(', ')} VMs` : '';
  return (
    `vhost-sim reproduce: ${workloads.join(', ')} x${w.instances} per VM, ${models.join(' vs ')}, ${REPRODUCE_VMS.length} VM counts ` +
    `(${REPRODUCE_VMS.join(', ')}), profile ${base.profile.name}, ${base.durationS} s measured after ` +
    `${base.warmupS} s warm-up, seed ${base.seed}${reps > 1 ? ` (+${reps - 1} more seeds per point)` : ''}${refined}`
  );
}

async function reproduceCommand(o: ReproduceOpts): Promise<void> {
  const base = resolveScenario(
    { durationS: o.duration ?? REPRODUCE_DURATION_S, seed: o.seed, workload: { kind: 'TCP_RR' } },
    o.set,
  );
  const workloads = o.workloads;
  if (o.uncertainty !== undefined) {
    if (workloads.length !== 1) throw new UsageError('--uncertainty takes one workload (--workloads)');
    base.workload.kind = workloads[0];
    return uncertaintyCommand(base, [...REPRODUCE_VMS], { ...o, samples: o.uncertainty });
  }
  checkRuns({ models: o.models, vmsList: [...REPRODUCE_VMS], workloads }, o.reps, o.maxRuns);
  const grid = buildGrid({ base, models: o.models, vmsList: [...REPRODUCE_VMS], workloads });
  const id: SweepIdentity = {
    command: 'reproduce',
    base,
    models: o.models,
    vmsList: REPRODUCE_VMS,
    // Only a non-default study changes the identity, so the default results folder stays the same.
    ...(workloads.length === 1 && workloads[0] === 'TCP_RR' ? {} : { workloads }),
    reps: o.reps,
    ...(o.refine ? { refine: { tolerance: o.tieTolerance } } : {}),
  };
  await runSweep(id, grid, o, (points, style, crossover) => {
    const head = reproduceHeader(base, o.reps, workloads, o.models, points);
    return `${style === 'md' ? `## ${head}` : head}\n\n${formatReproduceTable(points, style, crossover)}`;
  });
}

/** Options every grid command shares: parallelism, replications, the results folder. */
function addSweepRunOptions(cmd: Command, command: string, reps = 1): Command {
  for (const opt of [maxRunsOption(), ...estimateOptions()]) cmd.addOption(opt);
  return cmd
    .option('--jobs <n>', 'points run in parallel on worker threads (default: available cores)', positiveInt)
    .option(
      '--reps <n>',
      'replications per point (seeds seed, seed+1, ...): mean and 95 % CI',
      positiveInt,
      reps,
    )
    .option('--out <dir>', `results folder (default: results/${command}-<hash of the resolved sweep>)`)
    .option(
      '--resume',
      'reuse the points already in the results folder (points.jsonl); compute the rest',
      false,
    )
    .option('--force', 'replace a results folder that holds another sweep', false)
    .option('--no-charts', 'do not render the SVG and PNG charts')
    .option(
      '--queue [url]',
      'run the points on `vhost-sim worker` processes through Redis: redis://HOST:PORT (no URL: $VHOST_SIM_QUEUE)',
    )
    .option(
      '--tie-tolerance <fraction>',
      'crossover statement: means closer than this share of the larger are level (stated in the output)',
      fraction,
      DEFAULT_TIE_TOLERANCE,
    )
    .option(
      '--refine',
      'where the order of per-device and per-cpu changes between VM counts, run the counts halfway between until each change is bracketed within one VM',
      false,
    );
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
  )
    .option(
      '--trace <file>',
      'also write a per-core timeline (Chrome Trace Event JSON; opens in ui.perfetto.dev)',
    )
    .addOption(estimateOptions()[0] as Option)
    .addOption(estimateOptions()[1] as Option)
    .option(
      '--trace-window <A:B>',
      '--trace: record only virtual seconds A to B since the run started (the measured part of it)',
    )
    .addOption(
      new Option(
        '--sched <view>',
        "perf sched's views: latency (per thread) or map (per core, in --window)",
      ).choices(['latency', 'map']),
    )
    .option(
      '--window <A:B>',
      '--sched map: virtual seconds A to B since the run started (default: the first ms measured)',
    )
    .addHelpText('after', RUN_HELP)
    .action((file: string | undefined, o: RunOpts) => runCommand(file, o));

  addSweepRunOptions(
    addBaseOptions(
      program
        .command('sweep')
        .description('run a grid of models x VM counts x extra axes and report the crossover')
        .argument('[scenario-file]', 'base scenario file (.json, .yaml, .yml)'),
      true,
    ),
    'sweep',
  )
    .option('--models <list>', 'comma-separated models', modelList, MODELS)
    .option('--vms-list <list>', 'comma-separated VM counts', numberList, [1, 2, 4, 6, 8, 12, 16, 24, 32])
    .option(
      '--axis <path=v1,v2,...>',
      'extra grid dimension over any scenario path (repeatable)',
      collect,
      [],
    )
    .addHelpText('after', SWEEP_HELP)
    .action((file: string | undefined, o: SweepOpts) => sweepCommand(file, o));

  addSweepRunOptions(
    setOption(
      program
        .command('reproduce')
        .description("the talk's study: TCP_RR, both models, 1-32 VMs on the default profile")
        .option(
          '--workloads <list>',
          `comma-separated workloads, or all (${workloadKinds.join(', ')})`,
          workloadList,
          ['TCP_RR'],
        )
        .option(
          '--models <list>',
          `comma-separated models, or all (${modelNames.join(', ')})`,
          modelList,
          MODELS,
        )
        .option(
          '--duration <s>',
          `measured virtual seconds per point (default ${REPRODUCE_DURATION_S})`,
          number,
        )
        .option('--seed <n>', 'random seed', number)
        .option(
          '--uncertainty <n>',
          'the conclusions over N plausible hosts: every ranged cost of docs/calibration.md drawn over its range',
          positiveInt,
        ),
    ),
    'reproduce',
    REPRODUCE_REPS,
  )
    .addOption(executorOption())
    .addOption(formatOption())
    .action((o: ReproduceOpts) => reproduceCommand(o));

  addSensitivityCommand(program);
  addInspectCommand(program);
  addDiagramCommand(program);
  addValidateCommand(program);
  addInitCommand(program);
  addValidationCommand(program);
  addWorkerCommand(program);
  return program;
}

/** Map an error to its exit status, printing one line (stack only with VHOST_SIM_DEBUG=1 for internal errors). */
export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0;
    if (err.code === 'commander.help' || err.code === 'commander.helpDisplayed') return 2; // help already printed
    process.stderr.write(`vhost-sim: error: ${printable(err.message.replace(/^error: /, '')).trim()}\n`);
    return 2;
  }
  const usage = (e: unknown) =>
    e instanceof ScenarioError || e instanceof UsageError || e instanceof PolicyModuleError;
  if (usage(err)) {
    process.stderr.write(`vhost-sim: error: ${printable((err as Error).message)}\n`);
    return 2;
  }
  if (err instanceof SweepFailed || err instanceof MissingPackageError) {
    process.stderr.write(`vhost-sim: error: ${printable(err.message)}\n`);
    return 1;
  }
  const debug = process.env.VHOST_SIM_DEBUG === '1';
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(
    `vhost-sim: internal error: ${printable(message.split('\n')[0] ?? '')}${debug ? '' : ' (set VHOST_SIM_DEBUG=1 for a stack trace)'}\n`,
  );
  if (debug) {
    if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
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
