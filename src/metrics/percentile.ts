/** Nearest-rank percentile of an ascending array (p in [0, 100]). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Jain's fairness index: 1 when all equal, 1/n when one takes everything. */
export function jainIndex(xs: ArrayLike<number>): number {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    sq += xs[i] * xs[i];
  }
  return sq === 0 ? 1 : (sum * sum) / (xs.length * sq);
}
