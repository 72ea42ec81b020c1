import { describe, expect, it } from 'vitest';
import { ScenarioError, type ScenarioPath, type SweepAxis, sweep } from '../../src/index.ts';

/**
 * A library sweep's axes name scenario paths by type: `npx tsc --noEmit` (CI's typecheck) fails when the
 * `@ts-expect-error` lines below compile, i.e. when ScenarioPath stops telling a path from a typo.
 */
describe('sweep axes', () => {
  const good: ScenarioPath[] = ['vms', 'workload.kind', 'profile.costs.ctxSwitchNs', 'profile.cpu.sockets'];
  // @ts-expect-error a misspelt cost is not a scenario path
  const typo: ScenarioPath = 'profile.costs.ctxSwitchNS';
  // @ts-expect-error arrays are leaves: no path below pmdCores
  const below: ScenarioPath = 'policy.pmdCores.length';

  it('vary the scenario at the typed path', async () => {
    const axis: SweepAxis = { path: 'profile.costs.ctxSwitchNs', values: [0, 5000] };
    const { points } = await sweep({
      vmsList: [2],
      models: ['per-device'],
      base: { durationS: 0.002, warmupS: 0.001 },
      axes: [axis],
    });
    expect(points.map((p) => p.scenario.profile.costs.ctxSwitchNs)).toEqual([0, 5000]);
    expect(points.map((p) => p.axes)).toEqual([
      { 'profile.costs.ctxSwitchNs': 0 },
      { 'profile.costs.ctxSwitchNs': 5000 },
    ]);
    expect(good).toHaveLength(4);
  });

  it('a path that escapes the types (a cast, plain JavaScript) is still refused at run time', async () => {
    for (const path of [typo, below])
      await expect(
        sweep({ vmsList: [1], base: { durationS: 0.001, warmupS: 0.001 }, axes: [{ path, values: [1] }] }),
      ).rejects.toThrow(ScenarioError);
  });
});
