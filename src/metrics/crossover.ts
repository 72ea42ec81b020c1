/**
 * The crossover statement: what two mean curves over VM counts do relative to each other, said only as far
 * as the data supports it. Pure: no simulation, no formatting beyond the sentence.
 */

/** A 95 % confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

/** One VM count with the value of series `a` (per-device) and series `b` (per-cpu), and their CIs if any. */
export interface CrossoverPoint {
  vms: number;
  a: number;
  b: number;
  aCi?: Interval;
  bCi?: Interval;
}

/**
 * Two values closer than this share of the larger are a tie. Assumption: 1 % is about the run-to-run
 * spread of one seed at 0.2–3 s (docs/reproduction.md), and far above a tie at line rate or at the offered
 * load of an open-loop generator, where both models carry the same traffic (differences < 0.1 %).
 */
export const DEFAULT_TIE_TOLERANCE = 0.01;

export type Side = 'a' | 'b';
/** Who is ahead at one VM count: a side, or `level` (a tie within the tolerance, or overlapping CIs). */
export type Order = Side | 'level';

/** Consecutive VM counts with the same order. */
export interface OrderRun {
  order: Order;
  from: number;
  to: number;
}

export interface CrossoverStatement {
  /**
   * `none`: no VM count has both series. `level`: level within the noise everywhere. `ahead`: only one
   * side is ever ahead. `overtakes`: one side is ahead early, the other from `from` to the end of the grid,
   * with one crossing. `crosses`: any other pattern (a re-crossing, or a crossing followed by a level end).
   */
  kind: 'none' | 'level' | 'ahead' | 'overtakes' | 'crosses';
  /** The relative tie tolerance the statement used. */
  tolerance: number;
  /**
   * Every crossing of the mean curves, as an interpolated VM count: each change of the side ahead by more
   * than the tolerance (ties in between do not count; ties flipping within the tolerance are no crossing).
   */
  crossings: number[];
  /** The order at each sampled VM count, run-length encoded. */
  runs: OrderRun[];
  /** `ahead`, `overtakes`: the side ahead; `crosses`: the side ahead at the end of the grid, if one is. */
  leader?: Side;
  /** `overtakes`: the first VM count of the leader's final run (ahead, CIs apart, up to the last count). */
  from?: number;
  /** `overtakes`: the crossing of the mean curves after which the leader stays ahead. */
  at?: number;
  /** The statement in one sentence, with the names given. */
  text: string;
}

export interface StatementOptions {
  /** Relative tie tolerance (default `DEFAULT_TIE_TOLERANCE`). */
  tolerance?: number;
  /** Names of the two series in the sentence. */
  names?: { a: string; b: string };
}

const fmt1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

const sorted = (points: readonly CrossoverPoint[]) =>
  points.filter((p) => Number.isFinite(p.a) && Number.isFinite(p.b)).sort((x, y) => x.vms - y.vms);

/** +1: b ahead by more than the tolerance, -1: a ahead, 0: a tie. */
function signOf(p: CrossoverPoint, tolerance: number): number {
  const d = p.b - p.a;
  return Math.abs(d) <= tolerance * Math.max(Math.abs(p.a), Math.abs(p.b)) ? 0 : Math.sign(d);
}

const overlap = (x: Interval | undefined, y: Interval | undefined) =>
  x !== undefined && y !== undefined && x.low <= y.high && y.low <= x.high;

/**
 * Where the raw difference b − a first leaves the sign of point `i` on the way to point `j`, interpolated
 * linearly between the two samples around it.
 */
function locate(ps: readonly CrossoverPoint[], i: number, j: number): number {
  const s = Math.sign(ps[i].b - ps[i].a);
  for (let k = i; k < j; k++) {
    const d0 = ps[k].b - ps[k].a;
    const d1 = ps[k + 1].b - ps[k + 1].a;
    if (d1 * s <= 0)
      return d1 === 0 ? ps[k + 1].vms : ps[k].vms + (d0 / (d0 - d1)) * (ps[k + 1].vms - ps[k].vms);
  }
  return ps[j].vms;
}

/** Every crossing of the mean curves by more than the tolerance (see `CrossoverStatement.crossings`). */
export function crossings(points: readonly CrossoverPoint[], tolerance = DEFAULT_TIE_TOLERANCE): number[] {
  const ps = sorted(points);
  const out: number[] = [];
  let last = -1;
  for (let i = 0; i < ps.length; i++) {
    const s = signOf(ps[i], tolerance);
    if (s === 0) continue;
    if (last >= 0 && signOf(ps[last], tolerance) !== s) out.push(locate(ps, last, i));
    last = i;
  }
  return out;
}

const vmsText = (n: number) => `${n} VM${n === 1 ? '' : 's'}`;
const span = (r: { from: number; to: number }) =>
  r.from === r.to ? vmsText(r.from) : `${r.from}–${r.to} VMs`;
const approx = (xs: readonly number[]) => {
  const t = xs.map((x) => `≈ ${fmt1.format(x)}`);
  return t.length <= 1 ? (t[0] ?? '') : `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`;
};

