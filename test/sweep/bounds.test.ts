/**
 * Bounds before unbounded work (issue 22 item 5): grids are counted before they are built, runs and
 * threads refused with a line naming the field, estimates from a probe of the real simulation, and
 * results written in pieces (never one string).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { ScenarioError } from '../../src/scenario/schema.ts';
import { checkEstimate, checkJobs, checkRuns, gridSize, maxJobs } from '../../src/sweep/bounds.ts';
import { estimateWork, probeScenario, type WorkEstimate } from '../../src/sweep/estimate.ts';
import { batched, jsonChunks, pointsDocChunks } from '../../src/sweep/jsonChunks.ts';
import { buildGrid } from '../../src/sweep/sweep.ts';
import { BIN, runCli } from '../cliRun.ts';

const base = resolveScenario({ durationS: 0.002, warmupS: 0.001 });
const now = () => performance.now();

const refusal = (f: () => unknown): ScenarioError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).not.toContain('\n');
    return err as ScenarioError;
  }
  throw new Error('not refused');
};

describe('grid size and runs', () => {
  test.prop(
    [fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 })],
    {
      numRuns: 15,
    },
  )('gridSize counts the points buildGrid builds', (models, vmsCount, axisValues) => {
    const spec = {
      base,
      models: (['per-device', 'per-cpu', 'multi-worker'] as const).slice(0, models),
      vmsList: [1, 2, 3].slice(0, vmsCount),
      axes: axisValues === 0 ? [] : [{ path: 'seed', values: [1, 2, 3].slice(0, axisValues) }],
    };
    expect(gridSize(spec)).toBe(buildGrid({ ...spec, models: [...spec.models] }).length);
  });

  it('a 2,000,000-point grid is refused by count, without building it', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const spec = {
      models: ['per-device', 'per-cpu'] as const,
      vmsList: [1],
      axes: [
        { path: 'seed', values },
        { path: 'profile.costs.ctxSwitchNs', values },
      ],
    };
    const t0 = now();
    const e = refusal(() => checkRuns({ ...spec, models: [...spec.models] }, 1));
    expect(now() - t0).toBeLessThan(50);
    expect(e.path).toBe('grid');
    expect(e.message).toContain('2,000,000 points');
  });

  it('--reps 1e9 is refused naming --reps; --max-runs raises the limit up to its ceiling', () => {
    const spec = { models: ['per-cpu' as const], vmsList: [1, 2] };
    expect(refusal(() => checkRuns(spec, 1e9)).path).toBe('--reps');
    expect(() => checkRuns(spec, 6000, 12_000)).not.toThrow();
    expect(refusal(() => checkRuns(spec, 6000)).path).toBe('--reps');
    expect(refusal(() => checkRuns(spec, 1, 1e7)).path).toBe('--max-runs');
  });
});

describe('jobs and the estimate', () => {
  it('threads beyond half the memory are refused (--jobs), the cores always allowed', () => {
    const gb = 2 ** 30;
    expect(maxJobs(8 * gb, 2)).toBe(54);
    expect(maxJobs(0.1 * gb, 4)).toBe(4);
    expect(refusal(() => checkJobs(1000, 8 * gb, 2)).path).toBe('--jobs');
    expect(() => checkJobs(54, 8 * gb, 2)).not.toThrow();
  });

  it('a probe that reaches the end of the scenario counts exactly the events of the run', () => {
    const p = probeScenario(base, { now });
    expect(p.whole).toBe(true);
    expect(p.events).toBe(runScenario(base).events);
  });

  it('a probe stopped early extrapolates: the events of twice the virtual time are about twice', () => {
    const s = resolveScenario({ vms: 2, durationS: 0.5, warmupS: 0.1 });
    const one = estimateWork([s], { now, reps: 1, jobs: 1, cores: 1 });
    const two = estimateWork([{ ...s, durationS: 1.1 }], { now, reps: 1, jobs: 1, cores: 1 });
    expect(one.exact).toBe(false);
    expect(two.events / one.events).toBeCloseTo(2, 1);
    expect(estimateWork([s], { now, reps: 3, jobs: 1, cores: 1 }).runs).toBe(3);
  });

  it('work surely below the threshold is bounded cheaply: by its size alone, or by the probe, never above the threshold', () => {
    const o = { now, reps: 1, jobs: 1, cores: 1, quickBelowS: 10 };
    const tiny = estimateWork([base, { ...base, vms: 2 }], o);
    expect(tiny.basis).toBe('work-bound');
    expect(tiny.wallS).toBeLessThan(10);
    // The bound is a bound: at least the events the runs fire.
    expect(tiny.events).toBeGreaterThanOrEqual(
      runScenario(base).events + runScenario({ ...base, vms: 2 }).events,
    );
    const big = resolveScenario({ vms: 32, durationS: 10 });
    expect(estimateWork([big], o).basis).toBe('measured');
    // Asked for (--estimate): always measured.
    expect(estimateWork([base], { ...o, quickBelowS: undefined }).basis).toBe('measured');
  });

  it('work estimated past --max-hours or the memory is refused', () => {
    const e: WorkEstimate = {
      runs: 1,
      events: 1e12,
      oneJobS: 1e6,
      wallS: 1e6,
      jobs: 1,
      memoryBytes: 1e6,
      exact: false,
      basis: 'measured',
    };
    expect(refusal(() => checkEstimate(e, 24)).path).toBe('--max-hours');
    expect(() => checkEstimate(e, 300)).not.toThrow();
    expect(refusal(() => checkEstimate({ ...e, wallS: 1, memoryBytes: 2e9 }, 24, 1e9)).path).toBe('memory');
  });
});

describe('results in pieces', () => {
  test.prop(
    [
      fc.array(fc.jsonValue(), { maxLength: 5 }),
      fc.dictionary(
        fc.string().filter((k) => !/^\d+$/.test(k) && k !== '__proto__'),
        fc.jsonValue(),
        { maxKeys: 4 },
      ),
    ],
    {
      numRuns: 200,
    },
  )('pointsDocChunks, points drawn one at a time, is jsonChunks of the whole document', (points, rest) => {
    const { points: _, ...others } = rest;
    const doc = { points, ...others };
    expect([...pointsDocChunks(points.values(), others)].join('')).toBe([...jsonChunks(doc)].join(''));
  });

  test.prop([fc.jsonValue(), fc.integer({ min: 0, max: 4 })], { numRuns: 200 })(
    'jsonChunks joined is JSON.stringify(value, null, 2)',
    (value, depth) => {
      expect([...batched(jsonChunks(value, depth), 7)].join('')).toBe(JSON.stringify(value, null, 2));
    },
  );

  it('undefined members and array holes are written as JSON.stringify writes them', () => {
    const doc = { a: undefined, b: [1, undefined, { c: undefined, d: 2 }], e: { f: [] }, g: {} };
    expect([...jsonChunks(doc)].join('')).toBe(JSON.stringify(doc, null, 2));
  });
});

describe('the CLI', () => {
  it('refuses --reps 1e9 and --jobs 100000 at once with one line; run --estimate prints and stops', async () => {
    expect(BIN).toBeTruthy();
    const [reps, jobs, est] = await Promise.all([
      runCli(['sweep', '--reps', '1000000000', '--no-charts']),
      runCli(['sweep', '--jobs', '100000', '--no-charts']),
      runCli(['run', '--vms', '4', '--duration', '100', '--estimate']),
    ]);
    expect(reps.code).toBe(2);
    expect(reps.stderr).toMatch(/^vhost-sim: error: --reps: 1000000000 replications x 18 points = [^\n]+\n$/);
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toMatch(/^vhost-sim: error: --jobs: 100000 threads need about [^\n]+\n$/);
    expect(est.code, est.stderr).toBe(0);
    expect(est.stdout).toMatch(
      /^vhost-sim run: estimate: 1 run, [\d.]+ million events, about .* at the present load, about .* of memory\n$/,
    );
  }, 60_000);
});
