import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { profiles } from '../../src/scenario/profiles.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { validateScenario } from '../../src/scenario/schema.ts';
import { scenarioError } from './scenarioError.ts';

describe('resolveScenario', () => {
  it('with no input is the validated default scenario', () => {
    expect(resolveScenario()).toEqual(defaultScenario());
    expect(validateScenario(defaultScenario())).toEqual(defaultScenario());
  });

  it('deep-merges a partial input over the defaults', () => {
    const s = resolveScenario({ vms: 8, workload: { instances: 4 }, vhost: { weightPkts: 64 } });
    expect(s.vms).toBe(8);
    expect(s.workload).toEqual({ ...defaultScenario().workload, instances: 4 });
    expect(s.vhost.byteWeight).toBe(defaultScenario().vhost.byteWeight);
    expect(s.vhost.weightPkts).toBe(64);
  });

  it('accepts a profile name or a partial profile over a named profile', () => {
    expect(resolveScenario({ profile: '2x64' }).profile).toEqual(profiles['2x64']);
    const p = resolveScenario({ profile: { name: '2x64', costs: { ctxSwitchNs: 0 } } }).profile;
    expect(p.cpu.coresPerSocket).toBe(64);
    expect(p.costs.ctxSwitchNs).toBe(0);
    expect(p.costs.vmExitNs).toBe(profiles['2x64'].costs.vmExitNs);
    const q = resolveScenario({ profile: { nic: { irqCpus: [1, 2] } } }).profile;
    expect(q.name).toBe(defaultScenario().profile.name);
    expect(q.nic.irqCpus).toEqual([1, 2]);
  });

  it('does not mutate the shared profiles or defaults', () => {
    resolveScenario({ profile: { costs: { ctxSwitchNs: 0 } } }, ['profile.nic.irqCpus=[3]']);
    expect(profiles['x3650-m2'].costs.ctxSwitchNs).toBeGreaterThan(0);
    expect(profiles['x3650-m2'].nic.irqCpus).toEqual([0]);
  });

  it('arrays replace rather than merge', () => {
    const s = resolveScenario({ profile: { nic: { irqCpus: [5] } } });
    expect(s.profile.nic.irqCpus).toEqual([5]);
  });

  it('applies --set on nested, array and element paths, JSON or string values', () => {
    const s = resolveScenario({}, [
      'profile.costs.ctxSwitchNs=0',
      'vms=8',
      'workload.instances=2',
      'profile.nic.irqCpus=[0,4]',
      'profile.nic.irqCpus[1]=5',
      'model=per-cpu',
      'pinning.vcpu=none',
    ]);
    expect(s.profile.costs.ctxSwitchNs).toBe(0);
    expect(s.vms).toBe(8);
    expect(s.workload.instances).toBe(2);
    expect(s.profile.nic.irqCpus).toEqual([0, 5]);
    expect(s.model).toBe('per-cpu');
    expect(s.pinning.vcpu).toBe('none');
  });

  it('--set profile=NAME swaps in a named profile; later sets apply on top', () => {
    const s = resolveScenario({}, ['profile=2x64', 'profile.costs.ctxSwitchNs=7']);
    expect(s.profile.name).toBe('2x64');
    expect(s.profile.costs.ctxSwitchNs).toBe(7);
  });

  it('an unknown --set path is an error naming the path', () => {
    const e = scenarioError(() => resolveScenario({}, ['profile.costs.ctxSwitchNS=0']));
    expect(e.path).toBe('scenario.profile.costs.ctxSwitchNS');
    expect(e.message).toContain('profile.costs.ctxSwitchNS');
    expect(scenarioError(() => resolveScenario({}, ['nope=1'])).message).toContain("'nope'");
    expect(scenarioError(() => resolveScenario({}, ['profile.nic.irqCpus[3]=1'])).message).toContain(
      'irqCpus.3',
    );
    expect(scenarioError(() => resolveScenario({}, ['vms'])).message).toContain('path=value');
  });

  it('validation errors name the path, the value and what was expected', () => {
    const e = scenarioError(() => resolveScenario({ vms: -3 }));
    expect(e.path).toBe('scenario.vms');
    expect(e.value).toBe(-3);
    expect(e.expected).toBe('an integer 1..4096');
    expect(e.message).toBe('scenario.vms: expected an integer 1..4096, got -3');

    const t = scenarioError(() => resolveScenario({}, ['workload.instances="two"']));
    expect(t.message).toBe('scenario.workload.instances: expected an integer 1..64, got "two"');

    const m = scenarioError(() => resolveScenario({}, ['model=per-vm']));
    expect(m.message).toContain('scenario.model');
    expect(m.message).toContain("'per-device', 'per-cpu'");
    expect(m.message).toContain('"per-vm"');

    expect(scenarioError(() => resolveScenario({}, ['ringSize=100'])).expected).toContain('power of two');
    expect(scenarioError(() => resolveScenario({}, ['profile.costs.vmExitNs=-1'])).path).toBe(
      'scenario.profile.costs.vmExitNs',
    );
    expect(scenarioError(() => resolveScenario({ durationS: 0 })).path).toBe('scenario.durationS');
    expect(scenarioError(() => resolveScenario({ seed: 2 ** 31 })).path).toBe('scenario.seed');
  });

  it('unknown keys are errors naming the key', () => {
    const e = scenarioError(() => resolveScenario({ vmz: 3 } as never));
    expect(e.path).toBe('scenario.vmz');
    expect(e.message).toContain('unknown key');
    const p = scenarioError(() => resolveScenario({ profile: { costs: { foo: 1 } } } as never));
    expect(p.path).toBe('scenario.profile.costs.foo');
  });

  it('rejects irqCpus outside the topology', () => {
    const e = scenarioError(() => resolveScenario({}, ['profile.nic.irqCpus=[0,8]']));
    expect(e.path).toBe('scenario.profile.nic.irqCpus[1]');
    expect(e.value).toBe(8);
    expect(e.expected).toContain('0..7');
    // The same CPU is fine on a bigger host.
    expect(resolveScenario({ profile: '2x64' }, ['profile.nic.irqCpus=[0,8]']).profile.nic.irqCpus).toEqual([
      0, 8,
    ]);
  });

  it('rejects an unknown profile name', () => {
    const e = scenarioError(() => resolveScenario({ profile: 'nehalem' }));
    expect(e.path).toBe('scenario.profile');
    expect(e.message).toContain('x3650-m2');
  });

  it('validateScenario reports missing fields', () => {
    const { vms: _vms, ...rest } = defaultScenario();
    const e = scenarioError(() => validateScenario(rest));
    expect(e.path).toBe('scenario.vms');
    expect(e.message).toContain('missing');
  });
});

