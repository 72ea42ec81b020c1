import { describe, expect, it } from 'vitest';
import { sensitivity } from '../../src/api/sensitivity.ts';
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

  it('refuses a bad design with a ScenarioError naming the field', async () => {
    await expect(sensitivity({ ...TINY, method: 'sobol', samples: 3 })).rejects.toThrow(ScenarioError);
    await expect(sensitivity({ ...TINY, levels: 3 })).rejects.toThrow(/^levels: expected an even number/);
    await expect(sensitivity({ ...TINY, method: 'sobol', samples: 8 })).rejects.toThrow(
      /^samples: N = 8 is too small for 2 parameters/,
    );
  });
});
