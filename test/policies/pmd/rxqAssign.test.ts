import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AssignMode,
  assignRxqs,
  type PmdThread,
  pmdLoads,
  pmdRxqCounts,
  type RxqLoad,
  variance,
} from '../../../src/policies/pmd/rxqAssign.ts';

const MODES: AssignMode[] = ['roundrobin', 'cycles', 'group'];

/** The three cores of the pmd.rst examples: 3, 7 and 8 (PMD id = core id). */
const DOC_PMDS: PmdThread[] = [3, 7, 8].map((core) => ({ id: core, core, numa: 0 }));

function rxqsOf(cycles: readonly number[], numa = 0): RxqLoad[] {
  return cycles.map((c, i) => ({ id: i, cycles: c, numa }));
}

function pmdsOf(n: number, numa = 0, firstId = 0): PmdThread[] {
  return Array.from({ length: n }, (_, i) => ({ id: firstId + i, core: 2 * (firstId + i) + 1, numa }));
}

function onPmd(a: Map<number, number>, pmd: number): number[] {
  return [...a].filter(([, p]) => p === pmd).map(([q]) => q);
}

function maxLoad(a: Map<number, number>, rxqs: readonly RxqLoad[], pmds: readonly PmdThread[]): number {
  return Math.max(...pmdLoads(a, rxqs, pmds).values());
}

function spread(m: Map<number, number>): number {
  const v = [...m.values()];
  return Math.max(...v) - Math.min(...v);
}

describe('pmd.rst worked examples', () => {
  it('cycles: Q1 | Q4 Q5 | Q3 Q0 on cores 3, 7, 8', () => {
    // Queue #0 30 %, #1 80 %, #3 60 %, #4 70 %, #5 10 % (ids are the queue numbers).
    const rxqs = [
      { id: 0, cycles: 30, numa: 0 },
      { id: 1, cycles: 80, numa: 0 },
      { id: 3, cycles: 60, numa: 0 },
      { id: 4, cycles: 70, numa: 0 },
      { id: 5, cycles: 10, numa: 0 },
    ];
    const a = assignRxqs(rxqs, DOC_PMDS, 'cycles');
    expect(onPmd(a, 3)).toEqual([1]);
    expect(onPmd(a, 7).sort()).toEqual([4, 5]);
    expect(onPmd(a, 8).sort()).toEqual([0, 3]);
  });

  it('group: Q1 | Q4 | Q3 Q0 Q5 on cores 3, 7, 8', () => {
    const rxqs = [
      { id: 0, cycles: 10, numa: 0 },
      { id: 1, cycles: 80, numa: 0 },
      { id: 3, cycles: 50, numa: 0 },
      { id: 4, cycles: 70, numa: 0 },
      { id: 5, cycles: 10, numa: 0 },
    ];
    const a = assignRxqs(rxqs, DOC_PMDS, 'group');
    expect(onPmd(a, 3)).toEqual([1]);
    expect(onPmd(a, 7)).toEqual([4]);
    expect(onPmd(a, 8).sort()).toEqual([0, 3, 5]);
  });

  it('roundrobin: P0Q0 P1Q1 | P0Q1 P1Q2 | P1Q0 in port/queue order', () => {
    const names = ['P0Q0', 'P0Q1', 'P1Q0', 'P1Q1', 'P1Q2'];
    const a = assignRxqs(rxqsOf([0, 0, 0, 0, 0]), DOC_PMDS, 'roundrobin');
    const named = (core: number) => onPmd(a, core).map((q) => names[q]);
    expect(named(3)).toEqual(['P0Q0', 'P1Q1']);
    expect(named(7)).toEqual(['P0Q1', 'P1Q2']);
    expect(named(8)).toEqual(['P1Q0']);
  });
});

describe('roundrobin', () => {
  it('spreads counts evenly, extra rxqs going to the lowest cores first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat({ max: 10_000 }), { maxLength: 60 }),
        (m, cycles) => {
          const pmds = pmdsOf(m);
          const rxqs = rxqsOf(cycles);
          const a = assignRxqs(rxqs, pmds, 'roundrobin');
          expect(a.size).toBe(rxqs.length);
          const counts = pmdRxqCounts(a, pmds);
          pmds.forEach((p, i) => {
            expect(counts.get(p.id)).toBe(Math.floor(rxqs.length / m) + (i < rxqs.length % m ? 1 : 0));
          });
          // rxq i goes to the i mod m-th PMD in core order, whatever its cycles.
          rxqs.forEach((q, i) => {
            expect(a.get(q.id)).toBe(pmds[i % m].id);
          });
        },
      ),
    );
  });

  it('orders PMDs by core id, not by the order they are given in', () => {
    const pmds = [
      { id: 10, core: 9, numa: 0 },
      { id: 11, core: 1, numa: 0 },
      { id: 12, core: 5, numa: 0 },
    ];
    const a = assignRxqs(rxqsOf([1, 1, 1, 1]), pmds, 'roundrobin');
    expect([...a.values()]).toEqual([11, 12, 10, 11]);
  });
});

