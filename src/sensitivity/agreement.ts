/**
 * Do two screenings rank the parameters alike? Morris's μ* is a proxy for the total Sobol' index
 * (Campolongo, Cariboni and Saltelli, Environ. Model. Softw. 22, 2007), so on the same output the two
 * orders should agree. Spearman's rank correlation ρ measures it (ties get their mean rank); ρ = 1 is the
 * same order, 0 no relation.
 */

export interface Importance {
  path: string;
  /** μ* (Morris) or the total index ST (Sobol'). */
  value: number;
}

export interface RankRow {
  path: string;
  a: number;
  b: number;
  /** 1 = most important; ties share their mean rank. */
  rankA: number;
  rankB: number;
}

export interface Agreement {
  /** The parameters both rank, most important in `a` first. */
  rows: RankRow[];
  spearman: number;
  /**
   * ρ over the parameters that moved the output in at least one study (value > 0): parameters no run can
   * see (exactly 0 in both, e.g. a cost of another model) are ties that would lift ρ by themselves.
   */
  spearmanMoving: number;
  moving: number;
  /** Of the `top` most important in `a`, how many are also among the `top` of `b`. */
  top: number;
  topShared: number;
}

/** Ranks, 1 = largest value; tied values get the mean of the ranks they span. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((p, q) => q.v - p.v);
  const out = new Array<number>(values.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].v === order[s].v) e++;
    const mean = (s + e) / 2 + 1;
    for (let j = s; j <= e; j++) out[order[j].i] = mean;
    s = e + 1;
  }
  return out;
}

/** Pearson correlation of the ranks (Spearman's ρ with ties); NaN for fewer than 2 or a constant list. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const n = rx.length;
  if (n < 2) return Number.NaN;
  const mx = rx.reduce((s, v) => s + v, 0) / n;
  const my = ry.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Compare two rankings over the parameters both contain; `top` for the shared-leaders count. */
export function rankAgreement(a: readonly Importance[], b: readonly Importance[], top = 3): Agreement {
  const inB = new Map(b.map((x) => [x.path, x.value]));
  const common = a.filter((x) => inB.has(x.path));
  const va = common.map((x) => x.value);
  const vb = common.map((x) => inB.get(x.path) as number);
  const ra = ranks(va);
  const rb = ranks(vb);
  const rows = common
    .map((x, i) => ({ path: x.path, a: va[i], b: vb[i], rankA: ra[i], rankB: rb[i] }))
    .sort((p, q) => p.rankA - q.rankA || p.rankB - q.rankB);
  const t = Math.min(top, rows.length);
  const topA = new Set(rows.slice(0, t).map((r) => r.path));
  const topB = [...rows].sort((p, q) => p.rankB - q.rankB).slice(0, t);
  const moving = rows.filter((r) => r.a > 0 || r.b > 0);
  return {
    rows,
    spearman: spearman(va, vb),
    spearmanMoving: spearman(
      moving.map((r) => r.a),
      moving.map((r) => r.b),
    ),
    moving: moving.length,
    top: t,
    topShared: topB.filter((r) => topA.has(r.path)).length,
  };
}
