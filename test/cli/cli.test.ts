import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.ts';
import { type CliOut, runCli } from '../cliRun.ts';

const SHORT = ['--duration', '0.02', '--warmup', '0.005'];

const cli = (...args: string[]) => runCli(args);

const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-cli-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** One `vhost-sim: error:` line naming `field`, exit 2, no stack trace. */
function expectUsageError(out: CliOut, field: string): void {
  expect(out.code).toBe(2);
  expect(out.stdout).toBe('');
  const lines = out.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^vhost-sim: error: /);
  expect(lines[0]).toContain(field);
  expect(out.stderr).not.toMatch(/^\s+at /m);
}

describe.concurrent('vhost-sim CLI', () => {
  it('run --format json is deterministic per seed and records the scenario', async () => {
    const [a, b, c] = await Promise.all([
      cli('run', ...SHORT, '--seed', '7', '--format', 'json'),
      cli('run', ...SHORT, '--seed', '7', '--format', 'json'),
      cli('run', ...SHORT, '--seed', '8', '--format', 'json'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    const doc = JSON.parse(a.stdout);
    expect(doc.scenario.seed).toBe(7);
    expect(doc.scenario.durationS).toBe(0.02);
    expect(doc.metrics.throughput.unit).toBe('transactions/s');
    expect(doc.metrics.throughput.value).toBeGreaterThan(0);
    expect(doc.meta).toMatchObject({ version: VERSION, nodeVersion: process.version, executor: 'fast' });
    expect(doc.meta.events).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout).metrics).not.toEqual(doc.metrics);
  });

  it('run reads a YAML scenario file; flags and --set override it', async () => {
    const f = file('s.yaml', 'vms: 2\nmodel: per-cpu\nprofile:\n  costs:\n    ctxSwitchNs: 0\n');
    const out = await cli(
      'run',
      f,
      ...SHORT,
      '--vcpus',
      '2',
      '--set',
      'workload.instances=2',
      '--format',
      'json',
    );
    expect(out.code, out.stderr).toBe(0);
    const s = JSON.parse(out.stdout).scenario;
    expect([s.vms, s.model, s.vcpusPerVm, s.workload.instances, s.profile.costs.ctxSwitchNs]).toEqual([
      2,
      'per-cpu',
      2,
      2,
      0,
    ]);
  });

  it('run --format csv prints a header and one row; table is human-readable', async () => {
    const [csv, table] = await Promise.all([
      cli('run', ...SHORT, '--format', 'csv'),
      cli('run', ...SHORT, '--vms', '2'),
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0].split(',')).toContain('throughput.value');
    expect(lines[0]).not.toContain('perVm');
    expect(lines[1].split(',')).toHaveLength(lines[0].split(',').length);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('transactions/s');
    expect(table.stdout).toContain('Per VM');
  });

  it('malformed scenario files: exit 2, one error line naming the field', async () => {
    const cases: [string, string, string][] = [
      ['type.json', '{"vms": "four"}', 'scenario.vms'],
      ['key.json', '{"workload": {"instancez": 2}}', 'scenario.workload.instancez'],
      ['neg.yaml', 'vms: -3\n', 'scenario.vms'],
      ['broken.json', '{"vms": 3,', 'invalid JSON'],
    ];
    const outs = await Promise.all(cases.map(([name, text]) => cli('run', file(name, text), ...SHORT)));
    for (const [i, out] of outs.entries()) expectUsageError(out, cases[i][2]);
    expect(outs[2].stderr).toContain('got -3');
  });

  it('bad flags and paths: exit 2 with one line', async () => {
    const [set, model, missing, unknown, tie] = await Promise.all([
      cli('run', ...SHORT, '--set', 'profile.costs.nope=1'),
      cli('run', ...SHORT, '--model', 'per-vm'),
      cli('run', join(dir, 'missing.yaml')),
      cli('run', '--frobnicate'),
      cli('sweep', '--tie-tolerance', '5'),
    ]);
    expectUsageError(set, 'profile.costs.nope');
    expectUsageError(model, 'per-vm');
    expectUsageError(missing, 'missing.yaml');
    expectUsageError(unknown, '--frobnicate');
    expectUsageError(tie, '--tie-tolerance');
  });

  it('sweep --format json has every point and a crossover object; csv has a header', async () => {
    const out = join(dir, 'sweep-out');
    const [js, csv] = await Promise.all([
      cli('sweep', '--vms-list', '1,2', ...SHORT, '--format', 'json', '--out', out),
      cli('sweep', '--vms-list', '1', '--models', 'per-cpu', ...SHORT, '--format', 'csv'),
    ]);
    expect(js.code, js.stderr).toBe(0);
    const doc = JSON.parse(js.stdout);
    expect(doc.points).toHaveLength(4);
    expect(doc.points.map((p: { model: string; vms: number }) => `${p.model}/${p.vms}`)).toEqual([
      'per-device/1',
      'per-device/2',
      'per-cpu/1',
      'per-cpu/2',
    ]);
    expect(doc.points[0].workload).toBe('TCP_RR');
    expect(doc.points[0].scenario.durationS).toBe(0.02);
    expect(doc.crossover).toHaveProperty('TCP_RR');
    expect(doc.crossover.TCP_RR).toHaveProperty('throughput');
    expect(doc.crossover.TCP_RR.efficiency.text).toContain('tie tolerance 1 %');
    expect(readFileSync(join(out, 'crossover.csv'), 'utf8')).toContain(doc.crossover.TCP_RR.throughput.text);
    expect(js.stderr).toContain('sweep.json');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0].startsWith('model,vms,workload,')).toBe(true);
    expect(lines).toHaveLength(2);
  });

  it('sweep --axis adds a grid dimension and keys the crossover by it', async () => {
    const out = await cli(
      'sweep',
      '--vms-list',
      '1',
      '--axis',
      'profile.nic.irqCpus=[0],[0,4]',
      ...SHORT,
      '--format',
      'json',
    );
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.points).toHaveLength(4);
    expect(doc.points[3].axes).toEqual({ 'profile.nic.irqCpus': [0, 4] });
    expect(doc.points[3].scenario.profile.nic.irqCpus).toEqual([0, 4]);
    expect(Object.keys(doc.crossover)).toEqual([
      'TCP_RR profile.nic.irqCpus=[0]',
      'TCP_RR profile.nic.irqCpus=[0,4]',
    ]);
  });
});
