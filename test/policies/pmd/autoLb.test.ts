import { describe, expect, it } from 'vitest';
import { AUTO_LB_DEFAULTS, createAutoLb, numaVariances } from '../../../src/policies/pmd/autoLb.ts';
import { assignRxqs, type PmdThread, type RxqLoad } from '../../../src/policies/pmd/rxqAssign.ts';

const S = 1_000_000_000;

const PMDS: PmdThread[] = [
  { id: 0, core: 2, numa: 0 },
  { id: 1, core: 4, numa: 0 },
];

/** Measured cycles: one big queue and three small ones. */
const RXQS: RxqLoad[] = [75, 5, 5, 5].map((cycles, id) => ({ id, cycles, numa: 0 }));

/** Everything on PMD 0: loads 90 / 0 → variance 2025. `cycles` estimate: 80 / 10 → 1225 (39.5 % better). */
const ALL_ON_0 = new Map(RXQS.map((q) => [q.id, 0]));

/** Loads 85 / 5 → variance 1600; the same estimate is only 23.4375 % better. */
const NEAR = new Map([
  [0, 0],
  [1, 1],
  [2, 0],
  [3, 0],
]);

const HOT = [0.99, 0.2];
const COOL = [0.5, 0.2];

/** Feed samples every 10 s from `fromS` (seconds) with the busy fractions given per sample. */
function run(lb: ReturnType<typeof createAutoLb>, fromS: number, busy: number[][], rxqs = RXQS) {
  return busy.map((b, i) => ({ t: fromS + 10 * i, ...lb.sample((fromS + 10 * i) * S, b, rxqs) }));
}

describe('defaults', () => {
  it('match pmd.rst: 10 s samples, 1 min overload, 95 %, 25 %, 1 min interval, cycles', () => {
    expect(AUTO_LB_DEFAULTS.intervalNs).toBe(10 * S);
    expect(AUTO_LB_DEFAULTS.overloadWindowNs / AUTO_LB_DEFAULTS.intervalNs).toBe(6);
    expect(AUTO_LB_DEFAULTS.loadThreshold).toBe(0.95);
    expect(AUTO_LB_DEFAULTS.improvementThreshold).toBe(0.25);
    expect(AUTO_LB_DEFAULTS.rebalIntervalNs).toBe(60 * S);
    expect(AUTO_LB_DEFAULTS.mode).toBe('cycles');
  });

  it('the fixture variances are what the comments say', () => {
    const est = assignRxqs(RXQS, PMDS, 'cycles');
    expect(numaVariances(PMDS, RXQS, ALL_ON_0, est)).toEqual([
      { numa: 0, current: 2025, estimate: 1225, improvement: 800 / 2025 },
    ]);
    expect(numaVariances(PMDS, RXQS, NEAR, est)[0].improvement).toBe(375 / 1600);
  });
});

describe('overload detection', () => {
  it('triggers only at the 6th consecutive overloaded sample', () => {
    // Check at every sample (rebal interval = sample period) to isolate the consecutive-sample rule.
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, rebalIntervalNs: 10 * S, startNs: 0 });
    const out = run(lb, 10, [HOT, HOT, HOT, HOT, HOT, HOT]);
    expect(out.slice(0, 5).map((d) => d.reason)).toEqual(Array(5).fill('no-overload'));
    expect(out[5].rebalance).toBe(true);
    expect(out[5].reason).toBe('rebalanced');
    expect(out[5].overloadedPmds).toEqual([0]);
    expect(out[5].newAssignment).toEqual(assignRxqs(RXQS, PMDS, 'cycles'));
    expect(lb.state().assignment).toEqual(out[5].newAssignment);
  });

  it('a single sample below the threshold restarts the count', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, rebalIntervalNs: 10 * S, startNs: 0 });
    const out = run(lb, 10, [HOT, HOT, HOT, HOT, HOT, COOL, HOT, HOT, HOT, HOT, HOT, HOT]);
    expect(out.findIndex((d) => d.rebalance)).toBe(11);
    expect(out.filter((d) => d.rebalance)).toHaveLength(1);
  });

  it('counts a busy fraction equal to the threshold (OVS compares with >=)', () => {
    const at = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, rebalIntervalNs: 10 * S, startNs: 0 });
    expect(run(at, 10, Array(6).fill([0.95, 0]))[5].rebalance).toBe(true);
    const below = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, rebalIntervalNs: 10 * S, startNs: 0 });
    expect(run(below, 10, Array(6).fill([0.94, 0])).some((d) => d.rebalance)).toBe(false);
  });

  it('accepts busy fractions as a map by PMD id', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, rebalIntervalNs: 10 * S, startNs: 0 });
    let last = lb.sample(10 * S, new Map([[0, 0.99]]), RXQS);
    for (let t = 20; t <= 60; t += 10) last = lb.sample(t * S, new Map([[0, 0.99]]), RXQS);
    expect(last.rebalance).toBe(true);
  });

  it('derives the sample count from the interval (5 s → 12, as OVS ≥ 3.1)', () => {
    const lb = createAutoLb({
      pmds: PMDS,
      assignment: ALL_ON_0,
      intervalNs: 5 * S,
      rebalIntervalNs: 5 * S,
      startNs: 0,
    });
    const out = Array.from({ length: 12 }, (_, i) => lb.sample((i + 1) * 5 * S, HOT, RXQS));
    expect(out.findIndex((d) => d.rebalance)).toBe(11);
  });
});

