import { describe, expect, it } from 'vitest';
import { latinHypercube } from '../../src/sensitivity/latinHypercube.ts';

describe('Latin hypercube', () => {
  it('each coordinate puts exactly one of the n points in each of its n strata', () => {
    for (const n of [1, 7, 24, 100]) {
      const p = latinHypercube(n, 51, 1);
      expect(p).toHaveLength(n);
      for (let c = 0; c < 51; c++) {
        const strata = new Set(p.map((r) => Math.floor(r[c] * n)));
        expect(strata.size, `n ${n}, coordinate ${c}`).toBe(n);
        for (const r of p) expect(r[c] >= 0 && r[c] < 1).toBe(true);
      }
    }
  });

  it('is deterministic from its seed, and another seed pairs the strata otherwise', () => {
    expect(latinHypercube(24, 5, 1)).toEqual(latinHypercube(24, 5, 1));
    expect(latinHypercube(24, 5, 2)).not.toEqual(latinHypercube(24, 5, 1));
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => latinHypercube(0, 3, 1)).toThrow(/positive integers/);
    expect(() => latinHypercube(4, 1.5, 1)).toThrow(/positive integers/);
  });
});
