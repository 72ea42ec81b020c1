/**
 * The scenario-file fuzzer (scripts/fuzz.ts, test/fuzz/fuzz.test.ts): seeded generation of random and
 * mutated scenario files, and two ways to feed them to vhost-sim:
 * - in-process, through the code path of `vhost-sim run FILE --duration 0.001 --warmup 0`
 *   (loadScenarioFile, resolveScenario, runScenario), every case;
 * - as real child processes (`vhost-sim run` or `vhost-sim validate`), checking the exit status, the
 *   one-line error, the absence of stack traces, and a time limit.
 * A case ends well in a clean ScenarioError (a one-line message) or a valid run with finite metrics; any
 * other exception, an error reported after the run (RxJS defers errors thrown in subscribers), a process
 * that exits otherwise or takes too long, is a failure.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as rxConfig } from 'rxjs';
import { stringify as toYaml } from 'yaml';
import { modelNames, workloadKinds } from '../src/model/scenario.ts';
import { runScenario } from '../src/runtime/runScenario.ts';
import { defaultScenario } from '../src/scenario/defaults.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { profiles } from '../src/scenario/profiles.ts';
import { deepMerge, resolveScenario } from '../src/scenario/resolve.ts';
import { ScenarioError } from '../src/scenario/schema.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'vhost-sim.mjs');

// ---------------------------------------------------------------- random

/** mulberry32: small, seeded, good enough to pick mutations. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------- generation

export interface FuzzCase {
  id: number;
  kind: string;
  ext: '.json' | '.yaml' | '.yml' | '.txt';
  data: Buffer;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every leaf path of the default scenario. */
function leafPaths(node: unknown, prefix: string[] = []): string[][] {
  if (!isObj(node)) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}
const DEFAULT = defaultScenario();
const LEAVES = leafPaths(DEFAULT);
const OBJECT_PATHS = [[], ...LEAVES.map((p) => p.slice(0, -1)).filter((p) => p.length > 0)];