describe('rebalance interval', () => {
  it('with the defaults, first checks one minute after start and then once a minute', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, startNs: 0 });
    const first = run(lb, 10, Array(6).fill(HOT));
    // t = 10..50: timer not elapsed; t = 60: check, 6 overloaded samples → rebalance.
    expect(first.slice(0, 5).every((d) => d.reason === 'interval-not-elapsed' && !d.checked)).toBe(true);
    expect(first[5]).toMatchObject({ t: 60, checked: true, rebalance: true });
    // The PMDs reload: counters reset.
    expect(lb.state().overloadCount.get(0)).toBe(0);
    // Next check not before t = 120.
    const out = [...first, ...run(lb, 70, Array(6).fill(HOT))];
    expect(out.slice(6, 11).every((d) => d.reason === 'interval-not-elapsed')).toBe(true);
    // t = 120: 6 new overloaded samples, but the new assignment is already the dry-run result.
    expect(out[11]).toMatchObject({
      t: 120,
      checked: true,
      rebalance: false,
      reason: 'below-improvement-threshold',
    });
    expect(lb.state().rebalances).toBe(1);
  });

  it('an overload reached between checks waits for the next check', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, startNs: 0, rebalIntervalNs: 120 * S });
    const out = run(lb, 10, Array(12).fill(HOT));
    expect(out.slice(0, 11).some((d) => d.rebalance || d.checked)).toBe(false);
    expect(out[11]).toMatchObject({ t: 120, rebalance: true });
  });

  it('without startNs the timer starts at the first sample', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0 });
    const out = run(lb, 10, Array(7).fill(HOT));
    expect(out[0].reason).toBe('timer-started');
    expect(out[5]).toMatchObject({ t: 60, reason: 'interval-not-elapsed' });
    expect(out[6]).toMatchObject({ t: 70, rebalance: true });
  });

  it('restarts the timer at a check even when nothing is rebalanced', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, startNs: 0 });
    // Cool for the first minute: the check at 60 finds no overload; hot afterwards.
    const out = run(lb, 10, [...Array(6).fill(COOL), ...Array(6).fill(HOT)]);
    expect(out[5]).toMatchObject({ t: 60, checked: true, reason: 'no-overload' });
    expect(out.slice(6, 11).every((d) => d.reason === 'interval-not-elapsed')).toBe(true);
    expect(out[11]).toMatchObject({ t: 120, rebalance: true });
  });
});

