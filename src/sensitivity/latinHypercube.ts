/**
 * A Latin hypercube sample (M. D. McKay, R. J. Beckman, W. J. Conover, Technometrics 21, 1979): each of
 * the d coordinates' unit range is cut into n equal strata with one point drawn in each, and the strata
 * of different coordinates are paired by independent random permutations. Every range is covered as
 * evenly as n points allow, and no two coordinates move together beyond chance — unlike the first few
 * points of a Sobol' sequence in many dimensions, whose columns coincide or nearly (saltelli.ts).
 */
import { streamFor } from '../kernel/random.ts';

/** n points in [0, 1)^d, deterministic from `seed`. */
export function latinHypercube(n: number, d: number, seed: number): number[][] {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) {
    throw new RangeError(`latinHypercube: n and d must be positive integers, got ${n} and ${d}`);
  }
  const rng = streamFor(seed, 'sensitivity/latin-hypercube');
  const points = Array.from({ length: n }, () => new Array<number>(d));
  for (let c = 0; c < d; c++) {
    const strata = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [strata[i], strata[j]] = [strata[j], strata[i]];
    }
    strata.forEach((s, j) => {
      points[j][c] = (s + rng.next()) / n;
    });
  }
  return points;
}