function getAt(root: unknown, path: string[]): unknown {
  let cur = root;
  for (const seg of path) cur = isObj(cur) ? cur[seg] : undefined;
  return cur;
}
function setAt(root: Obj, path: string[], value: unknown): void {
  let cur: Obj = root;
  for (const seg of path.slice(0, -1)) {
    if (!isObj(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Obj;
  }
  if (path.length > 0) cur[path[path.length - 1]] = value;
}
function deleteAt(root: Obj, path: string[]): void {
  const parent = getAt(root, path.slice(0, -1));
  if (isObj(parent)) delete parent[path[path.length - 1]];
}

/** A plausible value for a leaf, near its default (valid most of the time). */
function plausible(rng: Rng, path: string[], def: unknown): unknown {
  const key = path[path.length - 1];
  if (key === 'model') return rng.pick(modelNames);
  if (key === 'kind' && path[0] === 'workload') return rng.pick(workloadKinds);
  if (key === 'irqCpus') return [rng.int(8)];
  if (typeof def === 'number') {
    if (key === 'vms') return 1 + rng.int(8);
    if (key === 'durationS' || key === 'warmupS') return rng.pick([0.001, 0.002]);
    if (key === 'ringSize') return rng.pick([2, 64, 256, 1024]);
    if (Number.isInteger(def)) return Math.max(def === 0 ? 0 : 1, Math.round(def * rng.pick([0, 0.5, 1, 2])));
    return def * rng.pick([0, 0.5, 1, 2]);
  }
  if (Array.isArray(def)) return def;
  return def;
}

/**
 * Deep nesting: `depth` levels of arrays or objects. Serializers recurse, so the tree holds a marker that
 * `expandDeep` turns into the nested text (flow style is both JSON and YAML).
 */
function nested(depth: number, asArray: boolean): unknown {
  return `@@DEEP:${depth}:${asArray ? 'a' : 'o'}@@`;
}
function expandDeep(text: string): string {
  return text.replace(/(["']?)@@DEEP:(\d+):([ao])@@\1/g, (_m, _q, d: string, k: string) => {
    const n = Number(d);
    return k === 'a' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a": '.repeat(n)}1${'}'.repeat(n)}`;
  });
}

const NASTY_NUMBERS = [
  -1,
  -0,
  0,
  0.5,
  1e-320,
  2 ** 53 + 2,
  1e21,
  1e308,
  -1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  4097,
  65536,
  2 ** 31,
  -(2 ** 31),
];
const NASTY_STRINGS = [
  '',
  ' ',
  'NaN',
  '1e3',
  'per_device',
  'TCP-RR',
  '__proto__',
  'x'.repeat(5000),
  '\u0000',
  '☃',
];

/** One mutation of the input tree (may replace the whole root). */
function mutate(rng: Rng, root: Obj): string {
  const leaf = rng.pick(LEAVES);
  const r = rng.int(14);
  switch (r) {
    case 0:
      setAt(root, leaf, rng.pick(NASTY_NUMBERS));
      return 'nasty-number';
    case 1:
      setAt(root, leaf, rng.pick(NASTY_STRINGS));
      return 'nasty-string';
    case 2:
      setAt(root, leaf, rng.pick([null, true, false, [], {}, [1, 2], { x: 1 }]));
      return 'wrong-type';
    case 3: {
      const parent = rng.pick(OBJECT_PATHS);
      setAt(
        root,
        [...parent, rng.pick(['extra', 'vm', 'Vms', 'irqCpu', 'constructor', 'toString', '$ref'])],
        1,
      );
      return 'unknown-key';
    }
    case 4:
      deleteAt(root, leaf);
      setAt(root, leaf.slice(0, -1), rng.pick([null, 7, 'x', []]));
      return 'broken-object';
    case 5:
      setAt(root, leaf, nested(rng.pick([10, 1000, 20_000]), rng.chance(0.5)));
      return 'deep-nesting';
    case 6: {
      const def = getAt(DEFAULT, leaf);
      if (typeof def === 'number') setAt(root, leaf, def * rng.pick([-1, 1e6, 1e12, 0.001, 1.5]));
      else setAt(root, leaf, 12345);
      return 'scaled';
    }
    case 7:
      setAt(root, ['vms'], rng.pick([0, 1, 64, 4096, 5000, 1e9]));
      setAt(root, ['vcpusPerVm'], rng.pick([1, 2, 64, 65]));
      setAt(root, ['devicesPerVm'], rng.pick([1, 16, 17]));
      setAt(root, ['queuePairs'], rng.pick([1, 64, 65]));
      return 'sizes';
    case 8:
      setAt(root, ['profile'], rng.pick(['2x64', 'x3650-m2', 'nope', '', 42, null, { name: 'nope' }]));
      return 'profile';
    case 9:
      setAt(
        root,
        ['profile', 'nic', 'irqCpus'],
        rng.pick([[], [-1], [7], [8], [255], [0.5], ['0'], [0, 1e9]]),
      );
      return 'irq-cpus';
    case 10:
      setAt(root, ['profile', 'cpu'], {
        sockets: rng.pick([0, 1, 2, 16, 17]),
        coresPerSocket: rng.pick([1, 4, 256, 257]),
      });
      return 'topology';
    case 11:
      setAt(root, ['workload'], {
        kind: rng.pick(workloadKinds),
        instances: rng.pick([1, 3, 64, 65]),
        windowBytes: rng.pick([1, 1 << 20, 1 << 26]),
        gsoBytes: rng.pick([64, 1448, 65160]),
        messageBytes: rng.pick([0, 1, 1 << 20]),
        ratePerSec: rng.pick([1e-9, 1, 1e5, 1e6, 1e7]),
      });
      return 'workload';
    case 12:
      setAt(root, ['durationS'], rng.pick([0, 1e-7, 1e-6, 0.001, 3600, 3601]));
      setAt(root, ['warmupS'], rng.pick([0, 0.001, 600, 601, -1]));
      return 'durations';
    default:
      setAt(root, leaf, plausible(rng, leaf, getAt(DEFAULT, leaf)));
      return 'plausible';
  }
}

/** A random partial scenario with plausible (mostly valid) values. */
function randomPartial(rng: Rng): Obj {
  const out: Obj = {};
  const n = rng.int(8);
  for (let i = 0; i < n; i++) {
    const leaf = rng.pick(LEAVES);
    setAt(out, leaf, plausible(rng, leaf, getAt(DEFAULT, leaf)));
  }
  if (rng.chance(0.2)) out.profile = rng.pick(Object.keys(profiles));
  return out;
}

/** YAML text for a tree, with NaN/Infinity as .nan/.inf (what users would write). */
function yamlText(tree: unknown): string {
  return toYaml(tree, { aliasDuplicateObjects: false });
}
/** JSON text: NaN and the infinities become huge literals or bare words (invalid JSON), as users might. */
function jsonText(rng: Rng, tree: unknown): string {
  const text = JSON.stringify(tree, (_k, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return `@@${String(v)}@@`;
    return v;
  });
  return text.replace(/"@@(-?Infinity|NaN)@@"/g, (_m, w: string) =>
    rng.chance(0.5) ? (w.startsWith('-') ? '-1e999' : '1e999') : w,
  );
}

const RAW_CASES: [string, string][] = [
  ['empty', ''],
  ['whitespace', ' \n\t\n'],
  ['null', 'null'],
  ['array', '[1, 2, 3]'],
  ['number', '42'],
  ['string', '"vms: 3"'],
  ['yaml-tag', 'vms: !!binary aGVsbG8=\n'],
  ['yaml-js-tag', 'vms: !!js/function "function(){}"\n'],
  ['yaml-dup-keys', 'vms: 1\nvms: 2\n'],
  ['yaml-merge', 'base: &b {vms: 2}\n<<: *b\n'],
  [
    'yaml-alias-bomb',
    `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
  ],
  ['yaml-nan', 'durationS: .nan\n'],
  ['yaml-inf', 'vms: .inf\n'],
  ['yaml-neg-inf', 'profile:\n  costs:\n    vmExitNs: -.inf\n'],
  ['json-proto', '{"__proto__": {"vms": 3}, "constructor": {"prototype": {"x": 1}}}'],
  ['bom', '\ufeff{"vms": 2}'],
];

/** The `id`-th case of the run seeded `seed` (a pure function of both). */
export function makeCase(seed: number, id: number): FuzzCase {
  const rng = new Rng((seed * 1_000_003) ^ (id * 2_654_435_761));
  const r = rng.next();
  const ext = rng.chance(0.5) ? '.json' : rng.chance(0.9) ? '.yaml' : '.yml';
  if (r < 0.04) {
    const [kind, text] = rng.pick(RAW_CASES);
    return {
      id,
      kind: `raw-${kind}`,
      ext: kind.startsWith('json') || kind === 'bom' ? '.json' : ext,
      data: Buffer.from(text),
    };
  }
  if (r < 0.08) {
    const bytes = Buffer.alloc(rng.int(2000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    return { id, kind: 'binary-junk', ext, data: bytes };
  }
  if (r < 0.1) return { id, kind: 'wrong-extension', ext: '.txt', data: Buffer.from('{}') };
  // A tree: a random partial or the full default scenario, then mutations (or none: a valid file).
  const tree: Obj = rng.chance(0.3) ? (structuredClone(DEFAULT) as unknown as Obj) : randomPartial(rng);
  const kinds: string[] = [];
  const mutations = r < 0.3 ? 0 : 1 + rng.int(3);
  for (let i = 0; i < mutations; i++) kinds.push(mutate(rng, tree));
  let text = expandDeep(ext === '.json' ? jsonText(rng, tree) : yamlText(tree));
  if (rng.chance(0.08)) {
    text = text.slice(0, rng.int(text.length));
    kinds.push('truncated');
  } else if (rng.chance(0.05)) {
    const at = rng.int(text.length + 1);
    text = `${text.slice(0, at)}${rng.pick(['{', '}', ']', ':', '"', '\n  - ', '\u0000', '#'])}${text.slice(at)}`;
    kinds.push('corrupted');
  }
  return { id, kind: kinds.length === 0 ? 'valid' : kinds.join('+'), ext, data: Buffer.from(text) };
}

// ---------------------------------------------------------------- in-process

export type InProcessOutcome =
  | { result: 'ok'; ran: boolean }
  | { result: 'error'; message: string }
  | { result: 'crash'; message: string };

/** Largest scenario the fuzzer runs (vCPU threads + queue slots); bigger valid ones are only validated. */
export const RUN_LIMIT = 2_000;

const deferred: unknown[] = [];
let hooked = false;
/** Errors RxJS reports after the fact (thrown in a subscriber, e.g. by the kernel): collected. */
function hookDeferredErrors(): void {
  if (hooked) return;
  hooked = true;
  rxConfig.onUnhandledError = (err) => deferred.push(err);
}

const firstLine = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0];

function finiteEverywhere(v: unknown, path = 'metrics'): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const bad = finiteEverywhere(x, `${path}.${k}`);
      if (bad !== null) return bad;
    }
  }
  return null;
}

/**
 * What `vhost-sim run FILE --duration 0.001 --warmup 0` does with the file, in this process: load,
 * resolve, run (when small enough). Never throws.
 */
export async function runInProcess(file: string): Promise<InProcessOutcome> {
  hookDeferredErrors();
  deferred.length = 0;
  let outcome: InProcessOutcome;
  try {
    const input = loadScenarioFile(file);
    if (typeof input.profile === 'string') input.profile = { name: input.profile };
    const scenario = resolveScenario(deepMerge(input, { durationS: 0.001, warmupS: 0 }));
    const size = scenario.vms * (scenario.vcpusPerVm + scenario.devicesPerVm * scenario.queuePairs);
    if (size > RUN_LIMIT) return { result: 'ok', ran: false };
    const { metrics } = runScenario(scenario);
    const bad = finiteEverywhere(metrics);
    outcome = bad === null ? { result: 'ok', ran: true } : { result: 'crash', message: `non-finite ${bad}` };
  } catch (err) {
    if (err instanceof ScenarioError) {
      const m = err.message;
      outcome =
        m.includes('\n') || m.trim() === ''
          ? { result: 'crash', message: `ScenarioError message is not one line: ${JSON.stringify(m)}` }
          : { result: 'error', message: m };
    } else outcome = { result: 'crash', message: firstLine(err) };
  }
  // RxJS reports errors thrown inside subscribers on a timer: give it one turn.
  await new Promise((r) => setTimeout(r, 0));
  if (deferred.length > 0) return { result: 'crash', message: `deferred: ${firstLine(deferred[0])}` };
  return outcome;
}

// ---------------------------------------------------------------- child processes

export interface ProcessOutcome {
  command: 'run' | 'validate';
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
  /** Why the outcome is a failure; null when it is fine. */
  problem: string | null;
}

/** What a CLI child process did: exit status, output (the first MiB of each), wall time. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Run `vhost-sim ARGS` as a child process (CI set, no stack traces), killed after `timeoutMs`. */
export function spawnCli(args: readonly string[], timeoutMs: number): Promise<CliRun> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: '1', VHOST_SIM_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      if (stdout.length < 1 << 20) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0, timedOut });
    });
  });
}

/** Run the real CLI on `file`, judge its exit: 0, or 2 with one `vhost-sim: error:` line, no stack, in time. */
export async function runProcess(
  file: string,
  command: 'run' | 'validate',
  timeoutMs: number,
): Promise<ProcessOutcome> {
  const args =
    command === 'run'
      ? ['run', file, '--duration', '0.001', '--warmup', '0', '--format', 'json']
      : ['validate', file];
  const out: ProcessOutcome = { command, ...(await spawnCli(args, timeoutMs)), problem: null };
  out.problem = judge(out);
  return out;
}

function judge(o: ProcessOutcome): string | null {
  if (o.timedOut) return 'hang: killed after the time limit';
  if (/^\s+at /m.test(o.stderr))
    return `stack trace on stderr: ${o.stderr.split('\n').slice(0, 2).join(' | ')}`;
  if (o.code === 0) {
    if (o.command === 'validate' && !/^ok: /.test(o.stdout))
      return `validate printed ${JSON.stringify(o.stdout)}`;
    if (o.command === 'run') {
      try {
        JSON.parse(o.stdout);
      } catch {
        return 'run exited 0 without a JSON document on stdout';
      }
    }
    if (o.stderr.trim() !== '') return `exit 0 with stderr: ${o.stderr.split('\n')[0]}`;
    return null;
  }
  if (o.code === 2) {
    const lines = o.stderr.trimEnd().split('\n');
    if (lines.length !== 1 || !lines[0].startsWith('vhost-sim: error: '))
      return `exit 2 but stderr is not one 'vhost-sim: error:' line: ${JSON.stringify(o.stderr.slice(0, 300))}`;
    return null;
  }
  return `exit ${o.code}: ${o.stderr.split('\n')[0]}`;
}

// ---------------------------------------------------------------- a whole run

export interface FuzzSummary {
  seed: number;
  cases: number;
  /** Valid files: run (`ran`) or, when bigger than RUN_LIMIT, validated only. */
  ok: number;
  ran: number;
  errors: number;
  crashes: number;
  hangs: number;
  processes: { cases: number; exit0: number; exit2: number; failures: number; maxMs: number };
  byKind: Record<string, { ok: number; errors: number; crashes: number }>;
  failures: { id: number; kind: string; file: string; how: string }[];
}

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Of these, how many also go through a child process. */
  processes: number;
  jobs: number;
  timeoutMs: number;
  /** Where case files are written (failing ones are kept). */
  dir: string;
  /** An in-process case slower than this counts as a hang. */
  slowMs?: number;
  onProgress?: (done: number) => void;
}

export async function fuzz(o: FuzzOptions): Promise<FuzzSummary> {
  mkdirSync(o.dir, { recursive: true });
  const s: FuzzSummary = {
    seed: o.seed,
    cases: 0,
    ok: 0,
    ran: 0,
    errors: 0,
    crashes: 0,
    hangs: 0,
    processes: { cases: 0, exit0: 0, exit2: 0, failures: 0, maxMs: 0 },
    byKind: {},
    failures: [],
  };
  const every = o.processes > 0 ? Math.max(1, Math.floor(o.cases / o.processes)) : Number.POSITIVE_INFINITY;
  const procQueue: { c: FuzzCase; file: string; expect: InProcessOutcome }[] = [];
  const slowMs = o.slowMs ?? 20_000;
  for (let id = 0; id < o.cases; id++) {
    const c = makeCase(o.seed, id);
    const file = join(o.dir, `case-${o.seed}-${id}${c.ext}`);
    writeFileSync(file, c.data);
    // Survives a fatal crash of this process (out of memory, stack): which case it was running.
    writeFileSync(join(o.dir, 'current-case.txt'), `${file}\n`);
    const t0 = performance.now();
    const out = await runInProcess(file);
    const ms = performance.now() - t0;
    s.cases++;
    const kindKey = c.kind.split('+')[0];
    s.byKind[kindKey] ??= { ok: 0, errors: 0, crashes: 0 };
    const kind = s.byKind[kindKey];
    if (out.result === 'ok') {
      s.ok++;
      kind.ok++;
      if (out.ran) s.ran++;
    } else if (out.result === 'error') {
      s.errors++;
      kind.errors++;
    } else {
      s.crashes++;
      kind.crashes++;
      s.failures.push({ id, kind: c.kind, file, how: out.message });
    }
    if (ms > slowMs) {
      s.hangs++;
      s.failures.push({ id, kind: c.kind, file, how: `in-process case took ${Math.round(ms)} ms` });
    }
    if (id % every === 0 && procQueue.length < o.processes) procQueue.push({ c, file, expect: out });
    o.onProgress?.(id + 1);
  }
  // Child processes, `jobs` at a time: runnable valid files through `run`, the rest through `validate`
  // (alternating `run` on the invalid ones too, which must fail the same way).
  let next = 0;
  const worker = async () => {
    while (next < procQueue.length) {
      const { c, file, expect } = procQueue[next++];
      const command =
        expect.result === 'ok' ? (expect.ran ? 'run' : 'validate') : c.id % 2 === 0 ? 'run' : 'validate';
      const p = await runProcess(file, command, o.timeoutMs);
      s.processes.cases++;
      s.processes.maxMs = Math.max(s.processes.maxMs, Math.round(p.ms));
      if (p.code === 0) s.processes.exit0++;
      if (p.code === 2) s.processes.exit2++;
      let problem = p.problem;
      // The process must agree with the in-process verdict: a valid file exits 0, a bad one 2.
      if (problem === null && expect.result === 'ok' && p.code !== 0)
        problem = `valid in-process but exit ${p.code}`;
      if (problem === null && expect.result === 'error' && p.code !== 2)
        problem = `invalid in-process but exit ${p.code}`;
      if (problem !== null) {
        s.processes.failures++;
        if (p.timedOut) s.hangs++;
        else s.crashes++;
        s.failures.push({ id: c.id, kind: c.kind, file, how: `${command}: ${problem}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));
  return s;
}

export function formatSummary(s: FuzzSummary): string {
  const lines = [
    `fuzz seed ${s.seed}: ${s.cases} cases: ${s.ok} ok (${s.ran} run, ${s.ok - s.ran} valid but too big to run), ${s.errors} errors, ${s.crashes} crashes, ${s.hangs} hangs`,
    `processes: ${s.processes.cases} (exit 0: ${s.processes.exit0}, exit 2: ${s.processes.exit2}, failures: ${s.processes.failures}, slowest ${s.processes.maxMs} ms)`,
    'by kind (first mutation): ' +
      Object.entries(s.byKind)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} ${v.ok}/${v.errors}/${v.crashes}`)
        .join(', '),
  ];
  for (const f of s.failures.slice(0, 20)) lines.push(`FAIL case ${f.id} (${f.kind}) ${f.file}: ${f.how}`);
  return `${lines.join('\n')}\n`;
}