describe('dry run', () => {
  it('does not rebalance below the improvement threshold (23.4 % < 25 %)', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: NEAR, startNs: 0 });
    const d = run(lb, 10, Array(6).fill(HOT))[5];
    expect(d).toMatchObject({ checked: true, rebalance: false, reason: 'below-improvement-threshold' });
    expect(d.variances?.[0]).toMatchObject({ current: 1600, estimate: 1225 });
    expect(lb.state().assignment).toEqual(NEAR);
  });

  it('rebalances the same case with a 20 % threshold, and exactly at the threshold', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: NEAR, startNs: 0, improvementThreshold: 0.2 });
    expect(run(lb, 10, Array(6).fill(HOT))[5].rebalance).toBe(true);
    const exact = createAutoLb({
      pmds: PMDS,
      assignment: NEAR,
      startNs: 0,
      improvementThreshold: 375 / 1600,
    });
    expect(run(exact, 10, Array(6).fill(HOT))[5].rebalance).toBe(true);
  });

  it('does nothing with roundrobin assignment', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, startNs: 0, mode: 'roundrobin' });
    expect(run(lb, 10, Array(6).fill(HOT))[5]).toMatchObject({ rebalance: false, reason: 'roundrobin' });
  });

  it('needs two PMDs and one PMD polling more than one rxq', () => {
    const one = createAutoLb({ pmds: [PMDS[0]], assignment: ALL_ON_0, startNs: 0 });
    expect(run(one, 10, Array(6).fill([0.99]))[5].reason).toBe('not-enough-pmds-or-rxqs');
    const rxqs = RXQS.slice(0, 2);
    const single = createAutoLb({
      pmds: PMDS,
      assignment: new Map([
        [0, 0],
        [1, 1],
      ]),
      startNs: 0,
    });
    expect(run(single, 10, Array(6).fill(HOT), rxqs)[5].reason).toBe('not-enough-pmds-or-rxqs');
  });

  it('uses the group mode for the dry run when configured', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, startNs: 0, mode: 'group' });
    const d = run(lb, 10, Array(6).fill(HOT))[5];
    expect(d.rebalance).toBe(true);
    expect(d.newAssignment).toEqual(assignRxqs(RXQS, PMDS, 'group'));
  });

  it('gives up when the estimate polls cross-NUMA and PMDs span several nodes', () => {
    const pmds: PmdThread[] = [
      { id: 0, core: 2, numa: 0 },
      { id: 1, core: 4, numa: 0 },
      { id: 2, core: 20, numa: 1 },
    ];
    // rxq 4 lives on node 2, which has no PMD → polled from another node.
    const rxqs = [...RXQS, { id: 4, cycles: 1, numa: 2 }];
    const assignment = new Map([...ALL_ON_0, [4, 2]]);
    const lb = createAutoLb({ pmds, assignment, startNs: 0 });
    const d = run(lb, 10, Array(6).fill([0.99, 0.2, 0.1]), rxqs)[5];
    expect(d).toMatchObject({ rebalance: false, reason: 'cross-numa' });
  });

  it('allows cross-NUMA polling when every PMD is on one node', () => {
    const rxqs = RXQS.map((q) => ({ ...q, numa: 1 }));
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, startNs: 0 });
    expect(run(lb, 10, Array(6).fill(HOT), rxqs)[5].rebalance).toBe(true);
  });

  it('rebalances when any one NUMA node improves enough', () => {
    const pmds: PmdThread[] = [...PMDS, { id: 2, core: 20, numa: 1 }, { id: 3, core: 22, numa: 1 }];
    // Node 0 as in ALL_ON_0 (39.5 % better); node 1 already balanced.
    const rxqs = [...RXQS, { id: 4, cycles: 50, numa: 1 }, { id: 5, cycles: 50, numa: 1 }];
    const assignment = new Map([...ALL_ON_0, [4, 2], [5, 3]]);
    const lb = createAutoLb({ pmds, assignment, startNs: 0 });
    const d = run(lb, 10, Array(6).fill([0.99, 0.2, 0.5, 0.5]), rxqs)[5];
    expect(d.rebalance).toBe(true);
    expect(d.variances?.map((v) => v.improvement)).toEqual([800 / 2025, 0]);
  });
});

describe('inputs', () => {
  it('rejects time going backwards and a busy array of the wrong length', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0 });
    lb.sample(20 * S, HOT, RXQS);
    expect(() => lb.sample(10 * S, HOT, RXQS)).toThrow(/backwards/);
    expect(() => lb.sample(30 * S, [0.5], RXQS)).toThrow(/busy fractions/);
  });

  it('setAssignment replaces the assignment and resets the counters', () => {
    const lb = createAutoLb({ pmds: PMDS, assignment: ALL_ON_0, rebalIntervalNs: 10 * S, startNs: 0 });
    run(lb, 10, Array(5).fill(HOT));
    lb.setAssignment(NEAR);
    expect(lb.state().overloadCount.get(0)).toBe(0);
    expect(lb.state().assignment).toEqual(NEAR);
  });
});
