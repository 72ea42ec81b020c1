import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPull, recordIdle } from '../../src/sched/idleBalance.ts';
import { enqueue } from '../../src/sched/runQueue.ts';
import { allowedOn } from '../../src/sched/task.ts';
import { addTask, fill, host, MIGRATION_COST_NS, occupy } from './helpers.ts';

describe('findPull (new-idle balancing)', () => {
  it('is gated by the average idle period: no pull when avgIdle < migration cost', () => {
    const { rqs, tasks } = host();
    occupy(rqs, tasks, 1, 3);
    rqs[0].avgIdleNs = MIGRATION_COST_NS - 1;
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toBeNull();
    rqs[0].avgIdleNs = MIGRATION_COST_NS;
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toEqual({ from: 1, index: 0 });
  });

  it('returns null when no other run queue has a waiting task', () => {
    const { rqs, tasks } = host();
    occupy(rqs, tasks, 1);
    occupy(rqs, tasks, 6);
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toBeNull();
  });

  it('prefers a waiting task on the same node over a longer queue on the other node', () => {
    const { rqs, tasks } = host();
    occupy(rqs, tasks, 5, 4);
    occupy(rqs, tasks, 2, 1);
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toEqual({ from: 2, index: 0 });
  });

  it('among queues of the same locality, takes the longest', () => {
    const { rqs, tasks } = host();
    occupy(rqs, tasks, 1, 1);
    occupy(rqs, tasks, 3, 2);
    occupy(rqs, tasks, 2, 1);
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toEqual({ from: 3, index: 0 });
  });

  it('crosses sockets when its own node has nothing to give', () => {
    const { rqs, tasks } = host();
    occupy(rqs, tasks, 6, 2);
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toEqual({ from: 6, index: 0 });
  });

  it('respects affinity: skips pinned tasks, takes the first one allowed here', () => {
    const { rqs, tasks } = host();
    occupy(rqs, tasks, 1);
    const pinned = addTask(tasks, 1, { allowed: [1] });
    const free = addTask(tasks, 1);
    pinned.state = 'runnable';
    free.state = 'runnable';
    fill(rqs[1], rqs[1].curr, [pinned.tid, free.tid]);
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toEqual({ from: 1, index: 1 });
    // With only pinned waiters on the local queue, a remote allowed task is taken instead.
    fill(rqs[1], rqs[1].curr, [pinned.tid]);
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toBeNull();
    occupy(rqs, tasks, 7, 1);
    expect(findPull(rqs[0], rqs, tasks, MIGRATION_COST_NS)).toEqual({ from: 7, index: 0 });
  });

  it('property: a pull is from another CPU, of a task allowed here, local when any local one is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.boolean(), { maxLength: 3 }), { minLength: 8, maxLength: 8 }),
        fc.nat(7),
        (queues, self) => {
          const { topo, rqs, tasks } = host();
          queues.forEach((pinnedFlags, cpu) => {
            if (pinnedFlags.length === 0) return;
            occupy(rqs, tasks, cpu);
            for (const pinned of pinnedFlags) {
              const t = addTask(tasks, cpu, { allowed: pinned ? [cpu] : null });
              t.state = 'runnable';
              enqueue(rqs[cpu], t.tid);
            }
          });
          const rq = rqs[self];
          const pull = findPull(rq, rqs, tasks, MIGRATION_COST_NS);
          const candidates = rqs.filter(
            (o) => o.cpu !== self && o.queue.some((tid) => allowedOn(tasks[tid], self)),
          );
          if (candidates.length === 0) {
            expect(pull).toBeNull();
            return;
          }
          expect(pull).not.toBeNull();
          if (pull === null) return;
          expect(pull.from).not.toBe(self);
          const tid = rqs[pull.from].queue[pull.index];
          expect(allowedOn(tasks[tid], self)).toBe(true);
          // The first allowed task of that queue (FIFO within the queue).
          expect(rqs[pull.from].queue.findIndex((x) => allowedOn(tasks[x], self))).toBe(pull.index);
          if (candidates.some((o) => o.node === rq.node)) expect(topo.nodeOf[pull.from]).toBe(rq.node);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('recordIdle', () => {
  it('moves avg_idle 1/8 of the way to the last idle period and caps it at 2x the migration cost', () => {
    const { rqs } = host();
    const rq = rqs[0];
    rq.avgIdleNs = 800_000;
    recordIdle(rq, 0, MIGRATION_COST_NS);
    expect(rq.avgIdleNs).toBe(700_000);
    recordIdle(rq, 100_000_000, MIGRATION_COST_NS);
    expect(rq.avgIdleNs).toBe(2 * MIGRATION_COST_NS);
  });

  it('a core busy with short idle periods stops pulling after a few of them', () => {
    const { rqs, tasks } = host();
    occupy(rqs, tasks, 1, 2);
    const rq = rqs[0];
    let n = 0;
    while (findPull(rq, rqs, tasks, MIGRATION_COST_NS) !== null && n < 100) {
      recordIdle(rq, 10_000, MIGRATION_COST_NS);
      n++;
    }
    // From 2x the cost, 1/8 decay per period: ln(2)/ln(8/7) ≈ 5.2, so the 6th short idle closes the gate.
    expect(n).toBe(6);
  });
});
