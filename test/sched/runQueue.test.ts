import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopologySpec } from '../../src/model/topology.ts';
import { llcDomainIndex } from '../../src/sched/domains.ts';
import { countIdleByLlc, enqueue, isIdle, setCurr, takeQueued } from '../../src/sched/runQueue.ts';
import { selectIdleSibling } from '../../src/sched/selectCpu.ts';
import { addTask, occupy, schedState, type TestState } from './helpers.ts';

/** Small hosts whose LLC domain is the MC level, the SMT level (one core per cache), or absent (one CPU). */
const shapes: TopologySpec[] = [
  { sockets: 2, coresPerSocket: 4, coresPerLlc: 2, threadsPerCore: 2 },
  { sockets: 1, coresPerSocket: 3, coresPerLlc: 1, threadsPerCore: 2 },
  { sockets: 1, coresPerSocket: 5, coresPerLlc: 2 }, // the last cache holds one CPU: no sd_llc
];

/** By definition: for each CPU, the idle run queues of the span select_idle_sibling() scans, or null. */
function recount(s: TestState): (number | null)[] {
  return s.rqs.map((rq) => {
    const chain = s.domains[rq.cpu];
    const d = llcDomainIndex(chain);
    return d < 0 ? null : chain[d].span.filter((c) => isIdle(s.rqs[c])).length;
  });
}

const counts = (s: TestState) => s.rqs.map((rq) => rq.llcIdle?.idle ?? null);

type Op = { kind: 'curr' | 'enqueue' | 'take'; cpu: number; arg: number };
const op = fc.record({
  kind: fc.constantFrom<Op['kind']>('curr', 'enqueue', 'take'),
  cpu: fc.nat(15),
  arg: fc.integer({ min: -1, max: 7 }),
});

describe('the idle count of each last-level cache', () => {
  it('property: equals the number of idle run queues of the LLC span after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...shapes), fc.array(op, { maxLength: 60 }), (shape, ops) => {
        const s = schedState(shape);
        expect(counts(s)).toEqual(recount(s));
        for (const { kind, cpu: c, arg } of ops) {
          const rq = s.rqs[c % s.rqs.length];
          if (kind === 'curr') setCurr(rq, arg);
          else if (kind === 'enqueue') enqueue(rq, Math.max(arg, 0));
          else if (rq.queue.length > 0) takeQueued(rq, (arg + 1) % rq.queue.length);
          expect(counts(s)).toEqual(recount(s));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is one count per cache, shared by its CPUs, and counts the state it is attached to', () => {
    const s = schedState({ sockets: 1, coresPerSocket: 4, coresPerLlc: 2 });
    expect(s.rqs[0].llcIdle).toBe(s.rqs[1].llcIdle);
    expect(s.rqs[0].llcIdle).not.toBe(s.rqs[2].llcIdle);
    occupy(s.rqs, s.tasks, 3);
    countIdleByLlc(s.rqs, s.domains);
    expect(counts(s)).toEqual([2, 2, 1, 1]);
  });
});

describe('select_idle_sibling() with the idle count', () => {
  /** The same call with no count kept: the plain scan of 3.6. */
  const scanned = (s: TestState, run: () => number): number => {
    const kept = s.rqs.map((rq) => rq.llcIdle);
    for (const rq of s.rqs) rq.llcIdle = null;
    const cpu = run();
    s.rqs.forEach((rq, i) => {
      rq.llcIdle = kept[i];
    });
    return cpu;
  };

  it('a fully busy cache (count zero) gives the target, as the scan does', () => {
    const s = schedState({ sockets: 2, coresPerSocket: 4 });
    for (const cpu of [0, 1, 2, 3]) occupy(s.rqs, s.tasks, cpu);
    const t = addTask(s.tasks, 1);
    expect(s.rqs[1].llcIdle?.idle).toBe(0);
    expect(selectIdleSibling(t, 1, 5, 1, s)).toBe(1);
    expect(scanned(s, () => selectIdleSibling(t, 1, 5, 1, s))).toBe(1);
  });

  it('exactly one idle CPU: found, refused by affinity, or not a whole core; as the scan does', () => {
    const s = schedState({ sockets: 1, coresPerSocket: 4 });
    for (const cpu of [0, 1, 3]) occupy(s.rqs, s.tasks, cpu);
    expect(s.rqs[0].llcIdle?.idle).toBe(1);
    const free = addTask(s.tasks, 0);
    expect(selectIdleSibling(free, 0, 3, 0, s)).toBe(2);
    expect(scanned(s, () => selectIdleSibling(free, 0, 3, 0, s))).toBe(2);
    const pinned = addTask(s.tasks, 0, { allowed: [0, 1, 3] });
    expect(selectIdleSibling(pinned, 0, 3, 0, s)).toBe(0);
    expect(scanned(s, () => selectIdleSibling(pinned, 0, 3, 0, s))).toBe(0);
    // SMT: the one idle thread is of another busy core, so no group is all idle (count 1, answer the target).
    const smt = schedState({ sockets: 1, coresPerSocket: 4, threadsPerCore: 2 });
    for (let cpu = 0; cpu < 8; cpu++) if (cpu !== 6) occupy(smt.rqs, smt.tasks, cpu);
    expect(smt.rqs[0].llcIdle?.idle).toBe(1);
    const t = addTask(smt.tasks, 0);
    expect(selectIdleSibling(t, 0, 3, 0, smt)).toBe(0);
    expect(scanned(smt, () => selectIdleSibling(t, 0, 3, 0, smt))).toBe(0);
  });

  it('property: the same answer as the plain scan on any occupancy, target and affinity', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...shapes),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 16, maxLength: 16 }),
        fc.nat(15),
        fc.nat(15),
        fc.option(fc.uniqueArray(fc.nat(15), { minLength: 1, maxLength: 6 })),
        fc.boolean(),
        (shape, loadOf, a, b, allowed, affine) => {
          const s = schedState(shape);
          const n = s.rqs.length;
          s.rqs.forEach((_, cpu) => {
            if (loadOf[cpu] > 0) occupy(s.rqs, s.tasks, cpu, loadOf[cpu] - 1);
          });
          const t = addTask(s.tasks, b % n, { allowed: allowed?.map((c) => c % n) ?? null });
          const [thisCpu, prev] = [a % n, b % n];
          const target = affine ? thisCpu : prev;
          const got = selectIdleSibling(t, target, thisCpu, prev, s);
          expect(got).toBe(scanned(s, () => selectIdleSibling(t, target, thisCpu, prev, s)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
