import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { scenarioJsonSchema } from '../../src/scenario/jsonSchema.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { scenarioError } from './scenarioError.ts';

describe('validation: ranges, integers, non-finite values', () => {
  const cases: [string, unknown, string][] = [
    ['durationS', Number.NaN, 'scenario.durationS'],
    ['durationS', 1e-12, 'scenario.durationS'],
    ['vms', Number.POSITIVE_INFINITY, 'scenario.vms'],
    ['profile.costs.vmExitNs', Number.NaN, 'scenario.profile.costs.vmExitNs'],
    ['profile.costs.vmExitNs', 1e300, 'scenario.profile.costs.vmExitNs'],
    // Used as a delay as it is: the clock counts whole nanoseconds.
    ['profile.nic.txNs', 0.5, 'scenario.profile.nic.txNs'],
    ['profile.costs.nicRxIrqNs', 10.5, 'scenario.profile.costs.nicRxIrqNs'],
    ['profile.sched.minGranularityNs', 1.5, 'scenario.profile.sched.minGranularityNs'],
    ['profile.nic.lineRateGbps', 1e-300, 'scenario.profile.nic.lineRateGbps'],
    ['workload.ratePerSec', 1e-300, 'scenario.workload.ratePerSec'],
    ['costDistribution.cv', 1e300, 'scenario.costDistribution.cv'],
    ['profile.nic.peerJitterCv', 1e300, 'scenario.profile.nic.peerJitterCv'],
    ['profile.name', '', 'scenario.profile.name'],
  ];
  it.each(cases)('%s = %s is refused, naming the field', (path, value, shown) => {
    const e = scenarioError(() => resolveScenario({}, [`${path}=${JSON.stringify(value) ?? 'null'}`]));
    if (typeof value === 'number' && !Number.isFinite(value)) {
      // JSON has no NaN/Infinity: set the value directly.
      const s = structuredClone(defaultScenario()) as unknown as Record<string, unknown>;
      const segs = path.split('.');
      let cur = s;
      for (const seg of segs.slice(0, -1)) cur = cur[seg] as Record<string, unknown>;
      cur[segs[segs.length - 1]] = value;
      const f = scenarioError(() => resolveScenario(s as never));
      expect(f.path).toBe(shown);
      expect(f.message).toContain(String(value));
      return;
    }
    expect(e.path).toBe(shown);
    expect(e.message).toMatch(new RegExp(`^${shown.replace(/[.[\]]/g, '\\$&')}: expected .+, got `));
  });

  it('per-byte costs and fractions may be fractional', () => {
    const s = resolveScenario({ profile: { costs: { guestPerByteNs: 0.25, remoteNumaPenalty: 0.5 } } });
    expect(s.profile.costs.guestPerByteNs).toBe(0.25);
  });
});

describe('validation: cross-field rules', () => {
  it('irqCpus must exist in the topology', () => {
    const e = scenarioError(() => resolveScenario({ profile: { nic: { irqCpus: [0, 8] } } }));
    expect(e.path).toBe('scenario.profile.nic.irqCpus[1]');
    expect(e.message).toContain('0..7');
  });

  it('the number of simulated threads is bounded', () => {
    const e = scenarioError(() => resolveScenario({ vms: 4096, vcpusPerVm: 64 }));
    expect(e.path).toBe('scenario.vms');
    expect(e.message).toContain('200000');
    expect(e.message).toContain('4096 x (64 + 1 x 1)');
    expect(resolveScenario({ vms: 2000, vcpusPerVm: 50 }).vms).toBe(2000);
  });

  it('warmupS + durationS is bounded', () => {
    const e = scenarioError(() => resolveScenario({ durationS: 3600, warmupS: 1 }));
    expect(e.path).toBe('scenario.warmupS');
  });

  it('TCP_STREAM windows cannot put millions of buffers in flight', () => {
    const e = scenarioError(() =>
      resolveScenario({
        workload: { kind: 'TCP_STREAM', instances: 64, windowBytes: 1 << 26, gsoBytes: 64 },
      }),
    );
    expect(e.path).toBe('scenario.workload.windowBytes');
    // The same window on another workload is not a stream window: accepted.
    expect(
      resolveScenario({ workload: { kind: 'TCP_RR', instances: 64, windowBytes: 1 << 26, gsoBytes: 64 } }),
    ).toBeTruthy();
  });

  it('OPEN_RR offered load is bounded', () => {
    const e = scenarioError(() =>
      resolveScenario({ vms: 1000, workload: { kind: 'OPEN_RR', instances: 64, ratePerSec: 1e6 } }),
    );
    expect(e.path).toBe('scenario.workload.ratePerSec');
  });

  it('unknown keys are refused at any depth, with the known keys', () => {
    const e = scenarioError(() => resolveScenario({ profile: { nic: { irqCpu: [1] } } } as never));
    expect(e.message).toMatch(
      /^scenario\.profile\.nic\.irqCpu: unknown key \(did you mean 'irqCpus'\?\); expected one of the known keys/,
    );
  });
});

describe('docs/scenario.schema.json', () => {
  const committed = JSON.parse(
    readFileSync(new URL('../../docs/scenario.schema.json', import.meta.url), 'utf8'),
  ) as unknown;

  it('is up to date with src/scenario/schema.ts (else run `npm run gen:schema`)', () => {
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it('describes a partial scenario: nothing required, profile a name or a partial profile', () => {
    const text = JSON.stringify(committed);
    expect(text).not.toContain('"required"');
    const schema = committed as {
      additionalProperties: boolean;
      properties: Record<string, { anyOf?: { enum?: string[] }[] }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['$schema', ...Object.keys(defaultScenario())]),
    );
    expect(schema.properties.profile.anyOf?.[0].enum).toContain('x3650-m2');
  });
});

describe('validation: a model the host cannot hold', () => {
  it('sidecore on a node of one CPU is refused, naming the cores per socket (no sidecore left: it crashed in the host)', () => {
    const e = scenarioError(() =>
      resolveScenario({ model: 'sidecore' }, ['profile.cpu.sockets=1', 'profile.cpu.coresPerSocket=1']),
    );
    expect(e.path).toBe('scenario.profile.cpu.coresPerSocket');
    expect(e.message).toContain('at least 2 CPUs per node for model sidecore');
    // Two CPUs per node hold a vCPU core and a sidecore; SMT siblings count as CPUs.
    expect(() => resolveScenario({ model: 'sidecore' }, ['profile.cpu.coresPerSocket=2'])).not.toThrow();
    expect(() =>
      resolveScenario({ model: 'sidecore' }, [
        'profile.cpu.coresPerSocket=1',
        'profile.cpu.threadsPerCore=2',
      ]),
    ).not.toThrow();
  });
});
