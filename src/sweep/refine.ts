/**
 * `--refine`: where the order of per-device and per-cpu changes between two sampled VM counts, sample the
 * VM count halfway between them, round after round, until every change of order is bracketed by counts
 * one VM apart. "Order" is the crossover statement's per-count order (a side ahead, or level within the
 * noise), so a band where the curves are level is bracketed at both ends and not refined inside.
 */
import { crossoverStatement } from '../metrics/crossover.ts';
import type { ModelName, Scenario } from '../model/scenario.ts';
import {
  buildGrid,
  type CrossoverOptions,
  type GridPoint,
  groupKey,
  groupPoints,
  modelSeries,
  type SweepPoint,
} from './sweep.ts';

/** What a refinement needs of the sweep: the base scenario and the models every VM count runs. */
export interface RefineSpec {
  base: Scenario;
  models: readonly ModelName[];
}

/**
 * The VM counts to add to each group (workload and axes, keyed as `groupKey`): the integer midpoint of
 * every pair of neighbouring sampled counts whose orders differ, in throughput or in efficiency, when
 * the pair is more than one VM apart and the midpoint was not sampled yet. Sorted, no duplicates.
 */
export function refinementVms(
  points: readonly SweepPoint[],
  sampled: (group: string) => ReadonlySet<number>,
  options: CrossoverOptions = {},
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [key, g] of groupPoints(points)) {
    const have = sampled(key);
    const add = new Set<number>();
    for (const metric of ['throughput', 'efficiency'] as const) {
      const { runs } = crossoverStatement(modelSeries(g.points, metric), options);
      for (let i = 1; i < runs.length; i++) {
        const v0 = runs[i - 1].to;
        const v1 = runs[i].from;
        const mid = Math.floor((v0 + v1) / 2);
        if (mid > v0 && mid < v1 && !have.has(mid)) add.add(mid);
      }
    }
    if (add.size > 0)
      out.set(
        key,
        [...add].sort((x, y) => x - y),
      );
  }
  return out;
}

/** The grid points one refinement round adds (every model at each new VM count), in a fixed order. */
export function refineGrid(
  spec: RefineSpec,
  grid: readonly GridPoint[],
  points: readonly SweepPoint[],
  options: CrossoverOptions = {},
): GridPoint[] {
  const keyOf = (g: GridPoint) =>
    groupKey(g.scenario.workload.kind, Object.keys(g.axes).length > 0 ? g.axes : undefined);
  const sampled = new Map<string, Set<number>>();
  for (const g of grid) {
    const k = keyOf(g);
    sampled.set(k, (sampled.get(k) ?? new Set()).add(g.vms));
  }
  const add = refinementVms(points, (k) => sampled.get(k) ?? new Set(), options);
  const out: GridPoint[] = [];
  for (const [key, vmsList] of add) {
    const g = grid.find((p) => keyOf(p) === key) as GridPoint;
    const axes = Object.entries(g.axes).map(([path, value]) => ({ path, values: [value] }));
    out.push(
      ...buildGrid({
        base: spec.base,
        models: [...spec.models],
        vmsList,
        axes,
        workloads: [g.scenario.workload.kind],
      }),
    );
  }
  return out;
}
