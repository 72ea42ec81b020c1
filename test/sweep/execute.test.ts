import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/model/scenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { executeSweep } from '../../src/sweep/execute.ts';
import { JOURNAL, ResumeError } from '../../src/sweep/journal.ts';
import { buildGrid, runPoints } from '../../src/sweep/sweep.ts';

const base = resolveScenario({ durationS: 0.004, warmupS: 0.001 });
const grid = buildGrid({ base, models: ['per-device', 'per-cpu'], vmsList: [1, 2] });
const tmp = () => mkdtempSync(join(tmpdir(), 'vhost-sim-sweep-'));
const lines = (dir: string) => readFileSync(join(dir, JOURNAL), 'utf8').trimEnd().split('\n');

describe('runPoints on worker threads', () => {
  it('gives the same outcomes, in input order, whatever the number of jobs', async () => {
    const scenarios = grid.map((g) => g.scenario);
    const order: number[] = [];
    const [one, two] = await Promise.all([
      runPoints(scenarios, { jobs: 1 }),
      runPoints(scenarios, { jobs: 2, onDone: (i) => order.push(i) }),
    ]);
    expect(JSON.stringify(two.outcomes)).toBe(JSON.stringify(one.outcomes));
    expect(order.sort()).toEqual([0, 1, 2, 3]);
  });

  it('simulates identical scenarios once and gives each index its outcome, whatever the number of jobs', async () => {
    const [a, b] = grid.map((g) => g.scenario);
    const scenarios = [a, b, { ...a }, a, b];
    for (const jobs of [1, 2]) {
      const seen: number[] = [];
      const out = await runPoints(scenarios, { jobs, onDone: (i) => seen.push(i) });
      expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
      // One simulation per distinct scenario: its indices hold the very same object (a worker thread's
      // outcome arrives as a fresh copy per run, so two runs could not share one).
      expect(out.outcomes[2]).toBe(out.outcomes[0]);
      expect(out.outcomes[3]).toBe(out.outcomes[0]);
      expect(out.outcomes[4]).toBe(out.outcomes[1]);
      expect(out.outcomes[1]).not.toBe(out.outcomes[0]);
      // And what each index holds is what running it alone gives.
      const alone = await runPoints([scenarios[4]], { jobs: 1 });
      expect(JSON.stringify(out.outcomes[4])).toBe(JSON.stringify(alone.outcomes[0]));
    }
  });

  it('records a point that throws in its worker as failed, with its message, and runs the rest', async () => {
    const broken = { ...base, profile: null } as unknown as Scenario;
    const out = await runPoints([base, broken, base], { jobs: 2 });
    expect(out.failures).toHaveLength(1);
    expect(out.failures[0].index).toBe(1);
    expect(out.failures[0].error.name).toBe('ScenarioError');
    expect(out.failures[0].error.message).toMatch(/profile/);
    expect(out.results).toHaveLength(2);
  });
});

describe('executeSweep', () => {
  it('journals every run, and a resume from a truncated journal gives the same points', async () => {
    const dir = tmp();
    const full = await executeSweep({ grid, outDir: dir });
    expect(full.failed).toEqual([]);
    const journal = lines(dir);
    expect(journal).toHaveLength(4);
    expect(journal.map((l) => JSON.parse(l).index)).toEqual([0, 1, 2, 3]);

    // A kill mid-write leaves the first lines and a torn last one.
    writeFileSync(join(dir, JOURNAL), `${journal.slice(0, 2).join('\n')}\n${journal[2].slice(0, 40)}`);
    const computed: boolean[] = [];
    const resumed = await executeSweep({
      grid,
      outDir: dir,
      resume: true,
      jobs: 2,
      onProgress: (_d, _t, fromJournal) => computed.push(!fromJournal),
    });
    expect(resumed.resumedRuns).toBe(2);
    expect(computed.filter(Boolean)).toHaveLength(2);
    expect(JSON.stringify(resumed.points)).toBe(JSON.stringify(full.points));
    expect(lines(dir)).toEqual(journal);
  });

  it('refuses to resume from another sweep’s journal', async () => {
    const dir = tmp();
    await executeSweep({ grid: grid.slice(0, 1), outDir: dir });
    const other = buildGrid({ base: { ...base, seed: 99 }, models: ['per-device'], vmsList: [1] });
    await expect(executeSweep({ grid: other, outDir: dir, resume: true })).rejects.toThrow(ResumeError);
  });

  it('records a failing point in the journal and the result, and goes on', async () => {
    const dir = tmp();
    const broken = { ...grid[1], scenario: { ...base, profile: null } as unknown as Scenario };
    const out = await executeSweep({ grid: [grid[0], broken, grid[2]], outDir: dir, jobs: 2 });
    expect(out.points.map((p) => p.model)).toEqual(['per-device', 'per-cpu']);
    expect(out.failed).toHaveLength(1);
    expect(out.failed[0]).toMatchObject({ index: 1, model: 'per-device', vms: 2 });
    expect(out.failed[0].error).toMatch(/ScenarioError: .*profile/);
    const entries = lines(dir).map((l) => JSON.parse(l));
    expect(entries.map((e) => e.ok)).toEqual([true, false, true]);
    expect(entries[1].error.message).toMatch(/profile/);
  });

  it('replications: seeds seed, seed+1, ...; mean metrics and a 95 % CI per main metric', async () => {
    const dir = tmp();
    const out = await executeSweep({ grid: grid.slice(2, 3), reps: 3, outDir: dir });
    const [p] = out.points;
    expect(p.reps).toBe(3);
    expect(lines(dir).map((l) => JSON.parse(l).seed)).toEqual([1, 2, 3]);
    expect(p.scenario.seed).toBe(1);
    const tps = lines(dir).map((l) => JSON.parse(l).metrics.throughput.value as number);
    expect(p.metrics.throughput.value).toBeCloseTo((tps[0] + tps[1] + tps[2]) / 3, 3);
    expect(Object.keys(p.ci95 ?? {})).toEqual([
      'throughput',
      'efficiency',
      'latencyP50Us',
      'latencyP99Us',
      'cpuUtilization',
      'contextSwitchesPerSec',
    ]);
    expect(p.ci95?.throughput?.low).toBeLessThanOrEqual(p.metrics.throughput.value);
    expect(p.ci95?.throughput?.high).toBeGreaterThanOrEqual(p.metrics.throughput.value);
  });
});

describe('streamed results (stream: true)', () => {
  it('keeps only scalars in memory, gives the whole points back from the journal, and the same journal', async () => {
    const axes = [{ path: 'vcpusPerVm', values: [1, 2] }];
    const g = buildGrid({ base, models: ['per-device', 'per-cpu'], vmsList: [1, 2], axes });
    const [d1, d2] = [tmp(), tmp()];
    const whole = await executeSweep({ grid: g, reps: 2, outDir: d1 });
    const streamed = await executeSweep({ grid: g, reps: 2, outDir: d2, stream: true, jobs: 2 });
    const arrays = (v: unknown): boolean =>
      Array.isArray(v) || (v !== null && typeof v === 'object' && Object.values(v).some(arrays));
    expect(streamed.points.some((p) => arrays(p.metrics))).toBe(false);
    expect(whole.points.every((p) => Array.isArray(p.metrics.perCpu))).toBe(true);
    expect(JSON.stringify([...(streamed.fullPoints?.() ?? [])])).toBe(JSON.stringify(whole.points));
    expect(readFileSync(join(d2, JOURNAL), 'utf8')).toBe(readFileSync(join(d1, JOURNAL), 'utf8'));
  });
});
