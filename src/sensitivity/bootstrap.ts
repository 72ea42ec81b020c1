import { streamFor } from '../kernel/random.ts';

/** A two-sided interval. */
export type Interval = [lo: number, hi: number];

/** The p-quantile (0..1) of sorted values, linearly interpolated (Hyndman–Fan type 7, as R and NumPy). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Percentile bootstrap (Efron 1979): resample `n` units with replacement `reps` times, compute each
 * statistic on every resample, and return each statistic's central `level` interval. Units are indexes
 * 0..n-1 (trajectories for Morris, base rows for Saltelli), so a resample keeps what belongs together.
 * Deterministic from `seed`.
 */
export function bootstrapIntervals(
  n: number,
  statistics: (indexes: Uint32Array) => number[],
  { reps, seed, level = 0.95 }: { reps: number; seed: number; level?: number },
): Interval[] {
  const rng = streamFor(seed, 'sensitivity/bootstrap');
  const draws: number[][] = [];
  const idx = new Uint32Array(n);
  for (let b = 0; b < reps; b++) {
    for (let j = 0; j < n; j++) idx[j] = rng.int(n);
    statistics(idx).forEach((v, i) => {
      draws[i] ??= [];
      draws[i].push(v);
    });
  }
  const tail = (1 - level) / 2;
  return draws.map((d) => {
    const finite = d.filter(Number.isFinite).sort((a, b) => a - b);
    return [quantileSorted(finite, tail), quantileSorted(finite, 1 - tail)];
  });
}
