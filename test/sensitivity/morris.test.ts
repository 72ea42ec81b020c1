import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { elementaryEffects, morrisDesign, morrisIndices } from '../../src/sensitivity/morris.ts';
import { gFunction, ishigami } from './functions.ts';

describe('Morris design', () => {
  test.prop([
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 2, max: 8 }),
    fc.constantFrom(2, 4, 6, 8),
    fc.nat(),
  ])('each trajectory moves every parameter once by ±Δ, inside the unit cube', (k, r, levels, seed) => {
    const d = morrisDesign(k, r, seed, levels);
    expect(d.points).toHaveLength(r * (k + 1));
    for (const p of d.points) for (const x of p) expect(x >= -1e-12 && x <= 1 + 1e-12).toBe(true);
    d.steps.forEach((trajectory, t) => {
      expect(new Set(trajectory.map((s) => s.param)).size).toBe(k);
      trajectory.forEach((s, i) => {
        const before = d.points[t * (k + 1) + i];
        const after = d.points[t * (k + 1) + i + 1];
        after.forEach((x, j) => {
          expect(x - before[j]).toBeCloseTo(j === s.param ? s.delta : 0, 12);
        });
        expect(Math.abs(s.delta)).toBeCloseTo(levels / (2 * (levels - 1)), 12);
      });
    });
  });

  it('is a pure function of its seed', () => {
    expect(morrisDesign(5, 4, 7)).toEqual(morrisDesign(5, 4, 7));
    expect(morrisDesign(5, 4, 7).points).not.toEqual(morrisDesign(5, 4, 8).points);
  });
});

describe('Morris indices', () => {
  it('a linear function: every elementary effect is its coefficient, σ = 0', () => {
    const c = [3, -2, 0.5, 0];
    const d = morrisDesign(4, 6, 1);
    const out = d.points.map((p) => p.reduce((s, x, i) => s + c[i] * x, 0));
    for (const ee of elementaryEffects(d, out))
      ee.forEach((e, i) => {
        expect(e).toBeCloseTo(c[i], 10);
      });
    morrisIndices(d, out, { reps: 50 }).forEach((m, i) => {
      expect(m.mu).toBeCloseTo(c[i], 10);
      expect(m.muStar).toBeCloseTo(Math.abs(c[i]), 10);
      expect(m.sigma).toBeCloseTo(0, 10);
    });
  });

  it('g-function: μ* ranks inputs as their a_i do (smaller a, more important), r = 50', () => {
    const a = [0, 1, 4.5, 9, 99, 99];
    const d = morrisDesign(6, 50, 3);
    const m = morrisIndices(
      d,
      d.points.map((p) => gFunction(p, a)),
      { reps: 200 },
    );
    for (let i = 0; i < 4; i++) expect(m[i].muStar).toBeGreaterThan(m[i + 1].muStar);
    for (const x of m) expect(x.muStarCi[0] <= x.muStar && x.muStar <= x.muStarCi[1]).toBe(true);
  });

  it('Ishigami: x3 acts only through its interaction with x1, so its μ is near 0 and σ exceeds it', () => {
    const d = morrisDesign(3, 50, 1);
    const [, , m3] = morrisIndices(
      d,
      d.points.map((p) => ishigami(p)),
      { reps: 200 },
    );
    expect(m3.muStar).toBeGreaterThan(1);
    expect(m3.sigma).toBeGreaterThan(3 * Math.abs(m3.mu));
  });
});