/**
 * The statement about series `b` against series `a`. A VM count is `level` when the two means are within
 * the tolerance or, with replications, their 95 % CIs overlap; otherwise the larger side is ahead there.
 * "X overtakes Y from N" is said only when Y is ahead somewhere before, X is ahead at every count from N to
 * the last one, and the mean curves cross once. Non-finite values (a missing point) are left out.
 * The default tolerance is 1 % (`statement.tolerance` says which one was used).
 *
 * @example
 * ```ts
 * import { crossoverStatement } from 'vhost-sim';
 *
 * // Hand-made curves: `a` ahead at 1-2 VMs, level at 4, `b` ahead from 8 on.
 * const s = crossoverStatement(
 *   [
 *     { vms: 1, a: 100, b: 90 },
 *     { vms: 2, a: 180, b: 170 },
 *     { vms: 4, a: 300, b: 301 },
 *     { vms: 8, a: 400, b: 480 },
 *   ],
 *   { names: { a: 'per-device', b: 'per-cpu' } },
 * );
 * console.log(s.kind, s.crossings, s.text);
 * ```
 */
export function crossoverStatement(
  points: readonly CrossoverPoint[],
  options: StatementOptions = {},
): CrossoverStatement {
  const tolerance = options.tolerance ?? DEFAULT_TIE_TOLERANCE;
  const names = options.names ?? { a: 'per-device', b: 'per-cpu' };
  const ps = sorted(points);
  const withCi = ps.some((p) => p.aCi !== undefined && p.bCi !== undefined);
  const tie = `tie tolerance ${pct.format(tolerance * 100)} %${withCi ? ' or overlapping 95 % CIs' : ''}`;
  const base = { tolerance, crossings: crossings(ps, tolerance) };
  if (ps.length === 0) {
    return {
      kind: 'none',
      ...base,
      runs: [],
      text: 'not enough points (need both models at the same VM counts)',
    };
  }
  const runs: OrderRun[] = [];
  for (const p of ps) {
    const s = signOf(p, tolerance);
    const order: Order = s === 0 || overlap(p.aCi, p.bCi) ? 'level' : s > 0 ? 'b' : 'a';
    const last = runs[runs.length - 1];
    if (last?.order === order) last.to = p.vms;
    else runs.push({ order, from: p.vms, to: p.vms });
  }
  const name = (s: Side) => names[s];
  const phrase = (r: OrderRun) =>
    r.order === 'level' ? `level within the noise at ${span(r)}` : `${name(r.order)} ahead at ${span(r)}`;
  const all = { from: ps[0].vms, to: ps[ps.length - 1].vms };
  const leaders = new Set(runs.map((r) => r.order).filter((o): o is Side => o !== 'level'));
  const final = runs[runs.length - 1];
  const done = (s: Omit<CrossoverStatement, 'tolerance' | 'crossings' | 'runs'>) => ({
    ...base,
    runs,
    ...s,
    text: `${s.text} (${tie})`,
  });
  if (leaders.size === 0) {
    const where = all.from === all.to ? `at ${vmsText(all.from)}` : `from ${all.from} to ${all.to} VMs`;
    return done({ kind: 'level', text: `level within the noise ${where}` });
  }
  if (leaders.size === 1) {
    const [leader] = leaders;
    const text =
      runs.length === 1
        ? `${name(leader)} ahead everywhere (${span(all)})`
        : runs.map(phrase).join('; ') +
          (base.crossings.length > 0
            ? `; the means cross at ${approx(base.crossings)} within the noise`
            : '');
    return done({ kind: 'ahead', leader, text });
  }
  if (base.crossings.length === 1 && final.order !== 'level') {
    const leader = final.order;
    const other: Side = leader === 'a' ? 'b' : 'a';
    const at = base.crossings[0];
    const level = runs.filter((r) => r.order === 'level').map(phrase);
    const text =
      `${name(leader)} overtakes ${name(other)} from ${vmsText(final.from)} (the means cross at ${approx([at])})` +
      level.map((l) => `; ${l}`).join('');
    return done({ kind: 'overtakes', leader, from: final.from, at, text });
  }
  const cross =
    base.crossings.length === 1
      ? `the curves cross at ${approx(base.crossings)} VMs`
      : `the curves cross at ${approx(base.crossings.slice(0, 1))} and again at ${approx(base.crossings.slice(1))} VMs`;
  return done({
    kind: 'crosses',
    ...(final.order === 'level' ? {} : { leader: final.order }),
    text: `${cross}: ${runs.map(phrase).join('; ')}`,
  });
}

/**
 * How the crossings move from seed to seed: `per seed: 4 of 5 seeds cross (last crossing 7.6–12.0 VMs,
 * median 7.8)`. Each element is one seed's crossings (`crossings` on that seed's own curves).
 */
export function seedSummary(bySeed: readonly (readonly number[])[]): string {
  const n = bySeed.length;
  const last = bySeed
    .filter((c) => c.length > 0)
    .map((c) => c[c.length - 1])
    .sort((x, y) => x - y);
  if (last.length === 0) return `per seed: none of ${n} seeds cross`;
  const mid = last.length >> 1;
  const median = last.length % 2 === 1 ? last[mid] : (last[mid - 1] + last[mid]) / 2;
  const range =
    last.length === 1
      ? `${fmt1.format(last[0])} VMs`
      : `${fmt1.format(last[0])}–${fmt1.format(last[last.length - 1])} VMs, median ${fmt1.format(median)}`;
  const again = bySeed.filter((c) => c.length > 1).length;
  const more = again > 0 ? `; ${again} cross more than once` : '';
  return `per seed: ${last.length} of ${n} seeds cross (last crossing ${range}${more})`;
}
