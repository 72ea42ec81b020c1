import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moveWaiting } from '../../src/sched/cfs.ts';
import { nrRunning } from '../../src/sched/cpuLoad.ts';
import { type BalanceCounters, loadBalance, rebalanceDomains, taskHot } from '../../src/sched/loadBalance.ts';
import { isIdle } from '../../src/sched/runQueue.ts';
import { allowedOn } from '../../src/sched/task.ts';
import { MIGRATION_COST_NS, occupy, schedState, type TestState } from './helpers.ts';

const counters = (): BalanceCounters => ({ moves: 0, cacheHotRefusals: 0 });
const mover = (s: TestState) => (from: number, index: number, to: number) =>
  moveWaiting(s.tasks, s.rqs[from], index, s.rqs[to]);

describe('load_balance()', () => {
  it('an idle CPU pulls a waiting task from an overloaded CPU of its LLC', () => {
    const s = schedState();
    s.nowNs = 10_000_000;
    occupy(s.rqs, s.tasks, 1, 2);
    for (const t of s.tasks) t.lastRanNs = 0; // cold
    const c = counters();
    const r = loadBalance(0, s.domains[0][0], 'idle', s, c, mover(s));
    expect(r.moved).toBe(1);
    expect(s.rqs[0].queue).toHaveLength(1);
    expect(c.moves).toBe(1);
  });

  it('keeps a cache-hot task until balancing failed more than cache_nice_tries times', () => {
    const s = schedState();
    s.nowNs = 10_000_000;
    occupy(s.rqs, s.tasks, 1, 1);
    s.tasks[1].lastRanNs = s.nowNs - MIGRATION_COST_NS / 2; // ran 250 µs ago
    expect(taskHot(s.tasks[1], s.nowNs, MIGRATION_COST_NS)).toBe(true);
    const mc = s.domains[0][0];
    const c = counters();
    expect(loadBalance(0, mc, 'idle', s, c, mover(s)).moved).toBe(0); // cache_nice_tries = 1
    expect(loadBalance(0, mc, 'idle', s, c, mover(s)).moved).toBe(0);
    expect(c.cacheHotRefusals).toBe(2);
    expect(mc.nrBalanceFailed).toBe(2);
    expect(loadBalance(0, mc, 'idle', s, c, mover(s)).moved).toBe(1); // 2 failures > 1: moved anyway
    expect(mc.nrBalanceFailed).toBe(0);
    s.balance.cacheHot = false;
    occupy(s.rqs, s.tasks, 2, 1);
    s.tasks[s.tasks.length - 1].lastRanNs = s.nowNs;
    expect(loadBalance(3, s.domains[3][0], 'idle', s, c, mover(s)).moved).toBe(1);
  });

  it('a balanced domain doubles its interval up to max_interval; only the first idle CPU of a group balances', () => {
    const s = schedState();
    const [mc, numa] = s.domains[0];
    for (let k = 0; k < 4; k++) loadBalance(0, mc, 'idle', s, counters(), mover(s));
    expect(mc.balanceIntervalMs).toBe(4);
    // NUMA level: CPU 1's local group is socket 0, whose first idle CPU is 0: CPU 1 leaves it to CPU 0.
    expect(loadBalance(1, s.domains[1][1], 'idle', s, counters(), mover(s)).balance).toBe(false);
    expect(loadBalance(0, numa, 'idle', s, counters(), mover(s)).balance).toBe(true);
  });

  it('across sockets: an idle socket pulls from one with more tasks than cores', () => {
    const s = schedState();
    s.nowNs = 100_000_000;
    for (const cpu of [4, 5, 6, 7]) occupy(s.rqs, s.tasks, cpu, 1);
    for (const t of s.tasks) t.lastRanNs = 0;
    const c = counters();
    rebalanceDomains(0, s, c, mover(s));
    expect(c.moves).toBeGreaterThan(0);
    expect(s.rqs[0].queue.length).toBeGreaterThan(0);
  });

  it('property: moves only waiting tasks allowed on the puller, from busier CPUs; nothing is lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 8, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.nat(7),
        fc.boolean(),
        (loadOf, pinned, cpu, hot) => {
          const s = schedState();
          s.nowNs = 50_000_000;
          loadOf.forEach((l, c) => {
            if (l > 0) occupy(s.rqs, s.tasks, c, l - 1);
          });
          s.tasks.forEach((t, i) => {
            t.lastRanNs = hot ? s.nowNs : 0;
            if (pinned[i]) {
              t.allowed = [t.cpu];
              t.cpusMask = Uint8Array.from({ length: 8 }, (_, c) => (c === t.cpu ? 1 : 0));
            }
          });
          const before = s.rqs.map(nrRunning);
          const total = before.reduce((a, b) => a + b, 0);
          const moves: { from: number; tid: number; to: number }[] = [];
          const c = counters();
          rebalanceDomains(cpu, s, c, (from, index, to) => {
            moves.push({ from, tid: s.rqs[from].queue[index], to });
            mover(s)(from, index, to);
          });
          expect(s.rqs.map(nrRunning).reduce((a, b) => a + b, 0)).toBe(total);
          for (const m of moves) {
            expect(m.to).toBe(cpu);
            expect(allowedOn(s.tasks[m.tid], cpu)).toBe(true);
            expect(before[m.from]).toBeGreaterThan(before[cpu]);
            expect(s.tasks[m.tid].state).toBe('runnable');
          }
          expect(c.moves).toBe(moves.length);
          if (isIdle(s.rqs[cpu])) expect(moves).toHaveLength(0);
        },
      ),
      { numRuns: 400 },
    );
  });
});
