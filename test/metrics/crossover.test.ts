import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartSpecs } from '../../src/charts/spec.ts';
import { crossoverCsv, crossoverLines } from '../../src/cli/format.ts';
import {
  type CrossoverPoint,
  crossings,
  crossoverStatement,
  seedSummary,
} from '../../src/metrics/crossover.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { type SweepPoint, seedCrossovers, sweepCrossover } from '../../src/sweep/sweep.ts';

const pts = (rows: [number, number, number][]): CrossoverPoint[] =>
  rows.map(([vms, a, b]) => ({ vms, a, b }));
/** Points with a CI of ± `half` around each mean. */
const withCi = (rows: [number, number, number][], half: number): CrossoverPoint[] =>
  rows.map(([vms, a, b]) => ({
    vms,
    a,
    b,
    aCi: { low: a - half, high: a + half },
    bCi: { low: b - half, high: b + half },
  }));

describe('crossoverStatement', () => {
  it('a clean crossing: b overtakes from the first count it leads at, at the interpolated crossing', () => {
    // diff b-a: -2 at 4, +3 at 8 -> zero at 4 + 4 * 2/5 = 5.6
    const st = crossoverStatement(
      pts([
        [1, 10, 5],
        [4, 12, 10],
        [8, 13, 16],
        [12, 13, 18],
      ]),
    );
    expect(st.kind).toBe('overtakes');
    expect(st.leader).toBe('b');
    expect(st.from).toBe(8);
    expect(st.at).toBeCloseTo(5.6, 10);
    expect(st.crossings).toHaveLength(1);
    expect(st.text).toBe(
      'per-cpu overtakes per-device from 8 VMs (the means cross at ≈ 5.6) (tie tolerance 1 %)',
    );
  });

  it('a tie at saturation: level within the tolerance, no crossing, whatever the sign of tiny differences', () => {
    // Both at line rate, differing by < 0.1 % in alternating directions.
    const st = crossoverStatement(
      pts([
        [1, 9.41, 9.4],
        [2, 9.4, 9.405],
        [4, 9.41, 9.402],
        [8, 9.399, 9.41],
      ]),
    );
    expect(st.kind).toBe('level');
    expect(st.crossings).toEqual([]);
    expect(st.text).toBe('level within the noise from 1 to 8 VMs (tie tolerance 1 %)');
    // With no tolerance the same curves cross three times.
    expect(
      crossoverStatement(
        pts([
          [1, 9.41, 9.4],
          [2, 9.4, 9.405],
          [4, 9.41, 9.402],
          [8, 9.399, 9.41],
        ]),
        { tolerance: 0 },
      ).crossings,
    ).toHaveLength(3);
  });

  it('a tie at the end after a lead: the leader is ahead, then level; no overtaking', () => {
    const st = crossoverStatement(
      pts([
        [1, 10, 5],
        [2, 10, 6],
        [4, 10, 10.01],
        [8, 10, 9.99],
      ]),
    );
    expect(st.kind).toBe('ahead');
    expect(st.leader).toBe('a');
    expect(st.text).toBe(
      'per-device ahead at 1–2 VMs; level within the noise at 4–8 VMs (tie tolerance 1 %)',
    );
  });

  it('a crossing and a re-crossing: both crossings, and no "overtakes"', () => {
    const st = crossoverStatement(
      pts([
        [1, 10, 12],
        [2, 10, 8],
        [4, 10, 8],
        [6, 10, 14],
      ]),
    );
    expect(st.kind).toBe('crosses');
    expect(st.leader).toBe('b');
    expect(st.crossings[0]).toBeCloseTo(1.5, 10);
    expect(st.crossings[1]).toBeCloseTo(4 + 2 / 3, 10);
    expect(st.text).toBe(
      'the curves cross at ≈ 1.5 and again at ≈ 4.7 VMs: per-cpu ahead at 1 VM; per-device ahead at 2–4 VMs; per-cpu ahead at 6 VMs (tie tolerance 1 %)',
    );
  });

  it('a crossing followed by a level end is a crossing, not an overtaking', () => {
    const st = crossoverStatement(
      pts([
        [1, 10, 8],
        [2, 10, 12],
        [4, 10, 10],
      ]),
    );
    expect(st.kind).toBe('crosses');
    expect(st.leader).toBeUndefined();
    expect(st.crossings).toEqual([1.5]);
  });

  it('no crossing and a model ahead everywhere', () => {
    const st = crossoverStatement(
      pts([
        [1, 10, 5],
        [2, 10, 6],
        [4, 10, 9],
      ]),
    );
    expect(st).toMatchObject({
      kind: 'ahead',
      leader: 'a',
      crossings: [],
      runs: [{ order: 'a', from: 1, to: 4 }],
    });
    expect(st.text).toBe('per-device ahead everywhere (1–4 VMs) (tie tolerance 1 %)');
    const b = crossoverStatement(pts([[1, 1, 2]]), { names: { a: 'A', b: 'B' } });
    expect(b.text).toBe('B ahead everywhere (1 VM) (tie tolerance 1 %)');
  });

  it('missing points: non-finite values and counts with one model are left out, the rest is sorted', () => {
    const st = crossoverStatement(
      pts([
        [8, 13, 16],
        [1, 10, 5],
        [6, Number.NaN, 1],
        [4, 12, 10],
      ]),
    );
    expect(st.kind).toBe('overtakes');
    expect(st.at).toBeCloseTo(5.6, 10);
    expect(st.runs.map((r) => r.from)).toEqual([1, 8]);
    expect(crossoverStatement([])).toMatchObject({ kind: 'none', crossings: [], runs: [] });
    expect(crossoverStatement([]).text).toMatch(/not enough points/);
  });

  it('wide intervals: overlapping CIs make a count level even when the means differ', () => {
    const rows: [number, number, number][] = [
      [1, 10, 5],
      [4, 10, 9.5],
      [8, 10, 10.5],
      [12, 10, 15],
    ];
    const narrow = crossoverStatement(withCi(rows, 0.1));
    expect(narrow.kind).toBe('overtakes');
    expect(narrow.from).toBe(8);
    const wide = crossoverStatement(withCi(rows, 2));
    // The means still cross (at 6 VMs), but only 1 and 12 VMs are apart: per-cpu ahead from 12, not 8.
    expect(wide.crossings).toEqual([6]);
    expect(wide).toMatchObject({ kind: 'overtakes', from: 12, at: 6 });
    expect(wide.text).toBe(
      'per-cpu overtakes per-device from 12 VMs (the means cross at ≈ 6.0); level within the noise at 4–8 VMs (tie tolerance 1 % or overlapping 95 % CIs)',
    );
    const huge = crossoverStatement(withCi(rows, 10));
    expect(huge.kind).toBe('level');
  });

  it('a crossing within the noise only: one side ahead, the crossing named as within the noise', () => {
    const st = crossoverStatement(
      withCi(
        [
          [1, 10, 9],
          [2, 10, 12],
        ],
        0.8,
      ),
    );
    expect(st.kind).toBe('ahead');
    expect(st.text).toBe(
      'level within the noise at 1 VM; per-cpu ahead at 2 VMs; the means cross at ≈ 1.3 within the noise (tie tolerance 1 % or overlapping 95 % CIs)',
    );
  });

  it('states the tolerance it used', () => {
    const rows = pts([
      [1, 100, 97],
      [2, 100, 104],
    ]);
    expect(crossoverStatement(rows).kind).toBe('overtakes');
    const loose = crossoverStatement(rows, { tolerance: 0.05 });
    expect(loose).toMatchObject({ kind: 'level', tolerance: 0.05 });
    expect(loose.text).toContain('tie tolerance 5 %');
  });

  // Random curves on a grid, with or without CIs.
  const curves = fc
    .array(
      fc.record({
        a: fc.double({ min: 1, max: 100, noNaN: true }),
        b: fc.double({ min: 1, max: 100, noNaN: true }),
        half: fc.double({ min: 0, max: 5, noNaN: true }),
      }),
      { minLength: 1, maxLength: 10 },
    )
    .map((rows) =>
      rows.map((r, i) => ({
        vms: 2 * i + 1,
        a: r.a,
        b: r.b,
        aCi: { low: r.a - r.half, high: r.a + r.half },
        bCi: { low: r.b - r.half, high: r.b + r.half },
      })),
    );

  it('property: "overtakes" only when the leader is ahead, beyond the tolerance and CIs apart, to the end', () => {
    fc.assert(
      fc.property(curves, fc.double({ min: 0, max: 0.2, noNaN: true }), (ps, tolerance) => {
        const st = crossoverStatement(ps, { tolerance });
        if (st.kind !== 'overtakes') return;
        const lead = (p: CrossoverPoint) => (st.leader === 'b' ? p.b : p.a);
        const other = (p: CrossoverPoint) => (st.leader === 'b' ? p.a : p.b);
        const ci = (p: CrossoverPoint, lead: boolean) => ((st.leader === 'b') === lead ? p.bCi : p.aCi);
        for (const p of ps.filter((q) => q.vms >= (st.from as number))) {
          expect(lead(p) - other(p)).toBeGreaterThan(tolerance * lead(p));
          expect(ci(p, true)?.low).toBeGreaterThan(ci(p, false)?.high as number);
        }
        // The other side was ahead somewhere before, and the means cross exactly once.
        expect(st.runs.some((r) => r.order !== 'level' && r.order !== st.leader)).toBe(true);
        expect(st.crossings).toHaveLength(1);
      }),
    );
  });

  it('property: each crossing lies between two counts where the sides are ordered oppositely', () => {
    fc.assert(
      fc.property(curves, (ps) => {
        const xs = crossings(ps);
        const signs = ps
          .filter((p) => Math.abs(p.b - p.a) > 0.01 * Math.max(p.a, p.b))
          .map((p) => ({ vms: p.vms, s: Math.sign(p.b - p.a) }));
        const changes = signs.filter((x, i) => i > 0 && signs[i - 1].s !== x.s);
        expect(xs).toHaveLength(changes.length);
        changes.forEach((c, i) => {
          const before = signs[signs.indexOf(c) - 1];
          expect(xs[i]).toBeGreaterThanOrEqual(before.vms);
          expect(xs[i]).toBeLessThanOrEqual(c.vms);
        });
        // "ahead" means the other side is never ahead anywhere.
        const st = crossoverStatement(ps);
        if (st.kind === 'ahead')
          expect(st.runs.every((r) => r.order === 'level' || r.order === st.leader)).toBe(true);
      }),
    );
  });
});

