import { describe, expect, it } from 'vitest';
import { type SensitivityParam, sensitivity } from '../../src/api/sensitivity.ts';
import { ScenarioError } from '../../src/scenario/schema.ts';
import { runCli } from '../cliRun.ts';

/** The library's sensitivity() is the CLI's study: same design, runs and analysis. */
const TINY = {
  params: 'ctxSwitchNs,vmExitNs',
  outputs: ['ratio@2'],
  vmsList: [1, 2],
  trajectories: 2,
  seeds: 1,
  bootstrap: 50,
  base: { durationS: 0.002, warmupS: 0.001 },
};

describe('sensitivity()', () => {
  it('gives the analyses of `vhost-sim sensitivity --format json`, whatever the jobs', async () => {
    const [one, two, cli] = await Promise.all([
      sensitivity({ ...TINY, jobs: 1 }),
      sensitivity({ ...TINY, jobs: 2 }),
      runCli([
        'sensitivity',
        ...['--params', TINY.params, '--output', 'ratio@2', '--vms-list', '1,2', '--trajectories', '2'],
        ...['--seeds', '1', '--bootstrap', '50', '--duration', '0.002', '--warmup', '0.001'],
        ...[
          '--jobs',
          '1',
          '--format',
          'json',
          '--no-charts',
          '--out',
          `${process.env.TMPDIR ?? '/tmp'}/vhost-sim-sens-api-${process.pid}`,
        ],
      ]),
    ]);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(cli.code, cli.stderr).toBe(0);
    const doc = JSON.parse(cli.stdout);
    expect(JSON.stringify(doc.analyses)).toBe(JSON.stringify(one.analyses));
    expect(JSON.stringify(doc.samples)).toBe(JSON.stringify(one.samples));
    expect(one.analyses[0]?.morris?.map((m) => m.path).sort()).toEqual([
      'profile.costs.ctxSwitchNs',
      'profile.costs.vmExitNs',
    ]);
  }, 240_000);

  it('takes typed parameters: the same study as the --params text', async () => {
    const typed = await sensitivity({
      ...TINY,
      params: ['profile.costs.ctxSwitchNs', { path: 'profile.costs.vmExitNs', lo: 1e-7, hi: 2000 }],
    });
    const text = await sensitivity({ ...TINY, params: 'ctxSwitchNs,profile.costs.vmExitNs=1e-7:2000' });
    expect(JSON.stringify(typed)).toBe(JSON.stringify(text));
    // The range given, not the table's 600-1,250 ns: every trajectory visits a level outside it (the
    // study rounds a nanosecond cost to whole ns: 1e-7 is 0).
    const vmExit = typed.samples.map((s) => s.values[1] ?? Number.NaN);
    expect(vmExit.every((v) => v >= 0 && v <= 2000)).toBe(true);
    expect(vmExit.some((v) => v < 600 || v > 1250)).toBe(true);
    // @ts-expect-error a typed parameter is a full scenario path (npx tsc --noEmit fails if this compiles)
    const short: SensitivityParam = 'ctxSwitchNs';
    expect(short).toBe('ctxSwitchNs');
  }, 240_000);

  it('refuses a bad design with a ScenarioError naming the field', async () => {
    await expect(sensitivity({ ...TINY, method: 'sobol', samples: 3 })).rejects.toThrow(ScenarioError);
    await expect(sensitivity({ ...TINY, levels: 3 })).rejects.toThrow(/^levels: expected an even number/);
    await expect(sensitivity({ ...TINY, method: 'sobol', samples: 8 })).rejects.toThrow(
      /^samples: N = 8 is too small for 2 parameters/,
    );
  });
});
