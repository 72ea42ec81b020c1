import { describe, expect, it } from 'vitest';
import { crossover, crossoverStatus, seedSpread } from '../../src/metrics/crossover.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { type SweepPoint, seedCrossovers, sweepCrossover } from '../../src/sweep/sweep.ts';

const pts = (rows: [number, number, number][]) => rows.map(([vms, a, b]) => ({ vms, a, b }));

describe('crossover', () => {
  it('interpolates linearly between the samples around the crossing', () => {
    // diff b-a: -2 at 4, +3 at 8 -> zero at 4 + 4 * 2/5 = 5.6
    expect(
      crossover(
        pts([
          [1, 10, 5],
          [4, 12, 10],
          [8, 13, 16],
        ]),
      ),
    ).toBeCloseTo(5.6, 10);
  });

  it('returns the sample itself when b equals a there and overtakes next', () => {
    expect(
      crossover(
        pts([
          [2, 5, 5],
          [4, 5, 6],
        ]),
      ),
    ).toBe(2);
  });

  it('is null when b never overtakes', () => {
    expect(
      crossover(
        pts([
          [1, 10, 5],
          [2, 10, 10],
          [4, 10, 9],
        ]),
      ),
    ).toBeNull();
    expect(crossover([])).toBeNull();
    expect(crossover(pts([[1, 1, 2]]))).toBeNull();
  });

  it('is null when b is ahead from the start (no crossing to locate)', () => {
    expect(
      crossover(
        pts([
          [1, 1, 2],
          [2, 1, 3],
        ]),
      ),
    ).toBeNull();
    expect(
      crossoverStatus(
        pts([
          [1, 1, 2],
          [2, 1, 3],
        ]),
      ),
    ).toEqual({ kind: 'ahead-from-start', from: 1 });
  });

  it('finds a later crossing when b starts ahead, falls behind, then overtakes', () => {
    expect(
      crossover(
        pts([
          [1, 1, 2],
          [2, 3, 2],
          [4, 3, 5],
        ]),
      ),
    ).toBeCloseTo(2 + 2 * (1 / 3), 10);
  });

  it('sorts by VM count and ignores non-finite samples', () => {
    expect(
      crossover(
        pts([
          [8, 13, 16],
          [1, 10, 5],
          [4, 12, 10],
          [6, Number.NaN, 1],
        ]),
      ),
    ).toBeCloseTo(5.6, 10);
  });

  it('crossoverStatus explains a null result', () => {
    expect(
      crossoverStatus(
        pts([
          [1, 2, 1],
          [4, 3, 5],
        ]),
      ),
    ).toEqual({ kind: 'crosses', at: 2 });
    expect(
      crossoverStatus(
        pts([
          [1, 2, 1],
          [4, 3, 2],
        ]),
      ),
    ).toEqual({ kind: 'never', upTo: 4 });
    expect(crossoverStatus([])).toEqual({ kind: 'never', upTo: null });
  });
});

describe('crossover per seed', () => {
  // Two seeds: seed 0 crosses between 4 and 8 VMs, seed 1 never; the means cross too.
  const point = (model: ModelName, vms: number, tp: [number, number]) =>
    ({
      model,
      vms,
      workload: 'TCP_RR',
      reps: 2,
      metrics: { throughput: { value: (tp[0] + tp[1]) / 2 }, efficiency: { value: 1 } },
      bySeed: { throughput: tp, efficiency: [1, 1] },
    }) as unknown as SweepPoint;
  const points = [
    point('per-device', 4, [10, 10]),
    point('per-cpu', 4, [8, 8]),
    point('per-device', 8, [10, 10]),
    point('per-cpu', 8, [12, 9]),
  ];

  it('compares seed k of one model with seed k of the other', () => {
    // seed 0: diff -2 at 4, +2 at 8 -> 6; seed 1: -2, -1 -> none.
    expect(seedCrossovers(points, 'throughput')).toEqual([6, null]);
    expect(seedCrossovers(points, 'efficiency')).toEqual([null, null]);
    expect(sweepCrossover(points).TCP_RR.bySeed).toEqual({ throughput: [6, null], efficiency: [null, null] });
  });

  it('is absent when only one of the two models ran', () => {
    const devices = points.filter((p) => p.model === 'per-device');
    expect(seedCrossovers(devices, 'throughput')).toBeUndefined();
    expect(sweepCrossover(devices).TCP_RR.bySeed).toBeUndefined();
  });

  it('is absent without replications', () => {
    const single = points.map(({ bySeed: _, reps: __, ...p }) => p as SweepPoint);
    expect(seedCrossovers(single, 'throughput')).toBeUndefined();
    expect(sweepCrossover(single).TCP_RR.bySeed).toBeUndefined();
  });

  it('is described as a range, a median and how many seeds cross', () => {
    expect(seedSpread(undefined)).toBe('');
    expect(seedSpread([7.64, 12.04, 7.81])).toBe('; per seed 7.6–12.0 (median 7.8)');
    expect(seedSpread([6, null])).toBe('; per seed 6.0 (median 6.0, 1 of 2 seeds cross)');
    expect(seedSpread([null, null])).toBe('; no crossing in any of 2 seeds');
  });
});
