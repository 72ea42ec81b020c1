import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTopology } from '../../src/model/topology.ts';
import { DispatchIndex, type DispatchKey, type OwnWorker } from '../../src/policies/dispatchIndex.ts';
import { PerCpuPolicy } from '../../src/policies/perCpu.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import type { VhostWork } from '../../src/vhost/vhostWork.ts';

/** Brute-force reference of the dispatch rule: argmin of (load, lastIdleNs, index), skipping `exclude`. */
class Reference {
  readonly load: number[];
  readonly lastIdleNs: number[];

  constructor(readonly nodeOf: readonly number[]) {
    this.load = nodeOf.map(() => 0);
    this.lastIdleNs = nodeOf.map(() => 0);
  }

  /** With a key: (cpu, load, lastIdle, index) for `cpu`, (load, cpu, lastIdle, index) for `works-then-cpu`. */
  pickBy(node: number, exclude: number, own: OwnWorker, key: DispatchKey, cpu: readonly number[]): number {
    const members = this.nodeOf.flatMap((n, w) => (n === node ? [w] : []));
    const allowed = members.filter(
      (w) =>
        members.length === 1 ||
        w !== exclude ||
        own === 'always' ||
        (own === 'when-idle' && this.load[w] === 0),
    );
    const tuple = (w: number) =>
      key === 'cpu'
        ? [cpu[w], this.load[w], this.lastIdleNs[w], w]
        : key === 'works-then-cpu'
          ? [this.load[w], cpu[w], this.lastIdleNs[w], w]
          : [this.load[w], this.lastIdleNs[w], w];
    const lexLess = (a: number[], b: number[]) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
      return false;
    };
    let best = -1;
    for (const w of allowed) if (best < 0 || lexLess(tuple(w), tuple(best))) best = w;
    return best;
  }

  pick(node: number, exclude: number, own: OwnWorker = 'never'): number {
    const members = this.nodeOf.flatMap((n, w) => (n === node ? [w] : []));
    if (members.length === 0) return -1;
    if (members.length === 1) return members[0];
    // The own worker is a candidate under `always`, and under `when-idle` while it has no work.
    const candidate = (w: number) =>
      w !== exclude || own === 'always' || (own === 'when-idle' && this.load[w] === 0);
    let best = -1;
    for (const w of members) {
      if (!candidate(w)) continue;
      if (
        best < 0 ||
        this.load[w] < this.load[best] ||
        (this.load[w] === this.load[best] && this.lastIdleNs[w] < this.lastIdleNs[best]) ||
        (this.load[w] === this.load[best] && this.lastIdleNs[w] === this.lastIdleNs[best] && w < best)
      )
        best = w;
    }
    return best;
  }
}

type Op = { kind: 'queued' | 'finished'; w: number; dtNs: number };

/** One op on the index and the reference alike; a finish on an unloaded worker becomes a queueing. */
function apply(index: DispatchIndex, ref: Reference, op: Op, nowNs: number): void {
  if (op.kind === 'finished' && ref.load[op.w] > 0) {
    index.finished(op.w, nowNs);
    ref.load[op.w]--;
    ref.lastIdleNs[op.w] = nowNs;
  } else {
    index.queued(op.w);
    ref.load[op.w]++;
  }
}

const scenarioArb = fc
  .integer({ min: 1, max: 4 })
  .chain((nodes) =>
    fc.record({
      nodes: fc.constant(nodes),
      nodeOf: fc.array(fc.integer({ min: 0, max: nodes - 1 }), { minLength: 1, maxLength: 12 }),
    }),
  )
  .chain(({ nodes, nodeOf }) =>
    fc.record({
      nodes: fc.constant(nodes),
      nodeOf: fc.constant(nodeOf),
      ops: fc.array(
        fc.record({
          kind: fc.constantFrom<Op['kind']>('queued', 'finished'),
          w: fc.integer({ min: 0, max: nodeOf.length - 1 }),
          // Small steps so that equal lastIdleNs (the index tie-break) happens often.
          dtNs: fc.integer({ min: 0, max: 3 }),
        }),
        { maxLength: 200 },
      ),
    }),
  );

