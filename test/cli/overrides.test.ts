/**
 * The run's header lists every override in effect and where it came from (issue 20.5), and `run --help`
 * shows the defaults and examples that work.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_HELP, SWEEP_HELP } from '../../src/cli/help.ts';
import { overridesLine, overridesOf } from '../../src/cli/overrides.ts';
import { deepMerge, resolveScenario, type ScenarioInput } from '../../src/scenario/resolve.ts';
import { runCli } from '../cliRun.ts';

/** The overrides of a run given a file's input, the flags' input and --set lines (as the CLI resolves them). */
function of(file: ScenarioInput, flags: ScenarioInput, sets: string[] = []) {
  const scenario = resolveScenario(deepMerge(file, flags), sets);
  return overridesOf(scenario, { sets, flags, file: { name: 'f.yaml', input: file } });
}

describe('overrides in effect', () => {
  it('none for the defaults, even when a file or a flag gives a default value', () => {
    expect(of({}, {})).toEqual([]);
    expect(of({ vms: 1 }, { seed: 1 })).toEqual([]);
    expect(overridesLine([])).toMatch(/^Overrides: none/);
  });

  it('each changed field once, from the source that wins: --set over a flag over the file', () => {
    const list = of({ vms: 4, durationS: 0.5, seed: 3 }, { vms: 8, seed: 4 }, [
      'seed=5',
      'profile.costs.ctxSwitchNs=0',
    ]);
    expect(list).toEqual([
      { path: 'vms', value: 8, from: '--vms' },
      { path: 'durationS', value: 0.5, from: 'f.yaml' },
      { path: 'seed', value: 5, from: '--set' },
      { path: 'profile.costs.ctxSwitchNs', value: 0, from: '--set' },
    ]);
  });

  it('another profile is one override (its name), not every field it changes; a --set of an object covers its fields', () => {
    expect(of({ profile: '2x64' }, {})).toEqual([{ path: 'profile.name', value: '2x64', from: 'f.yaml' }]);
    const list = of({}, {}, ['pinning={"vcpu":"none"}']);
    expect(list).toEqual([{ path: 'pinning.vcpu', value: 'none', from: '--set' }]);
  });

  it('the run header names them (text and --fields tables)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-overrides-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, 'warmupS: 0.001\n');
    const args = ['run', file, '--duration', '0.002', '--set', 'profile.costs.ctxSwitchNs=0'];
    const [table, fields] = await Promise.all([runCli(args), runCli([...args, '--fields', 'THROUGHPUT'])]);
    for (const out of [table, fields]) {
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout.split('\n')[1]).toBe(
        `Overrides: durationS=0.002 (--duration), warmupS=0.001 (${file}), profile.costs.ctxSwitchNs=0 (--set)`,
      );
    }
  });
});

describe('run --help and sweep --help', () => {
  it('show each scenario flag with its default, and examples that parse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-help-'));
    writeFileSync(join(dir, 'my-scenario.yaml'), 'vms: 2\n');
    const help = await runCli(['run', '--help']);
    const defaults = resolveScenario({});
    expect(help.stdout).toContain(`--vms <n>             number of VMs (default: ${defaults.vms})`);
    expect(help.stdout).toContain(`(default: ${defaults.durationS})`);
    expect(help.stdout).toContain('Examples:');
    const examples = [RUN_HELP, SWEEP_HELP]
      .flatMap((t) => t.split('\n'))
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter((l) => /^vhost-sim (run|sweep)\b/.test(l))
      .map((l) => l.split(/\s+/).slice(1));
    expect(examples.length).toBeGreaterThan(5);
    // --estimate: each line is parsed and checked as given, then stops before running.
    const outs = await Promise.all(examples.map((a) => runCli([...a, '--estimate'], { cwd: dir })));
    outs.forEach((out, i) => {
      expect(out.code, `${examples[i].join(' ')}: ${out.stderr}`).toBe(0);
    });
  });
});
