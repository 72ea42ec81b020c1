import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliRun.ts';

const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-sensitivity-'));
/** One parameter, two trajectories (4 samples), 1 and 2 VMs, very short runs. */
const TINY = [
  'sensitivity',
  '--params',
  'cgroupAttachNs',
  '--trajectories',
  '2',
  '--vms-list',
  '1,2',
  '--output',
  'crossover',
  '--output',
  'ratio@2',
  '--duration',
  '0.005',
  '--warmup',
  '0.002',
  '--bootstrap',
  '20',
  '--no-charts',
];

// Child processes on a shared 2-core machine: the default minute is not enough when it is busy.
describe.concurrent('vhost-sim sensitivity', { timeout: 240_000 }, () => {
  it('bad input: one line naming the option, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--params', 'nope'], /--params: 'nope' is not a row/],
      [['--output', 'ratio@zero'], /--output: expected a VM count/],
      [['--method', 'sobol', '--samples', '12'], /--samples: expected a power of two/],
      [
        ['--method', 'sobol', '--params', 'all', '--samples', '8'],
        /--samples: N = 8 is too small for \d+ parameters: .* correlate 1\.00\), .* the smallest N that does not is \d+/,
      ],
      [['--models', 'per-cpu'], /--models.*two different models/],
    ];
    const outs = await Promise.all(cases.map(([args]) => runCli(['sensitivity', ...args, '--estimate'])));
    outs.forEach((out, i) => {
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(out.stderr).toMatch(cases[i][1]);
    });
  });

  it('--estimate prints the run count and a time estimate, and runs nothing else', async () => {
    const out = await runCli([...TINY, '--estimate', '--out', join(tmp, 'est')]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/4 samples × 4 runs × 2 seeds = 32 runs/);
    expect(out.stdout).toMatch(/estimated \d+:\d\d on one job at the machine's present load/);
    expect(() => readdirSync(join(tmp, 'est'))).toThrow();
  });

  it('--jobs 1 and 2 give the same JSON; --resume recomputes nothing', async () => {
    const [a, b] = await Promise.all([
      runCli([...TINY, '--format', 'json', '--jobs', '1', '--out', join(tmp, 'a')]),
      runCli([...TINY, '--format', 'json', '--jobs', '2', '--out', join(tmp, 'b')]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const doc = JSON.parse(a.stdout);
    expect(doc.analyses.map((x: { output: string }) => x.output)).toEqual([
      'crossover:throughput',
      'ratio:throughput@2',
    ]);
    expect(doc.samples).toHaveLength(4);
    expect(readdirSync(join(tmp, 'a')).sort()).toEqual([
      'indices.csv',
      'meta.json',
      'points.jsonl',
      'samples.csv',
      'scenario.json',
      'sensitivity.json',
    ]);
    const again = await runCli([
      ...TINY,
      '--format',
      'json',
      '--jobs',
      '1',
      '--resume',
      '--out',
      join(tmp, 'a'),
    ]);
    expect(again.stdout).toBe(a.stdout);
    expect(JSON.parse(readFileSync(join(tmp, 'a', 'meta.json'), 'utf8')).resumedRuns).toBe(32);
  });

  it('reproduce --uncertainty: each conclusion as a share of plausible hosts, the crossover as median and interval', async () => {
    const out = await runCli([
      'reproduce',
      '--uncertainty',
      '2',
      '--reps',
      '1',
      '--duration',
      '0.002',
      '--set',
      'warmupS=0.001',
      '--format',
      'json',
      '--out',
      join(tmp, 'unc'),
    ]);
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.hosts).toBe(2);
    expect(doc.conclusions[0]).toMatch(
      /^per-cpu ahead of per-device at 32 VMs in throughput: in \d+ % of plausible hosts/,
    );
    expect(doc.conclusions.join('\n')).toMatch(/throughput crossover: median .* VMs, 90 % interval/);
    expect(doc.samples).toHaveLength(2);
    expect(readdirSync(join(tmp, 'unc')).sort()).toEqual([
      'meta.json',
      'points.jsonl',
      'samples.csv',
      'uncertainty.json',
    ]);
  });

  it('--compare A,B ranks the parameters of two finished studies side by side with Spearman ρ, running nothing', async () => {
    const study = (dir: string, doc: unknown) => {
      mkdirSync(join(tmp, dir), { recursive: true });
      writeFileSync(join(tmp, dir, 'sensitivity.json'), JSON.stringify(doc));
    };
    const morris = (path: string, muStar: number) => ({
      path,
      mu: muStar,
      muStar,
      sigma: 0,
      muStarCi: [0, 0],
      sigmaCi: [0, 0],
    });
    const sobol = (path: string, total: number) => ({
      path,
      first: total,
      total,
      firstCi: [0, 0],
      totalCi: [0, 0],
    });
    study('cmp-m', {
      method: 'morris',
      analyses: [
        {
          output: 'ratio:throughput@32',
          morris: [morris('profile.costs.a', 3), morris('profile.costs.b', 2), morris('profile.costs.c', 1)],
        },
      ],
    });
    study('cmp-s', {
      method: 'sobol',
      analyses: [
        {
          output: 'ratio:throughput@32',
          sobol: [
            sobol('profile.costs.a', 0.7),
            sobol('profile.costs.c', 0.2),
            sobol('profile.costs.b', 0.1),
          ],
        },
      ],
    });
    const out = await runCli([
      'sensitivity',
      '--compare',
      `${join(tmp, 'cmp-m')},${join(tmp, 'cmp-s')}`,
      '--format',
      'json',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const [c] = JSON.parse(out.stdout);
    expect(c.output).toBe('ratio:throughput@32');
    expect(c.agreement.rows.map((r: { path: string; rankB: number }) => r.rankB)).toEqual([1, 3, 2]);
    expect(c.agreement.spearman).toBeCloseTo(0.5, 12);
    const bad = await runCli(['sensitivity', '--compare', join(tmp, 'cmp-m')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--compare: expected two results folders/);
  });
});
