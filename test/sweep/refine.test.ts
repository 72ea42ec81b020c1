import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossoverStatement } from '../../src/metrics/crossover.ts';
import type { Metrics } from '../../src/metrics/summary.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { executeSweep } from '../../src/sweep/execute.ts';
import { JOURNAL, ResumeError } from '../../src/sweep/journal.ts';
import { refineGrid, refinementVms } from '../../src/sweep/refine.ts';
import { buildGrid, type GridPoint, modelSeries, type SweepPoint } from '../../src/sweep/sweep.ts';

const point = (model: ModelName, vms: number, tp: number): SweepPoint =>
  ({
    model,
    vms,
    workload: 'TCP_RR',
    metrics: { throughput: { value: tp }, efficiency: { value: 1 } } as unknown as Metrics,
  }) as SweepPoint;
const curves = (vmsList: number[], a: (v: number) => number, b: (v: number) => number) =>
  vmsList.flatMap((v) => [point('per-device', v, a(v)), point('per-cpu', v, b(v))]);
const none = () => new Set<number>();

describe('refinementVms', () => {
  it('adds the midpoint of neighbouring counts whose order differs, and nothing where it does not', () => {
    // per-device ahead at 1 and 4, per-cpu at 8 and 16: only 4..8 changes order.
    const pts = curves(
      [1, 4, 8, 16],
      (v) => 10 * v,
      (v) => (v >= 8 ? 12 * v : 8 * v),
    );
    expect(refinementVms(pts, none)).toEqual(new Map([['TCP_RR', [6]]]));
    // Already sampled, or one VM apart: nothing to add.
    expect(refinementVms(pts, () => new Set([6])).size).toBe(0);
    const close = curves(
      [4, 5],
      (v) => 10 * v,
      (v) => (v >= 5 ? 12 * v : 8 * v),
    );
    expect(refinementVms(close, none).size).toBe(0);
  });

  it('brackets both ends of a level band, not its inside', () => {
    // a ahead at 2, level at 6..10, b ahead at 16.
    const a = () => 100;
    const b = (v: number) => (v <= 2 ? 80 : v >= 16 ? 120 : 100);
    expect(refinementVms(curves([2, 6, 10, 16], a, b), none).get('TCP_RR')).toEqual([4, 13]);
  });

  it('refining to the end leaves every change of order bracketed within one VM', () => {
    // Curves that cross at 7.3 VMs and are level from 11 to 14.
    const a = (v: number) => 100 * v;
    const b = (v: number) => (v < 7.3 ? 95 * v : v >= 11 && v <= 14 ? 100 * v : 106 * v - 6 * 7.3);
    let vms = [1, 2, 4, 8, 16, 32];
    for (let round = 0; round < 10; round++) {
      const add = refinementVms(curves(vms, a, b), () => new Set(vms)).get('TCP_RR') ?? [];
      if (add.length === 0) break;
      vms = [...vms, ...add].sort((x, y) => x - y);
    }
    const { runs } = crossoverStatement(modelSeries(curves(vms, a, b), 'throughput'));
    expect(runs.length).toBeGreaterThan(1);
    for (let i = 1; i < runs.length; i++) expect(runs[i].from - runs[i - 1].to).toBe(1);
  });
});

describe('executeSweep with a refinement', () => {
  const base = resolveScenario({ durationS: 0.003, warmupS: 0.001 });
  const models: ModelName[] = ['per-device', 'per-cpu'];
  const grid = buildGrid({ base, models, vmsList: [1, 4] });
  // A refinement that always adds 2 VMs once, whatever the results: the journal mechanics, not the curves.
  const addTwo = (_points: readonly SweepPoint[], sofar: readonly GridPoint[]) =>
    sofar.some((g) => g.vms === 2) ? [] : buildGrid({ base, models, vmsList: [2] });
  const tmp = () => mkdtempSync(join(tmpdir(), 'vhost-sim-refine-'));

  it('runs the added points, reports them by VM count, and resumes them from the journal', async () => {
    const dir = tmp();
    const full = await executeSweep({ grid, outDir: dir, refine: addTwo });
    expect(full.grid.map((g) => g.vms)).toEqual([1, 4, 1, 4, 2, 2]);
    expect(full.points.map((p) => `${p.model}/${p.vms}`)).toEqual([
      'per-device/1',
      'per-device/2',
      'per-device/4',
      'per-cpu/1',
      'per-cpu/2',
      'per-cpu/4',
    ]);
    const journal = readFileSync(join(dir, JOURNAL), 'utf8').trimEnd().split('\n');
    expect(journal).toHaveLength(6);

    // Cut after one refined run: the resume takes 5 runs from the journal and computes 1.
    writeFileSync(join(dir, JOURNAL), `${journal.slice(0, 5).join('\n')}\n`);
    const resumed = await executeSweep({ grid, outDir: dir, resume: true, jobs: 2, refine: addTwo });
    expect(resumed.resumedRuns).toBe(5);
    expect(JSON.stringify(resumed.points)).toBe(JSON.stringify(full.points));

    // A refined line from another sweep is refused when its point comes up.
    const other = JSON.parse(journal[5]);
    other.scenario.seed = 99;
    writeFileSync(join(dir, JOURNAL), `${[...journal.slice(0, 5), JSON.stringify(other)].join('\n')}\n`);
    await expect(executeSweep({ grid, outDir: dir, resume: true, refine: addTwo })).rejects.toThrow(
      ResumeError,
    );
  });

  it('refineGrid adds every model at the midpoints, with the base scenario at those VM counts', () => {
    const pts = curves(
      [1, 4],
      (v) => 10 * v,
      (v) => (v >= 4 ? 12 * v : 8 * v),
    );
    const added = refineGrid({ base, models }, grid, pts);
    expect(added.map((g) => `${g.model}/${g.vms}`)).toEqual(['per-device/2', 'per-cpu/2']);
    expect(added[0].scenario).toEqual({ ...grid[0].scenario, vms: 2 });
  });
});
