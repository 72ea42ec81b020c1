import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { rankAgreement, ranks, spearman } from '../../src/sensitivity/agreement.ts';
import { morrisDesign, morrisIndices } from '../../src/sensitivity/morris.ts';
import { saltelliDesign, sobolIndices } from '../../src/sensitivity/saltelli.ts';
import { gFunction } from './functions.ts';

describe('ranks and Spearman ρ', () => {
  it('ranks the largest first; ties share their mean rank', () => {
    expect(ranks([3, 1, 2])).toEqual([1, 3, 2]);
    expect(ranks([5, 7, 5, 1])).toEqual([2.5, 1, 2.5, 4]);
  });

  it('the same order is 1, the reverse -1, a constant list NaN; the classic hand example', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    // Without ties ρ = 1 − 6 Σ d² / (n (n² − 1)): ranks 1..5 against 2,1,4,3,5 give Σ d² = 4, ρ = 0.8.
    expect(spearman([5, 4, 3, 2, 1], [4, 5, 2, 3, 1])).toBeCloseTo(0.8, 12);
  });

  test.prop([fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 20 })])(
    'is invariant under any increasing transform of either list',
    (xs) => {
      const ys = xs.map((x, i) => ((i * 7919) % 13) + x);
      const r = spearman(xs, ys);
      const t = spearman(
        xs.map((x) => x ** 3 + 5),
        ys.map((y) => 3 * y + 1),
      );
      if (Number.isNaN(r)) expect(t).toBeNaN();
      else expect(t).toBeCloseTo(r, 9);
    },
  );
});

describe('rankAgreement', () => {
  it('pairs the parameters by path, ignores those only one study has, counts the shared leaders', () => {
    const g = rankAgreement(
      [
        { path: 'a', value: 3 },
        { path: 'b', value: 2 },
        { path: 'c', value: 1 },
        { path: 'only-a', value: 9 },
      ],
      [
        { path: 'c', value: 0.5 },
        { path: 'b', value: 0.3 },
        { path: 'a', value: 0.1 },
      ],
      2,
    );
    expect(g.rows.map((r) => [r.path, r.rankA, r.rankB])).toEqual([
      ['a', 1, 3],
      ['b', 2, 2],
      ['c', 3, 1],
    ]);
    expect(g.spearman).toBeCloseTo(-1, 12);
    expect(g.topShared).toBe(1);
    // Inert in both (0): left out of the moving ρ.
    const h = rankAgreement(
      [
        { path: 'a', value: 2 },
        { path: 'b', value: 1 },
        { path: 'z', value: 0 },
        { path: 'y', value: 0 },
      ],
      [
        { path: 'a', value: 1 },
        { path: 'b', value: 2 },
        { path: 'z', value: 0 },
        { path: 'y', value: 0 },
      ],
    );
    expect(h.spearman).toBeGreaterThan(0);
    expect(h.moving).toBe(2);
    expect(h.spearmanMoving).toBeCloseTo(-1, 12);
  });

  it("Morris's μ* and Sobol's ST rank the g-function's inputs alike (μ* is a proxy for ST)", () => {
    const a = [0, 0.5, 1, 3, 9, 30, 99];
    const k = a.length;
    const m = morrisDesign(k, 40, 5);
    const mu = morrisIndices(
      m,
      m.points.map((p) => gFunction(p, a)),
      { reps: 20 },
    );
    const s = saltelliDesign(k, 512);
    const st = sobolIndices(
      s,
      s.points.map((p) => gFunction(p, a)),
      { reps: 20 },
    );
    const g = rankAgreement(
      mu.map((x, i) => ({ path: `x${i}`, value: x.muStar })),
      st.indices.map((x, i) => ({ path: `x${i}`, value: x.total })),
    );
    expect(g.spearman).toBeGreaterThan(0.9);
    expect(g.topShared).toBe(3);
  });
});
