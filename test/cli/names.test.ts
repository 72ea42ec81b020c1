import { describe, expect, it } from 'vitest';
import { modelNames, workloadKinds } from '../../src/model/scenario.ts';
import { canonicalName } from '../../src/scenario/names.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { runCli } from '../cliRun.ts';

const SHORT = ['--duration', '0.002', '--warmup', '0.001'];

describe('names in any case', () => {
  it('canonicalName finds the canonical spelling, and nothing for an unknown name', () => {
    expect(canonicalName('tcp_rr', workloadKinds)).toBe('TCP_RR');
    expect(canonicalName('Per-CPU', modelNames)).toBe('per-cpu');
    expect(canonicalName('per_cpu', modelNames)).toBeUndefined();
  });

  it('a scenario takes model, workload kind and profile name in any case and stores them canonically', () => {
    const s = resolveScenario(
      { model: 'PER-CPU' as never, workload: { kind: 'udp_stream' as never }, profile: '2X64' },
      ['workload.instances=2'],
    );
    expect([s.model, s.workload.kind, s.profile.name]).toEqual(['per-cpu', 'UDP_STREAM', '2x64']);
    const t = resolveScenario({}, ['model=Busy-Poll', 'profile=X3650-M2']);
    expect([t.model, t.profile.name]).toEqual(['busy-poll', 'x3650-m2']);
  });

  it('run --model, --workload and --profile take any case; the output names them canonically', async () => {
    const out = await runCli([
      'run',
      ...SHORT,
      '--model',
      'PER-CPU',
      '--workload',
      'tcp_rr',
      '--profile',
      'X3650-M2',
      '--format',
      'json',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const { scenario } = JSON.parse(out.stdout);
    expect([scenario.model, scenario.workload.kind, scenario.profile.name]).toEqual([
      'per-cpu',
      'TCP_RR',
      'x3650-m2',
    ]);
  });

  it('an unknown name is one error line naming the option, exit 2', async () => {
    const out = await runCli(['run', ...SHORT, '--model', 'per_cpu']);
    expect(out.code).toBe(2);
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^vhost-sim: error: .*--model.*'per_cpu' is not a model/);
  });

  it('diagram takes a machine id in any case', async () => {
    const [a, b] = await Promise.all([
      runCli(['diagram', 'VHOSTWORKER']),
      runCli(['diagram', 'vhostWorker']),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});
