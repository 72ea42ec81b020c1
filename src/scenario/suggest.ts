/** "Did you mean": the closest of a set of names to a misspelt one (edit distance, case ignored). */

/** Levenshtein distance of `a` and `b`, case ignored. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/**
 * The name of `names` nearest to `given`, when it is near enough to be a slip (at most a third of its
 * length, at least one edit, away); undefined otherwise.
 */
export function closest(given: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const n of names) {
    const d = editDistance(given, n);
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  return bestD <= Math.max(1, Math.floor(given.length / 3)) ? best : undefined;
}

/** ` (did you mean 'x'?)`, or nothing. */
export function didYouMean(given: string, names: readonly string[]): string {
  const c = closest(given, names);
  return c === undefined ? '' : ` (did you mean '${c}'?)`;
}
