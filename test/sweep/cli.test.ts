import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { defaultOutDir, sweepHash } from '../../src/sweep/output.ts';
import { VERSION } from '../../src/version.ts';
import { track } from '../children.ts';
import { BIN, ROOT, runCli } from '../cliRun.ts';

// One job unless a test is about jobs: worker threads cost a start-up each.
const SHORT = ['--duration', '0.01', '--warmup', '0.002'];
/** A one-point sweep: per-cpu, 1 VM, short. */
const ONE_POINT = ['sweep', '--vms-list', '1', '--models', 'per-cpu', ...SHORT];

const cli = (args: string[], env?: Record<string, string | undefined>) => runCli(args, { env });

const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-sweep-cli-'));
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');
const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

describe.concurrent('sweep results, jobs, resume', () => {
  it('--jobs 1 and --jobs 2 give byte-identical JSON and results folders (but meta.json)', async () => {
    const args = ['sweep', '--vms-list', '1,2', ...SHORT, '--format', 'json', '--no-charts'];
    const [a, b] = await Promise.all([
      cli([...args, '--jobs', '1', '--out', join(tmp, 'j1')]),
      cli([...args, '--jobs', '2', '--out', join(tmp, 'j2')]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const files = readdirSync(join(tmp, 'j1')).sort();
    expect(files).toEqual([
      'crossover.csv',
      'meta.json',
      'points.jsonl',
      'scenario.json',
      'summary.csv',
      'sweep.json',
    ]);
    for (const f of files) if (f !== 'meta.json') expect(read(tmp, 'j2', f), f).toBe(read(tmp, 'j1', f));
    expect(read(tmp, 'j1', 'sweep.json')).toBe(a.stdout);
    expect(a.stdout).not.toContain('wallTime');
    const meta = JSON.parse(read(tmp, 'j2', 'meta.json'));
    expect(meta).toMatchObject({
      version: VERSION,
      seed: 1,
      nodeVersion: process.version,
      executor: 'fast',
      jobs: 2,
    });
    expect(meta.wallTimeS).toBeGreaterThan(0);
    expect(JSON.parse(read(tmp, 'j1', 'scenario.json')).durationS).toBe(0.01);
    expect(read(tmp, 'j1', 'points.jsonl').trimEnd().split('\n')).toHaveLength(4);
  });

  it('--resume after the journal is cut to 2 lines gives the same JSON byte for byte', async () => {
    const args = ['sweep', '--vms-list', '1,2', ...SHORT, '--format', 'json', '--no-charts', '--jobs', '1'];
    const dir = join(tmp, 'cut');
    const first = await cli([...args, '--out', dir]);
    expect(first.code, first.stderr).toBe(0);
    const journal = read(dir, 'points.jsonl').split('\n');
    writeFileSync(join(dir, 'points.jsonl'), `${journal.slice(0, 2).join('\n')}\n`);
    const again = await cli([...args, '--out', dir, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(JSON.parse(read(dir, 'meta.json')).resumedRuns).toBe(2);
    expect(read(dir, 'points.jsonl')).toBe(journal.join('\n'));
  });

  it('a sweep killed with SIGKILL mid-way and resumed equals one never killed', async () => {
    const args = ['sweep', '--vms-list', '8,12,16,24', '--duration', '0.08', '--warmup', '0.005'];
    const common = [...args, '--format', 'json', '--no-charts', '--jobs', '1'];
    const dir = join(tmp, 'killed');
    const journal = join(dir, 'points.jsonl');
    const child: ChildProcess = track(
      spawn(process.execPath, [BIN, ...common, '--out', dir], {
        cwd: ROOT,
        env: { ...process.env, CI: '1' },
        stdio: 'ignore',
      }),
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_c, sig) => resolve(sig)),
    );
    // Kill as soon as two points are durable. Only whole lines count: the kill (or this read) can land
    // while a line is being written, and resume rightly drops a torn line.
    const wholeLines = () => (existsSync(journal) ? read(journal).split('\n').filter(isJson).length : 0);
    // Bounded by the child's own run, not by a wall-clock guess: a loaded machine may take minutes.
    let running = true;
    child.on('exit', () => {
      running = false;
    });
    while (running) {
      if (wholeLines() >= 2) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const kept = wholeLines();
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(8);
    expect(existsSync(join(dir, 'sweep.json'))).toBe(false);

    const [resumed, clean] = await Promise.all([
      cli([...common, '--out', dir, '--resume']),
      cli([...common, '--out', join(tmp, 'never-killed')]),
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(clean.code, clean.stderr).toBe(0);
    expect(resumed.stdout).toBe(clean.stdout);
    expect(read(dir, 'sweep.json')).toBe(read(tmp, 'never-killed', 'sweep.json'));
    expect(JSON.parse(read(dir, 'meta.json')).resumedRuns).toBe(kept);
  });

  it('--resume refuses a folder from another sweep (exit 2, one line)', async () => {
    const dir = join(tmp, 'other');
    const a = await cli([...ONE_POINT, '--no-charts', '--out', dir]);
    expect(a.code, a.stderr).toBe(0);
    const b = await cli([
      ...ONE_POINT,
      '--seed',
      '5',
      '--no-charts',
      '--jobs',
      '1',
      '--out',
      dir,
      '--resume',
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/^vhost-sim: error: .*different sweep/);
  });

  it('--reps: JSON has reps and ci95, tables show ± and md renders Markdown', async () => {
    const args = [...ONE_POINT, '--reps', '3', '--no-charts', '--jobs', '1'];
    const [js, md, csv] = await Promise.all([
      cli([...args, '--format', 'json', '--out', join(tmp, 'reps-json')]),
      cli([...args, '--format', 'md', '--out', join(tmp, 'reps-md')]),
      cli([...args, '--format', 'csv', '--out', join(tmp, 'reps-csv')]),
    ]);
    expect(js.code, js.stderr).toBe(0);
    const p = JSON.parse(js.stdout).points[0];
    expect(p.reps).toBe(3);
    expect(p.ci95.throughput.low).toBeLessThanOrEqual(p.metrics.throughput.value);
    expect(p.ci95.throughput.high).toBeGreaterThanOrEqual(p.metrics.throughput.value);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^\| model \| VMs \| tps /m);
    expect(md.stdout).toMatch(/^\|:---\|---:\|/m);
    expect(md.stdout).toContain(' ± ');
    expect(md.stdout).toMatch(/^- crossover \(throughput\)/m);
    expect(csv.code, csv.stderr).toBe(0);
    const header = csv.stdout.split('\n')[0].split(',');
    expect(header).toContain('reps');
    expect(header).toContain('ci95.throughput.low');
    expect(header).toContain('ci95.efficiency.high');
  });

  it('no progress bar when stderr is not a terminal, even outside CI', async () => {
    const out = await cli([...ONE_POINT, '--no-charts', '--out', join(tmp, 'quiet')], {
      CI: undefined,
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toContain('\r');
    expect(out.stderr).not.toContain('ETA');
  });
});

describe('default results folder', () => {
  it('is results/<command>-<hash of the resolved sweep>, stable and sensitive to the sweep', () => {
    const base = resolveScenario({});
    const id = { command: 'sweep', base, models: ['per-cpu' as const], vmsList: [1, 2], reps: 1 };
    expect(defaultOutDir(id)).toMatch(/^results[/\\]sweep-[0-9a-f]{8}$/);
    expect(sweepHash(id)).toBe(sweepHash({ ...id, base: resolveScenario({}) }));
    expect(sweepHash(id)).not.toBe(sweepHash({ ...id, reps: 2 }));
    expect(sweepHash(id)).not.toBe(sweepHash({ ...id, base: resolveScenario({ seed: 2 }) }));
  });
});