describe('crossings per seed', () => {
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
    expect(seedCrossovers(points, 'throughput')?.crossings).toEqual([[6], []]);
    expect(seedCrossovers(points, 'efficiency')?.crossings).toEqual([[], []]);
    expect(sweepCrossover(points).TCP_RR.bySeed?.throughput).toEqual({
      crossings: [[6], []],
      text: 'per seed: 1 of 2 seeds cross (last crossing 6.0 VMs)',
    });
  });

  it('is absent when only one of the two models ran', () => {
    const devices = points.filter((p) => p.model === 'per-device');
    expect(seedCrossovers(devices, 'throughput')).toBeUndefined();
    expect(sweepCrossover(devices).TCP_RR.bySeed).toBeUndefined();
    expect(sweepCrossover(devices).TCP_RR.throughput.kind).toBe('none');
  });

  it('is absent without replications', () => {
    const single = points.map(({ bySeed: _, reps: __, ...p }) => p as SweepPoint);
    expect(seedCrossovers(single, 'throughput')).toBeUndefined();
    expect(sweepCrossover(single).TCP_RR.bySeed).toBeUndefined();
  });

  it('is summarized with how many seeds cross at all, a range, a median and re-crossings', () => {
    expect(seedSummary([[7.64], [12.04], [7.81]])).toBe(
      'per seed: 3 of 3 seeds cross (last crossing 7.6–12.0 VMs, median 7.8)',
    );
    expect(seedSummary([[6], []])).toBe('per seed: 1 of 2 seeds cross (last crossing 6.0 VMs)');
    expect(seedSummary([[], []])).toBe('per seed: none of 2 seeds cross');
    expect(seedSummary([[1.5, 4.2], [5], []])).toBe(
      'per seed: 2 of 3 seeds cross (last crossing 4.2–5.0 VMs, median 4.6; 1 cross more than once)',
    );
  });
});

describe('one statement everywhere', () => {
  const point = (model: ModelName, vms: number, tp: number) =>
    ({
      model,
      vms,
      workload: 'TCP_RR',
      scenario: { workload: { kind: 'TCP_RR', instances: 1 }, profile: { name: 'x' }, durationS: 1, seed: 1 },
      metrics: { throughput: { value: tp, unit: 'transactions/s' }, efficiency: { value: tp, unit: 'x' } },
    }) as unknown as SweepPoint;
  const points = [
    point('per-device', 1, 10),
    point('per-cpu', 1, 8),
    point('per-device', 4, 10),
    point('per-cpu', 4, 14),
  ];

  it('the table, the crossover CSV and the charts carry the text of sweepCrossover', () => {
    const { text } = sweepCrossover(points, { tolerance: 0.02 }).TCP_RR.throughput;
    expect(text).toContain('tie tolerance 2 %');
    expect(crossoverLines(points, { tolerance: 0.02 })[0]).toBe(`crossover (throughput): ${text}`);
    expect(crossoverCsv(points, { tolerance: 0.02 })).toContain(text);
    expect(JSON.stringify(chartSpecs(points, { tolerance: 0.02 })[0].spec)).toContain(text.split('; ')[0]);
  });
});
