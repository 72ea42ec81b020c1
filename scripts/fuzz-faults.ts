/**
 * The fault cases of the fuzzer (issue 22): one command line per fault the robustness audit found —
 * unbounded work, files that are not regular or too big, `__proto__` keys, control characters, a locked
 * or unwritable results folder, a torn journal, Redis addresses that do not answer and passwords that
 * must not show. Each runs the real CLI as a child process and must end as its case says: the exit
 * status, one `vhost-sim: error:` line matching the case (or the expected output), no stack trace, no
 * raw control character, within its time. Run by `npm run fuzz` after the scenario files, and by
 * test/fuzz/faults.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCli } from './fuzz-lib.ts';

export interface FaultCase {
  name: string;
  args: string[];
  /** Exit status the case must end with. */
  code: 0 | 2;
  /** What stderr (exit 2) or stdout (exit 0) must match. */
  output: RegExp;
  /** Must not appear anywhere in the output (a password). */
  secret?: string;
  /** The case fails past this (the refusal must come before the work). */
  maxMs: number;
}

/**
 * The time a case may take: a refusal comes before any work, and the work refused would take hours, so
 * this only has to cover booting the CLI on a loaded machine (20–30 s at load 30 on 2 cores).
 */
const LIMIT = 90_000;

const list = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');