describe('cycles', () => {
  it('walks the cores up and down, repeating the ends: 1,2,3,3,2,1,1,2', () => {
    const a = assignRxqs(rxqsOf([80, 70, 60, 50, 40, 30, 20, 10]), pmdsOf(3), 'cycles');
    expect([...a.values()]).toEqual([0, 1, 2, 2, 1, 0, 0, 1]);
  });

  it('sorts by cycles descending and keeps the input order on ties', () => {
    const a = assignRxqs(rxqsOf([5, 9, 5, 9]), pmdsOf(2), 'cycles');
    // Order: q1 (9), q3 (9), q0 (5), q2 (5) → PMDs 0, 1, 1, 0.
    expect(a.get(1)).toBe(0);
    expect(a.get(3)).toBe(1);
    expect(a.get(0)).toBe(1);
    expect(a.get(2)).toBe(0);
  });

  it('balances measured load better than roundrobin on fixed skewed inputs', () => {
    const cases: { cycles: number[]; m: number }[] = [
      // Heavy queues land at the same roundrobin position.
      { cycles: [900, 10, 800, 20, 700, 30, 600, 40], m: 2 },
      { cycles: [1000, 5, 5, 950, 5, 5, 900, 5, 5], m: 3 },
      // Two ports of three queues, each with one busy queue 0.
      { cycles: [900, 50, 50, 900, 50, 50], m: 3 },
      { cycles: [100, 0, 0, 0, 100, 0, 0, 0, 100, 0, 0, 0], m: 4 },
    ];
    for (const { cycles, m } of cases) {
      const pmds = pmdsOf(m);
      const rxqs = rxqsOf(cycles);
      const vCycles = variance(pmdLoads(assignRxqs(rxqs, pmds, 'cycles'), rxqs, pmds));
      const vRr = variance(pmdLoads(assignRxqs(rxqs, pmds, 'roundrobin'), rxqs, pmds));
      expect(vCycles).toBeLessThan(vRr);
    }
  });

  it('balances measured load better than roundrobin when heavy queues share a roundrobin slot (property)', () => {
    // Skewed input: k heavy rxqs (≥ 1000 cycles) at every m-th position, light ones (≤ 10) between them,
    // so roundrobin stacks every heavy rxq on the first PMD. (On arbitrary inputs roundrobin can be luckier
    // than cycles, so the property is stated for this skewed family only.)
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc
          .integer({ min: 2, max: 12 })
          .chain((k) =>
            fc.tuple(
              fc.array(fc.integer({ min: 1000, max: 2000 }), { minLength: k, maxLength: k }),
              fc.array(fc.nat({ max: 10 }), { minLength: k * 5, maxLength: k * 5 }),
            ),
          ),
        (m, [heavy, light]) => {
          const cycles: number[] = [];
          heavy.forEach((h, i) => {
            cycles.push(h, ...light.slice(i * (m - 1), (i + 1) * (m - 1)));
          });
          const pmds = pmdsOf(m);
          const rxqs = rxqsOf(cycles);
          const vCycles = variance(pmdLoads(assignRxqs(rxqs, pmds, 'cycles'), rxqs, pmds));
          const vRr = variance(pmdLoads(assignRxqs(rxqs, pmds, 'roundrobin'), rxqs, pmds));
          expect(vCycles).toBeLessThan(vRr);
        },
      ),
    );
  });

  it('keeps per-PMD rxq counts within 1 of each other on every NUMA node (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ cycles: fc.nat({ max: 1_000_000 }), numa: fc.nat({ max: 2 }) }), {
          maxLength: 80,
        }),
        (pmdsPerNode, qs) => {
          const pmds = pmdsPerNode.flatMap((n, numa) => pmdsOf(n, numa, numa * 10));
          const rxqs = qs.map((q, id) => ({ id, ...q }));
          // Only rxqs whose node has PMDs, so the per-node constraint is the whole story.
          const local = rxqs.filter((q) => q.numa < pmdsPerNode.length);
          const a = assignRxqs(local, pmds, 'cycles');
          pmdsPerNode.forEach((_, numa) => {
            const nodePmds = pmds.filter((p) => p.numa === numa);
            expect(spread(pmdRxqCounts(a, nodePmds))).toBeLessThanOrEqual(1);
          });
        },
      ),
    );
  });
});