describe('loadScenarioFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-load-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads JSON and YAML', () => {
    // A named profile becomes a partial profile (flags can merge over it) once the name is checked.
    const named = loadScenarioFile(file('a.json', '{"vms": 3, "profile": "2x64"}'));
    expect(named).toEqual({ vms: 3, profile: { name: '2x64' } });
    expect(resolveScenario(named).profile).toEqual(profiles['2x64']);
    const y = loadScenarioFile(file('a.yaml', 'vms: 3\nprofile:\n  costs:\n    ctxSwitchNs: 0\n'));
    expect(resolveScenario(y).profile.costs.ctxSwitchNs).toBe(0);
    expect(loadScenarioFile(file('a.yml', 'model: per-cpu\n'))).toEqual({ model: 'per-cpu' });
  });

  it('missing, unparsable or non-mapping files are ScenarioErrors with clear messages', () => {
    expect(scenarioError(() => loadScenarioFile(join(dir, 'missing.json'))).message).toContain(
      'no such file',
    );
    expect(scenarioError(() => loadScenarioFile(file('bad.json', '{"vms": 3,'))).message).toContain(
      'invalid JSON',
    );
    expect(scenarioError(() => loadScenarioFile(file('bad.yaml', 'vms: [1,\n'))).message).toContain(
      'invalid YAML',
    );
    expect(scenarioError(() => loadScenarioFile(file('list.yaml', '- 1\n'))).message).toContain('mapping');
    expect(scenarioError(() => loadScenarioFile(file('a.txt', 'vms: 1'))).message).toContain('extension');
  });
});
