import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/metrics/summary.ts';
import type { Scenario } from '../../src/model/scenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { ScenarioError } from '../../src/scenario/schema.ts';
import {
  buildGrid,
  parseAxis,
  runPoints,
  type SweepPoint,
  splitTopLevel,
  sweepCrossover,
} from '../../src/sweep/sweep.ts';

const base = resolveScenario({ durationS: 0.005, warmupS: 0.001 });

describe('axis parsing', () => {
  it('splits at top-level commas only', () => {
    expect(splitTopLevel('1,2, 3')).toEqual(['1', '2', '3']);
    expect(splitTopLevel('[0],[0,4],{"a":1,"b":"x,y"}')).toEqual(['[0]', '[0,4]', '{"a":1,"b":"x,y"}']);
  });

  it('parses values as JSON when they parse, else as strings', () => {
    expect(parseAxis('pinning.vcpu=none,node')).toEqual({ path: 'pinning.vcpu', values: ['none', 'node'] });
    expect(parseAxis('profile.nic.irqCpus=[0],[0,4]').values).toEqual([[0], [0, 4]]);
    expect(() => parseAxis('vms=1,2')).toThrow(ScenarioError);
    expect(() => parseAxis('workload.instances')).toThrow(ScenarioError);
  });
});

describe('buildGrid', () => {
  it('orders axes, then models, then VM counts, and validates each point', () => {
    const grid = buildGrid({
      base,
      models: ['per-device', 'per-cpu'],
      vmsList: [1, 2],
      axes: [{ path: 'workload.instances', values: [1, 3] }],
    });
    expect(grid.map((g) => `${g.axes['workload.instances']}/${g.model}/${g.vms}`)).toEqual([
      '1/per-device/1',
      '1/per-device/2',
      '1/per-cpu/1',
      '1/per-cpu/2',
      '3/per-device/1',
      '3/per-device/2',
      '3/per-cpu/1',
      '3/per-cpu/2',
    ]);
    expect(grid[7].scenario.workload.instances).toBe(3);
    expect(grid[7].scenario.vms).toBe(2);
    expect(base.vms).toBe(1);
  });

  it('rejects bad axis paths and values', () => {
    expect(() => buildGrid({ base, models: ['per-cpu'], vmsList: [0] })).toThrow(/scenario\.vms/);
    expect(() =>
      buildGrid({ base, models: ['per-cpu'], vmsList: [1], axes: [{ path: 'nope', values: [1] }] }),
    ).toThrow(/nope/);
  });
});

describe('runPoints', () => {
  it('records a failing point with its error and goes on with the others', async () => {
    const broken = { ...base, profile: null } as unknown as Scenario;
    const done: number[] = [];
    const out = await runPoints([base, broken, base], { onDone: (i) => done.push(i) });
    expect(out.results).toHaveLength(2);
    expect(out.results[0].metrics.throughput.value).toBeGreaterThan(0);
    expect(out.failures.map((f) => f.index)).toEqual([1]);
    expect(out.failures[0].error.message).toMatch(/profile/);
    expect(out.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(done).toEqual([0, 1, 2]);
  });
});

describe('sweepCrossover', () => {
  const metrics = (tps: number, eff: number) =>
    ({ throughput: { value: tps }, efficiency: { value: eff } }) as unknown as Metrics;
  const point = (model: 'per-device' | 'per-cpu', vms: number, tps: number, eff: number, axes?: object) =>
    ({ model, vms, workload: 'TCP_RR', scenario: base, metrics: metrics(tps, eff), axes }) as SweepPoint;

  it('computes per-workload crossovers of throughput and efficiency', () => {
    const pts = [
      point('per-device', 1, 10, 10),
      point('per-device', 2, 20, 10),
      point('per-cpu', 1, 8, 12),
      point('per-cpu', 2, 22, 13),
    ];
    const { TCP_RR } = sweepCrossover(pts);
    expect(TCP_RR.throughput).toMatchObject({ kind: 'overtakes', leader: 'b', at: 1.5, from: 2 });
    expect(TCP_RR.efficiency).toMatchObject({ kind: 'ahead', leader: 'b', crossings: [] });
  });

  it('keys groups by the other axes when there are axes', () => {
    const pts = [
      point('per-device', 1, 10, 10, { 'workload.instances': 1 }),
      point('per-cpu', 1, 8, 12, { 'workload.instances': 1 }),
      point('per-device', 1, 10, 10, { 'workload.instances': 2 }),
    ];
    const out = sweepCrossover(pts);
    expect(Object.keys(out)).toEqual(['TCP_RR workload.instances=1', 'TCP_RR workload.instances=2']);
    expect(out['TCP_RR workload.instances=1']).toMatchObject({
      throughput: { kind: 'ahead', leader: 'a' },
      efficiency: { kind: 'ahead', leader: 'b' },
      axes: { 'workload.instances': 1 },
    });
    expect(out['TCP_RR workload.instances=2']).toMatchObject({
      throughput: { kind: 'none' },
      efficiency: { kind: 'none' },
      axes: { 'workload.instances': 2 },
    });
  });
});
