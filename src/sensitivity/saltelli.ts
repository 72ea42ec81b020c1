/**
 * Variance-based (Sobol') sensitivity indices from a Saltelli design: two independent N × k matrices A
 * and B from one 2k-dimensional Sobol' sequence, and for each parameter i the matrix AB_i (A with column
 * i taken from B): N (k + 2) runs. Estimators of A. Saltelli et al., "Variance based sensitivity analysis
 * of model output", Comput. Phys. Commun. 181 (2010), table 2: first order (b), its sum taken on outputs
 * centred on their mean, and Jansen's total effect (f). S_i is the share of the output's variance a
 * parameter explains alone; ST_i the share it has a hand in, interactions included; ST_i − S_i is its
 * interaction share.
 */
import { bootstrapIntervals, type Interval } from './bootstrap.ts';
import { SOBOL_MAX_DIMS, sobolPoints } from './sobolSequence.ts';

export interface SaltelliDesign {
  k: number;
  n: number;
  /** Rows of A, then B, then AB_1 .. AB_k: N (k + 2) points in [0, 1)^k. */
  points: number[][];
}

/** The Saltelli design for k parameters and N base rows (a power of two keeps the Sobol' net balanced). */
export function saltelliDesign(k: number, n: number, skip = 0): SaltelliDesign {
  if (!Number.isInteger(k) || k < 1 || 2 * k > SOBOL_MAX_DIMS) {
    throw new RangeError(`saltelliDesign: k must be an integer 1..${SOBOL_MAX_DIMS / 2}, got ${k}`);
  }
  if (!Number.isInteger(n) || n < 2)
    throw new RangeError(`saltelliDesign: n must be an integer >= 2, got ${n}`);
  const base = sobolPoints(n, 2 * k, skip);
  const a = base.map((p) => p.slice(0, k));
  const b = base.map((p) => p.slice(k));
  const points = [...a, ...b];
  for (let i = 0; i < k; i++) points.push(...a.map((row, j) => row.map((x, c) => (c === i ? b[j][i] : x))));
  return { k, n, points };
}

/** Two columns of a design correlated beyond this move together (sound designs here: at most 0.25). */
export const MAX_COLUMN_CORRELATION = 0.5;

/** The most correlated pair of columns (each an array of the points' values), if beyond the limit. */
export function lockedColumns(
  columns: readonly (readonly number[])[],
): { a: number; b: number; corr: number } | null {
  const centred = columns.map((c) => {
    const mean = c.reduce((s, x) => s + x, 0) / c.length;
    const d = c.map((x) => x - mean);
    return { d, norm: Math.sqrt(d.reduce((s, x) => s + x * x, 0)) };
  });
  let worst: { a: number; b: number; corr: number } | null = null;
  for (let a = 0; a < columns.length; a++) {
    for (let b = a + 1; b < columns.length; b++) {
      const x = centred[a];
      const y = centred[b];
      let sxy = 0;
      for (let j = 0; j < x.d.length; j++) sxy += x.d[j] * y.d[j];
      const corr = x.norm === 0 || y.norm === 0 ? 1 : Math.abs(sxy) / (x.norm * y.norm);
      if (corr > MAX_COLUMN_CORRELATION && (worst === null || corr > worst.corr)) worst = { a, b, corr };
    }
  }
  return worst;
}

/** The 2k columns of A and B: A's parameter i is column i, B's is column k + i. */
const designColumns = (d: SaltelliDesign) =>
  Array.from({ length: 2 * d.k }, (_, c) =>
    d.points.slice(c < d.k ? 0 : d.n, (c < d.k ? 0 : d.n) + d.n).map((p) => p[c % d.k]),
  );

/**
 * Why N base rows cannot estimate the indices of k parameters, or null. The first 2^m points of a
 * Sobol' dimension depend on its first m direction numbers only, so a small N gives many dimensions the
 * same or nearly the same column: 8 points have at most 8 distinct columns whatever the number of
 * dimensions (a 51-parameter design of N = 8 moves its parameters in 8 locked groups). Locked columns
 * alias the parameters' indices (a parameter whose A and B columns coincide gets exactly 0), so such a
 * design is refused, with the smallest N that is sound.
 */
export function saltelliProblem(k: number, n: number, names?: readonly string[]): string | null {
  const locked = lockedColumns(designColumns(saltelliDesign(k, n)));
  if (locked === null) return null;
  const name = (c: number) => `${names?.[c % k] ?? `parameter ${(c % k) + 1}`} of ${c < k ? 'A' : 'B'}`;
  let sound = n * 2;
  while (sound < 2 ** 20 && lockedColumns(designColumns(saltelliDesign(k, sound))) !== null) sound *= 2;
  return (
    `N = ${n} is too small for ${k} parameters: the Sobol' sequence's first ${n} points lock columns of the design together ` +
    `(${name(locked.a)} and ${name(locked.b)} correlate ${locked.corr.toFixed(2)}), which would alias their indices; ` +
    `the smallest N that does not is ${sound} (${(sound * (k + 2)).toLocaleString('en-US')} samples), or screen with Morris and give Sobol' the few that matter`
  );
}

export interface SobolIndex {
  first: number;
  total: number;
  firstCi: Interval;
  totalCi: Interval;
}

export interface SobolResult {
  indices: SobolIndex[];
  /** Variance of the output over A and B. */
  variance: number;
  mean: number;
}

function estimate(k: number, n: number, y: readonly number[], idx: ArrayLike<number>): number[] {
  const m = idx.length;
  let s = 0;
  let s2 = 0;
  for (let j = 0; j < m; j++) {
    const a = y[idx[j]];
    const b = y[n + idx[j]];
    s += a + b;
    s2 += a * a + b * b;
  }
  const mean = s / (2 * m);
  const v = s2 / (2 * m) - mean * mean;
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const off = (2 + i) * n;
    let first = 0;
    let total = 0;
    for (let j = 0; j < m; j++) {
      const fa = y[idx[j]];
      const fb = y[n + idx[j]];
      const fab = y[off + idx[j]];
      // Centred on the mean: the same expectation (f(AB_i) − f(A) has mean 0), far less variance when
      // the output's mean is large against its spread (a ratio near 1).
      first += (fb - mean) * (fab - fa);
      total += (fa - fab) ** 2;
    }
    out.push(first / m / v, total / (2 * m) / v);
  }
  return out;
}

/** First-order and total indices with percentile-bootstrap intervals over the N base rows. */
export function sobolIndices(
  design: SaltelliDesign,
  outputs: readonly number[],
  { reps = 1000, seed = 1 }: { reps?: number; seed?: number } = {},
): SobolResult {
  const { k, n } = design;
  if (outputs.length !== design.points.length) {
    throw new RangeError(`sobolIndices: ${outputs.length} outputs for ${design.points.length} points`);
  }
  const all = Array.from({ length: n }, (_, j) => j);
  const point = estimate(k, n, outputs, all);
  const cis = bootstrapIntervals(n, (idx) => estimate(k, n, outputs, idx), { reps, seed });
  const ab = outputs.slice(0, 2 * n);
  const mean = ab.reduce((s, y) => s + y, 0) / ab.length;
  const variance = ab.reduce((s, y) => s + (y - mean) ** 2, 0) / ab.length;
  return {
    indices: Array.from({ length: k }, (_, i) => ({
      first: point[2 * i],
      total: point[2 * i + 1],
      firstCi: cis[2 * i],
      totalCi: cis[2 * i + 1],
    })),
    variance,
    mean,
  };
}
