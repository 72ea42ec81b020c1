/**
 * Morris elementary-effects screening (M. D. Morris, "Factorial sampling plans for preliminary
 * computational experiments", Technometrics 33, 1991), with μ* (the mean absolute effect) of Campolongo,
 * Cariboni and Saltelli (Environ. Model. Softw. 22, 2007). Parameters live in the unit cube; each of r
 * trajectories moves one parameter at a time by ±Δ on a p-level grid, so k + 1 runs give one elementary
 * effect per parameter. μ* ranks importance, σ flags non-linearity or interaction.
 */
import { streamFor } from '../kernel/random.ts';
import { bootstrapIntervals, type Interval } from './bootstrap.ts';

export interface MorrisDesign {
  k: number;
  r: number;
  levels: number;
  delta: number;
  /** r × (k + 1) points in [0, 1]^k, trajectory after trajectory. */
  points: number[][];
  /** For step s of trajectory t (point t(k+1)+s+1 minus the one before): the parameter moved and by how much. */
  steps: { param: number; delta: number }[][];
}

/** r random trajectories over k parameters on a `levels`-level grid (levels even), from `seed`. */
export function morrisDesign(k: number, r: number, seed: number, levels = 4): MorrisDesign {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`morrisDesign: k must be a positive integer, got ${k}`);
  if (!Number.isInteger(r) || r < 2)
    throw new RangeError(`morrisDesign: r must be an integer >= 2, got ${r}`);
  if (!Number.isInteger(levels) || levels < 2 || levels % 2 !== 0) {
    throw new RangeError(`morrisDesign: levels must be an even integer >= 2, got ${levels}`);
  }
  const rng = streamFor(seed, 'sensitivity/morris');
  // Morris's recommended Δ = p / (2(p − 1)): every level is then equally likely to be visited.
  const delta = levels / (2 * (levels - 1));
  const startLevels = Math.floor(levels / 2); // grid values x with x + Δ <= 1
  const points: number[][] = [];
  const steps: { param: number; delta: number }[][] = [];
  for (let t = 0; t < r; t++) {
    const x = Array.from({ length: k }, () => rng.int(startLevels) / (levels - 1));
    // A random sign per parameter: start at the top of its step and go down, or at the bottom and go up.
    const up = Array.from({ length: k }, () => rng.next() < 0.5);
    for (let i = 0; i < k; i++) if (!up[i]) x[i] += delta;
    // Fisher–Yates: the order in which parameters move.
    const order = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    points.push([...x]);
    const trajectory: { param: number; delta: number }[] = [];
    for (const i of order) {
      const d = up[i] ? delta : -delta;
      x[i] += d;
      points.push([...x]);
      trajectory.push({ param: i, delta: d });
    }
    steps.push(trajectory);
  }
  return { k, r, levels, delta, points, steps };
}

export interface MorrisIndex {
  /** Mean elementary effect: signed, so effects of both signs cancel. */
  mu: number;
  /** Mean absolute elementary effect: the importance ranking. */
  muStar: number;
  /** Standard deviation of the elementary effects: non-linearity or interaction with other parameters. */
  sigma: number;
  muStarCi: Interval;
  sigmaCi: Interval;
  /** The r elementary effects, in output units per whole plausible range. */
  effects: number[];
}

/** Elementary effects [trajectory][param] from the outputs at the design's points (in order). */
export function elementaryEffects(design: MorrisDesign, outputs: readonly number[]): number[][] {
  if (outputs.length !== design.points.length) {
    throw new RangeError(`elementaryEffects: ${outputs.length} outputs for ${design.points.length} points`);
  }
  return design.steps.map((trajectory, t) => {
    const base = t * (design.k + 1);
    const ee = new Array<number>(design.k);
    trajectory.forEach((step, s) => {
      ee[step.param] = (outputs[base + s + 1] - outputs[base + s]) / step.delta;
    });
    return ee;
  });
}

function stats(ee: readonly number[][], idx: ArrayLike<number>, param: number): [number, number, number] {
  let s = 0;
  let sAbs = 0;
  for (let j = 0; j < idx.length; j++) {
    const e = ee[idx[j]][param];
    s += e;
    sAbs += Math.abs(e);
  }
  const mu = s / idx.length;
  let v = 0;
  for (let j = 0; j < idx.length; j++) v += (ee[idx[j]][param] - mu) ** 2;
  return [mu, sAbs / idx.length, idx.length > 1 ? Math.sqrt(v / (idx.length - 1)) : 0];
}

/** μ, μ*, σ per parameter with percentile-bootstrap intervals over trajectories. */
export function morrisIndices(
  design: MorrisDesign,
  outputs: readonly number[],
  { reps = 1000, seed = 1 }: { reps?: number; seed?: number } = {},
): MorrisIndex[] {
  const ee = elementaryEffects(design, outputs);
  const all = Array.from({ length: design.r }, (_, t) => t);
  const cis = bootstrapIntervals(
    design.r,
    (idx) => Array.from({ length: design.k }, (_, i) => stats(ee, idx, i)).flatMap(([, ms, sd]) => [ms, sd]),
    { reps, seed },
  );
  return Array.from({ length: design.k }, (_, i) => {
    const [mu, muStar, sigma] = stats(ee, all, i);
    return { mu, muStar, sigma, muStarCi: cis[2 * i], sigmaCi: cis[2 * i + 1], effects: ee.map((e) => e[i]) };
  });
}