describe('group', () => {
  it('has the lowest max load of the three modes on fixed skewed inputs', () => {
    const cases: { cycles: number[]; m: number }[] = [
      { cycles: [10, 80, 50, 70, 10], m: 3 }, // pmd.rst group example
      { cycles: [900, 10, 800, 20, 700, 30, 600, 40], m: 2 },
      { cycles: [1000, 5, 5, 950, 5, 5, 900, 5, 5], m: 3 },
      { cycles: [5000, 100, 100, 100, 100, 100, 100], m: 3 },
      { cycles: [60, 50, 40, 30, 30, 30, 20, 10], m: 3 },
    ];
    for (const { cycles, m } of cases) {
      const pmds = pmdsOf(m);
      const rxqs = rxqsOf(cycles);
      const g = maxLoad(assignRxqs(rxqs, pmds, 'group'), rxqs, pmds);
      expect(g).toBeLessThanOrEqual(maxLoad(assignRxqs(rxqs, pmds, 'cycles'), rxqs, pmds));
      expect(g).toBeLessThanOrEqual(maxLoad(assignRxqs(rxqs, pmds, 'roundrobin'), rxqs, pmds));
    }
    // And strictly lower than cycles where cycles' equal-count rule hurts.
    const pmds = pmdsOf(3);
    const rxqs = rxqsOf([5000, 100, 100, 100, 100, 100, 100]);
    expect(maxLoad(assignRxqs(rxqs, pmds, 'group'), rxqs, pmds)).toBe(5000);
    expect(maxLoad(assignRxqs(rxqs, pmds, 'cycles'), rxqs, pmds)).toBe(5200); // snake 0,1,2,2,1,0,0
  });

  it('with one elephant rxq (≥ all others together) reaches the optimal max load, below cycles and roundrobin (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.nat({ max: 1000 }), { maxLength: 30 }),
        fc.nat({ max: 1000 }),
        fc.nat({ max: 30 }),
        (m, others, extra, at) => {
          const rest = others.reduce((s, x) => s + x, 0);
          const cycles = [...others];
          cycles.splice(at % (others.length + 1), 0, rest + extra); // the elephant, anywhere
          const pmds = pmdsOf(m);
          const rxqs = rxqsOf(cycles);
          const g = maxLoad(assignRxqs(rxqs, pmds, 'group'), rxqs, pmds);
          expect(g).toBe(rest + extra); // no schedule can do better than the elephant alone
          expect(g).toBeLessThanOrEqual(maxLoad(assignRxqs(rxqs, pmds, 'cycles'), rxqs, pmds));
          expect(g).toBeLessThanOrEqual(maxLoad(assignRxqs(rxqs, pmds, 'roundrobin'), rxqs, pmds));
        },
      ),
    );
  });

  it('is within the LPT bound of the best of the other two modes on any input (property)', () => {
    // group is Graham's LPT rule, so max ≤ (4/3 − 1/(3m))·OPT, and OPT ≤ any mode's max load.
    // (It is NOT always the lowest of the three: on ~1 % of random inputs cycles is slightly better.)
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat({ max: 100_000 }), { maxLength: 40 }),
        (m, cycles) => {
          const pmds = pmdsOf(m);
          const rxqs = rxqsOf(cycles);
          const g = maxLoad(assignRxqs(rxqs, pmds, 'group'), rxqs, pmds);
          const best = Math.min(
            maxLoad(assignRxqs(rxqs, pmds, 'cycles'), rxqs, pmds),
            maxLoad(assignRxqs(rxqs, pmds, 'roundrobin'), rxqs, pmds),
          );
          expect(g).toBeLessThanOrEqual((4 / 3 - 1 / (3 * m)) * best + 1e-9);
          // Graham's list-scheduling bound.
          const sum = cycles.reduce((s, x) => s + x, 0);
          expect(g).toBeLessThanOrEqual(sum / m + (1 - 1 / m) * Math.max(0, ...cycles) + 1e-9);
        },
      ),
    );
  });

  it('places rxqs without measured cycles on the PMD with the fewest rxqs', () => {
    const a = assignRxqs(rxqsOf([100, 0, 0, 0]), pmdsOf(2), 'group');
    // q0 → PMD 0 (load 100). Zero-cycle rxqs compare rxq counts: q1 → PMD 1 (1 vs 0), q2 → PMD 0 (1 vs 1,
    // tie → lower core), q3 → PMD 1 (2 vs 1).
    expect([...a.values()]).toEqual([0, 1, 0, 1]);
  });

  it('breaks equal loads towards the lowest core', () => {
    const pmds = [
      { id: 1, core: 8, numa: 0 },
      { id: 2, core: 3, numa: 0 },
    ];
    const a = assignRxqs(rxqsOf([10, 10]), pmds, 'group');
    expect(a.get(0)).toBe(2);
    expect(a.get(1)).toBe(1);
  });
});

