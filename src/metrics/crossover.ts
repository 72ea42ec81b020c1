/** One VM count with the value of series `a` (per-device) and series `b` (per-cpu). */
export interface CrossoverPoint {
  vms: number;
  a: number;
  b: number;
}

const sorted = (points: readonly CrossoverPoint[]) =>
  points.filter((p) => Number.isFinite(p.a) && Number.isFinite(p.b)).sort((x, y) => x.vms - y.vms);

/**
 * The VM count, linearly interpolated between the two sampled counts around it, at which series `b`
 * first overtakes series `a` (b > a) after having been at or below it at the previous sample.
 *
 * Choice: when `b` is already ahead at the smallest VM count there is no crossing to locate, so the
 * result is `null` (not the smallest count) unless `b` later falls back and overtakes again, in which
 * case that later crossing is returned. Callers that want to say "ahead from the start" use
 * `crossoverStatus`. Non-finite samples are ignored; unsorted input is fine.
 */
export function crossover(points: readonly CrossoverPoint[]): number | null {
  const ps = sorted(points);
  for (let i = 1; i < ps.length; i++) {
    const d0 = ps[i - 1].b - ps[i - 1].a;
    const d1 = ps[i].b - ps[i].a;
    if (d0 <= 0 && d1 > 0) {
      // d crosses zero between the two samples: d0 + (d1 - d0) * t = 0.
      const t = -d0 / (d1 - d0);
      return ps[i - 1].vms + t * (ps[i].vms - ps[i - 1].vms);
    }
  }
  return null;
}

export type CrossoverStatus =
  | { kind: 'crosses'; at: number }
  | { kind: 'ahead-from-start'; from: number }
  | { kind: 'never'; upTo: number | null };

/** `crossover` plus the reason when it is null, for human-readable reports. */
export function crossoverStatus(points: readonly CrossoverPoint[]): CrossoverStatus {
  const at = crossover(points);
  if (at !== null) return { kind: 'crosses', at };
  const ps = sorted(points);
  if (ps.length > 0 && ps[0].b > ps[0].a) return { kind: 'ahead-from-start', from: ps[0].vms };
  return { kind: 'never', upTo: ps.length > 0 ? ps[ps.length - 1].vms : null };
}

const fmt1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `; per seed 5.9–12.4 (median 7.9)`: how much the crossover moves from one seed to the next. */
export function seedSpread(bySeed: readonly (number | null)[] | undefined): string {
  if (bySeed === undefined) return '';
  const at = bySeed.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const n = bySeed.length;
  if (at.length === 0) return `; no crossing in any of ${n} seeds`;
  const mid = at.length >> 1;
  const median = at.length % 2 === 1 ? at[mid] : (at[mid - 1] + at[mid]) / 2;
  const range =
    at.length === 1 ? fmt1.format(at[0]) : `${fmt1.format(at[0])}–${fmt1.format(at[at.length - 1])}`;
  const which = at.length === n ? '' : `, ${at.length} of ${n} seeds cross`;
  return `; per seed ${range} (median ${fmt1.format(median)}${which})`;
}