describe('DispatchIndex', () => {
  it('pick(node, exclude) equals the brute-force argmin of (load, lastIdleNs, index) after every op', () => {
    fc.assert(
      fc.property(scenarioArb, ({ nodes, nodeOf, ops }) => {
        const index = new DispatchIndex(nodeOf, nodes);
        const ref = new Reference(nodeOf);
        let nowNs = 0;
        const check = () => {
          for (let node = 0; node < nodes; node++) {
            // Every worker of the node as the excluded one, plus "no exclusion" (-1) and a foreign worker.
            const excludes = [-1, ...nodeOf.map((_, w) => w)];
            for (const ex of excludes) {
              for (const own of ['never', 'when-idle', 'always'] as const) {
                const before = index.busyPicks;
                const w = index.pick(node, ex, own);
                expect(w, `node ${node} exclude ${ex} ${own}`).toBe(ref.pick(node, ex, own));
                // A busy pick: the chosen worker has work while some worker of the node has none.
                const idleThere = nodeOf.some((n, x) => n === node && ref.load[x] === 0);
                const busy = w >= 0 && ref.load[w] > 0 && idleThere;
                expect(index.busyPicks - before).toBe(busy ? 1 : 0);
              }
            }
          }
          for (let w = 0; w < nodeOf.length; w++) expect(index.loadOf(w)).toBe(ref.load[w]);
        };
        check();
        for (const op of ops) {
          nowNs += op.dtNs;
          apply(index, ref, op, nowNs);
          check();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pickBy(node, exclude, own, key, cpu load) equals the brute-force argmin of its key after every op', () => {
    const withCpu = scenarioArb.chain((sc) =>
      fc.record({
        sc: fc.constant(sc),
        // Run-queue lengths per op: small, so that ties at every level of the key happen often.
        cpus: fc.array(
          fc.array(fc.integer({ min: 0, max: 2 }), {
            minLength: sc.nodeOf.length,
            maxLength: sc.nodeOf.length,
          }),
          {
            minLength: sc.ops.length + 1,
            maxLength: sc.ops.length + 1,
          },
        ),
      }),
    );
    fc.assert(
      fc.property(withCpu, ({ sc: { nodes, nodeOf, ops }, cpus }) => {
        const index = new DispatchIndex(nodeOf, nodes);
        const ref = new Reference(nodeOf);
        let nowNs = 0;
        const check = (cpu: number[]) => {
          for (let node = 0; node < nodes; node++) {
            for (const ex of [-1, ...nodeOf.map((_, w) => w)]) {
              for (const own of ['never', 'when-idle', 'always'] as const) {
                for (const key of ['cpu', 'works-then-cpu'] as const) {
                  const before = index.busyPicks;
                  const w = index.pickBy(node, ex, own, key, (x) => cpu[x]);
                  expect(w, `node ${node} exclude ${ex} ${own} ${key}`).toBe(
                    ref.pickBy(node, ex, own, key, cpu),
                  );
                  const idleThere = nodeOf.some((n, x) => n === node && ref.load[x] === 0);
                  expect(index.busyPicks - before).toBe(w >= 0 && ref.load[w] > 0 && idleThere ? 1 : 0);
                }
              }
              // The heap's pick is the same brute force with the works key.
              expect(index.pick(node, ex)).toBe(ref.pickBy(node, ex, 'never', 'works', cpu));
            }
          }
        };
        check(cpus[0]);
        ops.forEach((op, i) => {
          nowNs += op.dtNs;
          apply(index, ref, op, nowNs);
          check(cpus[i + 1]);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('counts one pick per call and never returns a worker of another node', () => {
    const index = new DispatchIndex([0, 1, 0, 1], 2);
    expect(index.pick(0, 0)).toBe(2);
    expect(index.pick(1, -1)).toBe(1);
    expect(index.pick(1, 1)).toBe(3);
    expect(index.picks).toBe(3);
  });
});

describe('PerCpuPolicy.selectWorker', () => {
  const work = (vm: number): VhostWork => ({
    wid: 0,
    vm,
    dev: 0,
    dir: 'tx',
    vq: 0,
    queued: false,
    worker: -1,
    queuedAtNs: 0,
    backlogged: false,
  });

  it("picks a worker on the queueing CPU's node, never the queueing CPU's own when the node has another", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.record({
            fromCpu: fc.nat(),
            finishOne: fc.boolean(),
            dtNs: fc.integer({ min: 0, max: 1000 }),
          }),
          { maxLength: 150 },
        ),
        (sockets, coresPerSocket, steps) => {
          const topo = buildTopology({ sockets, coresPerSocket, ghz: 2 });
          const policy = new PerCpuPolicy();
          const workers = policy.createWorkers({ topo, scenario: defaultScenario(), slots: 1 });
          expect(workers).toHaveLength(topo.cpus);
          workers.forEach((spec, w) => {
            expect(spec.allowed).toEqual([w]);
            expect(spec.vm).toBe(-1);
          });
          const outstanding: number[] = [];
          let nowNs = 0;
          for (const step of steps) {
            nowNs += step.dtNs;
            if (step.finishOne && outstanding.length > 0) {
              policy.workFinished(outstanding.shift() as number, nowNs);
              continue;
            }
            const from = step.fromCpu % topo.cpus;
            const w = policy.selectWorker(work(0), from);
            expect(topo.nodeOf[w]).toBe(topo.nodeOf[from]);
            if (topo.cpusOf[topo.nodeOf[from]].length > 1) expect(w).not.toBe(from);
            else expect(w).toBe(from);
            outstanding.push(w);
          }
          expect(policy.picks).toBe(steps.length - countFinishes(steps));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('spreads simultaneous works over the idle workers of the node before doubling up', () => {
    const topo = buildTopology({ sockets: 2, coresPerSocket: 4, ghz: 2 });
    const policy = new PerCpuPolicy();
    policy.createWorkers({ topo, scenario: defaultScenario(), slots: 1 });
    const picked = [0, 1, 2].map(() => policy.selectWorker(work(0), 0));
    expect(new Set(picked)).toEqual(new Set([1, 2, 3]));
    // All three other workers of node 0 are loaded; the fourth pick goes to one of them, never to CPU 0.
    expect([1, 2, 3]).toContain(policy.selectWorker(work(0), 0));
  });
});

/** Finishes that really happen in the step list above (only when something is outstanding). */
function countFinishes(steps: { finishOne: boolean }[]): number {
  let outstanding = 0;
  let finishes = 0;
  for (const s of steps) {
    if (s.finishOne && outstanding > 0) {
      outstanding--;
      finishes++;
    } else outstanding++;
  }
  return finishes;
}

describe('the pathology metric', () => {
  it('with the own worker excluded, a pick passes over the idle own worker and counts it', () => {
    // Node of 2 workers: w1 busy, w0 idle. A work queued from CPU 0 goes to w1 under `never`.
    const index = new DispatchIndex([0, 0], 1);
    index.queued(1);
    expect(index.pick(0, 0, 'never')).toBe(1);
    expect(index.busyPicks).toBe(1);
    // Allowed when idle, or always: the idle own worker takes it, and nothing is counted.
    expect(index.pick(0, 0, 'when-idle')).toBe(0);
    expect(index.pick(0, 0, 'always')).toBe(0);
    expect(index.busyPicks).toBe(1);
    // Once the own worker has work too, `when-idle` excludes it again; no worker is idle: not counted.
    index.queued(0);
    expect(index.pick(0, 0, 'when-idle')).toBe(1);
    expect(index.busyPicks).toBe(1);
  });
});