/** The cases, with the files they need written into `dir`. */
export function faultCases(dir: string): FaultCase[] {
  mkdirSync(dir, { recursive: true });
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const fifo = join(dir, 'fifo.json');
  spawnSync('mkfifo', [fifo]);
  const zero = join(dir, 'zero.json');
  try {
    symlinkSync('/dev/zero', zero);
  } catch {
    // exists from an earlier run
  }
  const locked = join(dir, 'locked');
  mkdirSync(locked, { recursive: true });
  writeFileSync(join(locked, '.vhost-sim.lock'), `${process.pid}\n`); // this process: alive
  const full = join(dir, 'full');
  mkdirSync(full, { recursive: true });
  try {
    symlinkSync('/dev/full', join(full, 'points.jsonl.tmp'));
  } catch {
    // exists from an earlier run
  }
  const junk = join(dir, 'junk');
  mkdirSync(junk, { recursive: true });
  writeFileSync(join(junk, 'points.jsonl'), 'not a journal\n');
  const papers = join(dir, 'papers');
  mkdirSync(papers, { recursive: true });
  writeFileSync(join(papers, 'summary.csv'), 'my own table\n');
  const short = ['--duration', '0.001', '--warmup', '0'];
  const sweep = ['sweep', '--vms-list', '1', '--models', 'per-cpu', ...short, '--no-charts', '--jobs', '1'];
  return [
    {
      name: '--reps 1e9',
      args: ['sweep', '--reps', '1000000000', '--no-charts'],
      code: 2,
      output: /--reps: 1000000000 replications/,
      maxMs: LIMIT,
    },
    {
      name: 'a 2,000,000-point grid',
      args: [
        'sweep',
        '--axis',
        `seed=${list(1000)}`,
        '--axis',
        `profile.costs.ctxSwitchNs=${list(1000)}`,
        '--vms-list',
        '1',
      ],
      code: 2,
      output:
        /grid: 1000 values of seed x 1000 values of profile\.costs\.ctxSwitchNs x 2 models x 1 VM count = 2,000,000 points/,
      maxMs: LIMIT,
    },
    {
      name: '--jobs 100000',
      args: ['sweep', '--jobs', '100000', '--no-charts'],
      code: 2,
      output: /--jobs: 100000 threads need about/,
      maxMs: LIMIT,
    },
    {
      name: '--max-runs past its ceiling',
      args: ['sweep', '--max-runs', '9999999999', '--no-charts'],
      code: 2,
      output: /--max-runs: expected 1\.\.1,000,000/,
      maxMs: LIMIT,
    },
    {
      name: 'a run of weeks',
      args: ['run', '--vms', '256', '--duration', '3000', '--max-hours', '0.01'],
      code: 2,
      output: /--max-hours: estimated .* more than 0\.01 h; pass --max-hours \d+ to run it anyway/,
      maxMs: LIMIT,
    },
    {
      name: 'run --estimate',
      args: ['run', '--vms', '64', '--duration', '600', '--estimate'],
      code: 0,
      output: /^vhost-sim run: estimate: 1 run, [\d.]+ (million|billion) events, about /,
      maxMs: LIMIT,
    },
    {
      name: 'a FIFO as scenario file',
      args: ['run', fifo],
      code: 2,
      output: /cannot read \(is a FIFO\)/,
      maxMs: LIMIT,
    },
    {
      name: 'a .json link to /dev/zero',
      args: ['validate', zero],
      code: 2,
      output: /cannot read \(is not a regular file\)/,
      maxMs: LIMIT,
    },
    {
      name: 'a 2 MB scenario file',
      args: ['validate', file('big.json', `{"description": "${'x'.repeat(2 << 20)}"}`)],
      code: 2,
      output: /larger than the limit of 1048576/,
      maxMs: LIMIT,
    },
    {
      name: '__proto__ nested',
      args: ['validate', file('proto.json', '{"profile": {"__proto__": {"x": 1}}}')],
      code: 2,
      output: /__proto__/,
      maxMs: LIMIT,
    },
    {
      name: 'constructor in YAML',
      args: ['validate', file('ctor.yaml', 'workload:\n  constructor: 1\n')],
      code: 2,
      output: /constructor/,
      maxMs: LIMIT,
    },
    {
      name: 'escape sequences in a key',
      args: ['validate', file('esc.json', '{"\\u001b[2J\\u001b[31mvms": 1}')],
      code: 2,
      output: /\\u001b\[2J/,
      maxMs: LIMIT,
    },
    {
      name: 'a results folder another vhost-sim writes',
      args: [...sweep, '--out', locked],
      code: 2,
      output: /is being written by another vhost-sim/,
      maxMs: LIMIT,
    },
    {
      name: '--out that is a file',
      args: [...sweep, '--out', file('out-file.txt', 'mine\n')],
      code: 2,
      output: /is a file, expected a folder/,
      maxMs: LIMIT,
    },
    {
      name: '--out a folder of other files (no journal)',
      args: [...sweep, '--out', papers],
      code: 2,
      output: /not a vhost-sim results folder/,
      maxMs: LIMIT,
    },
    {
      name: 'init over an existing file',
      args: ['init', file('existing.yaml', 'vms: 2\n')],
      code: 2,
      output: /the file exists; --force replaces it/,
      maxMs: LIMIT,
    },
    {
      name: 'a full disk under the journal',
      args: [...sweep, '--out', full],
      code: 2,
      output: /cannot write results to /,
      maxMs: LIMIT,
    },
    {
      name: '--resume on a folder that is not a journal',
      args: [...sweep, '--out', junk, '--resume'],
      code: 2,
      output: /is not a vhost-sim journal/,
      maxMs: LIMIT,
    },
    {
      name: 'an address where no Redis listens',
      args: [...sweep, '--queue', 'redis://127.0.0.1:1'],
      code: 2,
      output: /--queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
      maxMs: LIMIT,
    },
    {
      name: 'a password with : @ # /',
      args: [...sweep, '--out', join(dir, 'q2'), '--queue', 'redis://u:p:a@s#s/w@127.0.0.1:1/0'],
      code: 2,
      output: /redis:\/\/u:\*\*\*@127\.0\.0\.1:1\/0/,
      secret: 'p:a@s#s/w',
      maxMs: LIMIT,
    },
    {
      name: 'a queue URL that is not redis://',
      args: [...sweep, '--out', join(dir, 'queue-url'), '--queue', 'http://127.0.0.1:6379'], // its own --out: the cases run at once
      code: 2,
      output: /--queue: expected redis:\/\/HOST/,
      maxMs: LIMIT,
    },
  ];
}

export interface FaultOutcome {
  name: string;
  ms: number;
  /** Why the case failed; null when it ended as it must. */
  problem: string | null;
}

function judge(
  c: FaultCase,
  code: number | null,
  stdout: string,
  stderr: string,
  ms: number,
  timedOut: boolean,
) {
  if (timedOut || ms > c.maxMs) return `took ${Math.round(ms)} ms, more than ${c.maxMs}`;
  if (code !== c.code) return `exit ${code}, expected ${c.code}: ${stderr.split('\n')[0]}`;
  if (/^\s+at /m.test(stderr)) return 'a stack trace on stderr';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what is checked
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(stderr)) return 'a raw control character on stderr';
  if (c.secret !== undefined && (stdout + stderr).includes(c.secret)) return 'the password is shown';
  if (c.code === 2) {
    const lines = stderr.trimEnd().split('\n');
    if (lines.length !== 1 || !lines[0]?.startsWith('vhost-sim: error: '))
      return `stderr is not one 'vhost-sim: error:' line: ${JSON.stringify(stderr.slice(0, 300))}`;
    if (!c.output.test(stderr)) return `stderr does not match ${c.output}: ${stderr.trim()}`;
  } else if (!c.output.test(stdout)) return `stdout does not match ${c.output}: ${stdout.slice(0, 300)}`;
  return null;
}

export async function runFaultCase(c: FaultCase): Promise<FaultOutcome> {
  const r = await spawnCli(c.args, c.maxMs * 2);
  return { name: c.name, ms: r.ms, problem: judge(c, r.code, r.stdout, r.stderr, r.ms, r.timedOut) };
}

/** Every case, `jobs` at a time, in the order given. */
export async function runFaultCases(dir: string, jobs: number): Promise<FaultOutcome[]> {
  const cases = faultCases(dir);
  const out: FaultOutcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      out[i] = await runFaultCase(cases[i] as FaultCase);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return out;
}

export function formatFaults(outcomes: readonly FaultOutcome[]): string {
  const failed = outcomes.filter((o) => o.problem !== null);
  const slowest = Math.max(...outcomes.map((o) => o.ms));
  const lines = [
    `fault cases: ${outcomes.length} (failures: ${failed.length}, slowest ${Math.round(slowest)} ms)`,
  ];
  for (const f of failed) lines.push(`  FAIL ${f.name}: ${f.problem}`);
  return `${lines.join('\n')}\n`;
}