describe('NUMA', () => {
  it('keeps every rxq on its own node when that node has PMDs, for every mode (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODES),
        fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ cycles: fc.nat({ max: 1_000_000 }), numa: fc.nat({ max: 3 }) }), {
          maxLength: 60,
        }),
        (mode, pmdsPerNode, qs) => {
          const pmds = pmdsPerNode.flatMap((n, numa) => pmdsOf(n, numa, numa * 10));
          const rxqs = qs.map((q, id) => ({ id, ...q }));
          const a = assignRxqs(rxqs, pmds, mode);
          const numaOf = new Map(pmds.map((p) => [p.id, p.numa]));
          for (const q of rxqs) {
            if (pmds.length === 0) {
              expect(a.has(q.id)).toBe(false);
            } else if (pmds.some((p) => p.numa === q.numa)) {
              expect(numaOf.get(a.get(q.id) ?? -1)).toBe(q.numa);
            } else {
              expect(a.has(q.id)).toBe(true); // polled cross-NUMA rather than not at all
            }
          }
        },
      ),
    );
  });

  it('falls back to other nodes in rotation when the rxq node has no PMD', () => {
    const pmds = [...pmdsOf(1, 0, 0), ...pmdsOf(1, 1, 10)];
    const a = assignRxqs(rxqsOf([1, 1, 1, 1], 2), pmds, 'roundrobin');
    expect([...a.values()]).toEqual([0, 10, 0, 10]);
  });

  it('with crossNuma, pools every PMD regardless of node', () => {
    const pmds = [...pmdsOf(1, 0, 0), ...pmdsOf(1, 1, 10)];
    const rxqs = rxqsOf([100, 90, 10, 5], 0);
    expect(new Set(assignRxqs(rxqs, pmds, 'group').values())).toEqual(new Set([0]));
    const pooled = assignRxqs(rxqs, pmds, 'group', { crossNuma: true });
    expect(pmdLoads(pooled, rxqs, pmds)).toEqual(
      new Map([
        [0, 105],
        [10, 100],
      ]),
    );
  });
});

describe('helpers', () => {
  it('pmdLoads lists idle PMDs with 0 when given the PMDs', () => {
    const a = new Map([
      [0, 1],
      [1, 1],
    ]);
    expect(pmdLoads(a, rxqsOf([3, 4]), pmdsOf(3))).toEqual(
      new Map([
        [0, 0],
        [1, 7],
        [2, 0],
      ]),
    );
    expect(pmdLoads(a, rxqsOf([3, 4]))).toEqual(new Map([[1, 7]]));
  });

  it('variance is the population variance', () => {
    expect(variance([])).toBe(0);
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBe(4);
    expect(
      variance(
        new Map([
          [0, 80],
          [1, 10],
        ]),
      ),
    ).toBe(1225);
  });

  it('rejects duplicate ids and invalid cycles', () => {
    expect(() =>
      assignRxqs(
        rxqsOf([1, 1]).map((q) => ({ ...q, id: 0 })),
        pmdsOf(1),
        'cycles',
      ),
    ).toThrow(/duplicate/);
    expect(() => assignRxqs(rxqsOf([-1]), pmdsOf(1), 'cycles')).toThrow(/invalid cycles/);
    expect(() => assignRxqs([], [...pmdsOf(1), ...pmdsOf(1)], 'cycles')).toThrow(/duplicate pmd/);
  });
});
