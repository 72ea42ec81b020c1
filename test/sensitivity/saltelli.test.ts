import { describe, expect, it } from 'vitest';
import { latinHypercube } from '../../src/sensitivity/latinHypercube.ts';
import {
  lockedColumns,
  saltelliDesign,
  saltelliProblem,
  sobolIndices,
} from '../../src/sensitivity/saltelli.ts';
import { gFunction, gIndices, ishigami, ishigamiIndices } from './functions.ts';

describe('Saltelli design', () => {
  it('AB_i is A with column i from B', () => {
    const d = saltelliDesign(3, 8);
    expect(d.points).toHaveLength(8 * 5);
    const a = d.points.slice(0, 8);
    const b = d.points.slice(8, 16);
    for (let i = 0; i < 3; i++) {
      d.points.slice((2 + i) * 8, (3 + i) * 8).forEach((row, j) => {
        row.forEach((x, c) => {
          expect(x).toBe(c === i ? b[j][c] : a[j][c]);
        });
      });
    }
  });
});

describe('Sobol indices (Saltelli 2010 first order, Jansen total)', () => {
  it('an additive function: S_i = ST_i = c_i² / Σ c²', () => {
    const c = [1, 2, 3];
    const d = saltelliDesign(3, 1024);
    const r = sobolIndices(
      d,
      d.points.map((p) => p.reduce((s, x, i) => s + c[i] * x, 0)),
      { reps: 100 },
    );
    r.indices.forEach((x, i) => {
      expect(x.first).toBeCloseTo(c[i] ** 2 / 14, 2);
      expect(x.total).toBeCloseTo(c[i] ** 2 / 14, 2);
    });
  });

  // N = 4096 base rows (20,480 runs): observed errors are below 0.005; 0.03 leaves room for the
  // estimator's variance without letting a wrong formula through (the indices differ by > 0.1).
  it('Ishigami (a = 7, b = 0.1), N = 4096: within 0.03 of the analytic indices, which the 95 % intervals hold', () => {
    const d = saltelliDesign(3, 4096);
    const r = sobolIndices(
      d,
      d.points.map((p) => ishigami(p)),
      { reps: 300 },
    );
    const truth = ishigamiIndices();
    r.indices.forEach((x, i) => {
      expect(Math.abs(x.first - truth.first[i]), `S${i + 1}`).toBeLessThan(0.03);
      expect(Math.abs(x.total - truth.total[i]), `ST${i + 1}`).toBeLessThan(0.03);
      expect(x.firstCi[0] <= truth.first[i] && truth.first[i] <= x.firstCi[1], `S${i + 1} CI`).toBe(true);
      expect(x.totalCi[0] <= truth.total[i] && truth.total[i] <= x.totalCi[1], `ST${i + 1} CI`).toBe(true);
    });
  });

  it('g-function (a = 0, 1, 4.5, 9, 99, 99), N = 1024: within 0.02 of the analytic indices', () => {
    const a = [0, 1, 4.5, 9, 99, 99];
    const d = saltelliDesign(6, 1024);
    const r = sobolIndices(
      d,
      d.points.map((p) => gFunction(p, a)),
      { reps: 100 },
    );
    const truth = gIndices(a);
    r.indices.forEach((x, i) => {
      expect(Math.abs(x.first - truth.first[i]), `S${i + 1}`).toBeLessThan(0.02);
      expect(Math.abs(x.total - truth.total[i]), `ST${i + 1}`).toBeLessThan(0.02);
    });
  });

  it('is deterministic: the same design, outputs and seed give the same intervals', () => {
    const d = saltelliDesign(3, 64);
    const y = d.points.map((p) => ishigami(p));
    expect(sobolIndices(d, y, { reps: 50, seed: 4 })).toEqual(sobolIndices(d, y, { reps: 50, seed: 4 }));
  });
});

describe('Saltelli designs that would alias their parameters', () => {
  it('refuses N too small for k (locked columns), naming the smallest sound N; accepts it', () => {
    const p = saltelliProblem(51, 8, ['a'].concat(Array.from({ length: 50 }, (_, i) => `p${i}`)));
    expect(p).toMatch(
      /^N = 8 is too small for 51 parameters: .* correlate 1\.00\), .* the smallest N that does not is 256 \(13,568 samples\)/,
    );
    expect(saltelliProblem(51, 256)).toBeNull();
    expect(saltelliProblem(3, 16)).toMatch(/smallest N that does not is 32/);
    expect(saltelliProblem(3, 32)).toBeNull();
  });

  it('the check: two equal columns or a column and its mirror are locked, independent draws are not', () => {
    const x = [0.1, 0.4, 0.7, 0.2, 0.9, 0.5];
    expect(lockedColumns([x, [...x]])?.corr).toBeCloseTo(1, 12);
    expect(lockedColumns([x, x.map((v) => 1 - v)])?.corr).toBeCloseTo(1, 12);
    const h = latinHypercube(256, 40, 3);
    expect(lockedColumns(Array.from({ length: 40 }, (_, i) => h.map((r) => r[i])))).toBeNull();
  });
});
