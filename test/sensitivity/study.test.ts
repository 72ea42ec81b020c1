import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/metrics/summary.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { neededRuns, outputValue, parseOutput } from '../../src/sensitivity/outputs.ts';
import { parseParams } from '../../src/sensitivity/parameters.ts';
import { analyseStudy, type StudySpec, studyGrid, studyPoints } from '../../src/sensitivity/study.ts';

const fakeMetrics = (throughput: number) =>
  ({
    throughput: { value: throughput, unit: 'transactions/s' },
    efficiency: { value: throughput / 2 },
  }) as Metrics;

function spec(over: Partial<StudySpec> = {}): StudySpec {
  return {
    method: 'morris',
    base: resolveScenario({ durationS: 0.01 }),
    // An explicit range, so the expected effects below do not follow the calibration table's range.
    params: parseParams('cgroupAttachNs=0:3000,ctxSwitchNs'),
    outputs: [parseOutput('ratio@4')],
    models: ['per-device', 'per-cpu'],
    vmsList: [1, 4],
    seeds: 2,
    trajectories: 4,
    levels: 4,
    samples: 8,
    designSeed: 1,
    bootstrap: 50,
    ...over,
  };
}

describe('sensitivity parameters and outputs', () => {
  it('takes short names, explicit ranges, and refuses unranged or unknown rows by name', () => {
    const [p] = parseParams('cgroupAttachNs=0:5000');
    expect(p.path).toBe('profile.costs.cgroupAttachNs');
    expect(p.range).toMatchObject({ lo: 0, hi: 5000 });
    expect(() => parseParams('nope')).toThrow(/--params: 'nope' is not a row/);
    expect(() => parseParams('cpu.sockets')).toThrow(/no plausible range.*=lo:hi/);
    expect(() => parseParams('vmExitNs=5:1')).toThrow(/lo < hi/);
  });

  it('parses every output form and says which runs each needs', () => {
    expect(parseOutput('crossover')).toEqual({ kind: 'crossover', metric: 'throughput' });
    expect(parseOutput('ratio:efficiency@32')).toEqual({ kind: 'ratio', metric: 'efficiency', vms: 32 });
    expect(parseOutput('latencyP99Us@per-cpu:8')).toEqual({
      kind: 'metric',
      metric: 'latencyP99Us',
      model: 'per-cpu',
      vms: 8,
    });
    expect(() => parseOutput('ratio@x')).toThrow(/--output: expected a VM count/);
    expect(() => parseOutput('throughput@per-vm:2')).toThrow(/expected a model/);
    const runs = neededRuns(
      [parseOutput('crossover'), parseOutput('ratio@32')],
      ['per-device', 'per-cpu'],
      [1, 8],
    );
    expect(runs).toEqual([
      { model: 'per-device', vms: 1 },
      { model: 'per-device', vms: 8 },
      { model: 'per-device', vms: 32 },
      { model: 'per-cpu', vms: 1 },
      { model: 'per-cpu', vms: 8 },
      { model: 'per-cpu', vms: 32 },
    ]);
  });

  it('a crossover outside the VM counts is censored to the nearest end', () => {
    const o = parseOutput('crossover');
    const at = (tp: Record<string, number[]>) => (m: string, v: number) =>
      fakeMetrics(tp[m][v === 1 ? 0 : 1]);
    const models = ['per-device', 'per-cpu'] as const;
    expect(outputValue(o, [...models], [1, 4], at({ 'per-device': [10, 10], 'per-cpu': [5, 15] }))).toEqual({
      value: 2.5,
    });
    expect(outputValue(o, [...models], [1, 4], at({ 'per-device': [10, 10], 'per-cpu': [11, 15] }))).toEqual({
      value: 1,
      censored: 'ahead',
    });
    expect(outputValue(o, [...models], [1, 4], at({ 'per-device': [10, 10], 'per-cpu': [5, 6] }))).toEqual({
      value: 4,
      censored: 'never',
    });
  });
});

describe('a study', () => {
  it('grid: every sample runs each needed (model, VMs) with the same seeds, and the sampled values', () => {
    const s = spec();
    const points = studyPoints(s);
    const grid = studyGrid(s, points);
    expect(grid).toHaveLength(points.length * 2 * 2);
    expect(grid.slice(0, 4).map((g) => [g.model, g.vms, g.scenario.seed])).toEqual([
      ['per-device', 4, 1],
      ['per-device', 4, 2],
      ['per-cpu', 4, 1],
      ['per-cpu', 4, 2],
    ]);
    const v = grid[0].scenario.profile.costs.cgroupAttachNs;
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(3000);
  });

  it('analysis: only the parameter the output depends on gets an effect; seed noise is measured', () => {
    for (const method of ['morris', 'sobol'] as const) {
      const s = spec({ method });
      const points = studyPoints(s);
      const grid = studyGrid(s, points);
      // per-cpu throughput falls with cgroupAttachNs; ctxSwitchNs does nothing; seed 2 is 1 % higher.
      const r = analyseStudy(s, points, (i) => {
        const g = grid[i].scenario;
        const noise = g.seed === 2 ? 1.01 : 1;
        return fakeMetrics(
          g.model === 'per-cpu' ? (1000 - g.profile.costs.cgroupAttachNs / 10) * noise : 1000 * noise,
        );
      });
      const [a] = r.analyses;
      // Seed 2 scales both models alike, so the ratio is the same for both seeds: zero up to rounding.
      expect(a.noise?.seedSd).toBeCloseTo(0, 12);
      if (method === 'morris') {
        expect(a.morris?.[0].path).toBe('profile.costs.cgroupAttachNs');
        expect(a.morris?.[0].mu).toBeCloseTo(-0.3, 6); // the whole range, 0..3000 ns, costs 300 of 1000
        expect(a.morris?.[1].muStar).toBeCloseTo(0, 9);
      } else {
        expect(a.sobol?.[0].path).toBe('profile.costs.cgroupAttachNs');
        expect(a.sobol?.[0].total).toBeGreaterThan(0.9);
        expect(Math.abs(a.sobol?.[1].total ?? 1)).toBeLessThan(1e-9);
      }
    }
  });
});
