import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliRun.ts';

const cli = (...args: string[]) => runCli(args);

describe('vhost-sim reproduce --workloads / --models', () => {
  it('runs the study for the given workloads and models, a table and a crossover per workload', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vhost-sim-repro-'));
    const r = await cli(
      'reproduce',
      '--workloads',
      'UDP_RR,TCP_STREAM',
      '--models',
      'per-device,per-cpu,pmd',
      '--duration',
      '0.003',
      '--set',
      'warmupS=0.001',
      '--jobs',
      '1',
      '--no-charts',
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('UDP_RR:');
    expect(r.stdout).toContain('TCP_STREAM:');
    expect(r.stdout).toContain('pmd tps');
    const json = JSON.parse(readFileSync(join(out, 'reproduce.json'), 'utf8'));
    // 2 workloads x 3 models x 9 VM counts.
    expect(json.points).toHaveLength(54);
    expect(new Set(json.points.map((p: { workload: string }) => p.workload))).toEqual(
      new Set(['UDP_RR', 'TCP_STREAM']),
    );
    expect(Object.keys(json.crossover).sort()).toEqual(['TCP_STREAM', 'UDP_RR']);
    // The study's default is 5 seeds per point, with the crossover of each seed beside the means'.
    expect(r.stdout).toContain('(+4 more seeds per point)');
    expect(json.points[0].reps).toBe(5);
    expect(json.points[0].bySeed.throughput).toHaveLength(5);
    expect(json.crossover.UDP_RR.bySeed.throughput.crossings).toHaveLength(5);
    expect(r.stdout).toContain(json.crossover.UDP_RR.throughput.text);
  }, 120_000);

  it('refuses an unknown workload with a one-line error', async () => {
    const r = await cli('reproduce', '--workloads', 'TCP_CRR');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^vhost-sim: error: .*TCP_CRR/);
  });
});
