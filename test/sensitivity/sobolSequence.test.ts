import { describe, expect, it } from 'vitest';
import { SOBOL_MAX_DIMS, sobolPoints } from '../../src/sensitivity/sobolSequence.ts';

describe('Sobol sequence', () => {
  it('matches the reference generator (scipy.stats.qmc.Sobol(d=40, scramble=False), same Joe–Kuo table)', () => {
    const p = sobolPoints(1024, 40);
    expect(p.slice(0, 8).map((r) => r.slice(0, 6))).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25, 0.25, 0.75, 0.75],
      [0.25, 0.75, 0.75, 0.75, 0.25, 0.25],
      [0.375, 0.375, 0.625, 0.875, 0.375, 0.125],
      [0.875, 0.875, 0.125, 0.375, 0.875, 0.625],
      [0.625, 0.125, 0.875, 0.625, 0.625, 0.875],
      [0.125, 0.625, 0.375, 0.125, 0.125, 0.375],
    ]);
    expect([0, 1, 9, 19, 39].map((d) => p[1000][d])).toEqual([
      0.2197265625, 0.0966796875, 0.0693359375, 0.7255859375, 0.4794921875,
    ]);
  });

  it('matches the reference generator past 64 dimensions too (scipy.stats.qmc.Sobol(d=128, scramble=False))', () => {
    const p = sobolPoints(1024, 128);
    expect([64, 65, 80, 100, 127].map((d) => p[1000][d])).toEqual([
      0.1298828125, 0.4970703125, 0.1083984375, 0.7685546875, 0.5439453125,
    ]);
    expect([70, 90, 110, 126].map((d) => p[777][d])).toEqual([
      0.8291015625, 0.1943359375, 0.0029296875, 0.0947265625,
    ]);
  });

  it('each dimension: the first 2^m points put exactly one point in every interval of length 2^-m', () => {
    const p = sobolPoints(1024, SOBOL_MAX_DIMS);
    for (let d = 0; d < SOBOL_MAX_DIMS; d++) {
      for (const m of [1, 4, 10]) {
        const seen = new Set(p.slice(0, 2 ** m).map((r) => Math.floor(r[d] * 2 ** m)));
        expect(seen.size, `dim ${d + 1}, m ${m}`).toBe(2 ** m);
      }
    }
  });

  it('the first two dimensions form a (0, m, 2)-net: one point in every dyadic box of area 2^-m', () => {
    const m = 8;
    const p = sobolPoints(2 ** m, 2);
    for (let bits = 0; bits <= m; bits++) {
      const boxes = new Set(
        p.map(([x, y]) => `${Math.floor(x * 2 ** bits)},${Math.floor(y * 2 ** (m - bits))}`),
      );
      expect(boxes.size).toBe(2 ** m);
    }
  });

  it('skip continues the same sequence', () => {
    expect(sobolPoints(5, 7, 3)).toEqual(sobolPoints(8, 7).slice(3));
  });

  it('refuses dimensions the table does not have', () => {
    expect(() => sobolPoints(4, SOBOL_MAX_DIMS + 1)).toThrow(/dims must be an integer 1\.\.128/);
    expect(() => sobolPoints(4, 0)).toThrow(/dims/);
  });
});
