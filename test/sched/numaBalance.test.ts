import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/metrics/summary.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { findNumaMigration } from '../../src/sched/numaBalance.ts';
import { isIdle } from '../../src/sched/selectCpu.ts';
import { allowedOn } from '../../src/sched/task.ts';
import { addTask, host, occupy } from './helpers.ts';

describe('findNumaMigration (periodic balancing between sockets)', () => {
  it('does nothing while the sockets differ by fewer than two runnable threads', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 0, 1); // node 0: 2 runnable
    occupy(rqs, tasks, 4); // node 1: 1
    expect(findNumaMigration(rqs, tasks, topo)).toBeNull();
  });

  it('moves a waiting thread of an overloaded socket to the first idle core of the other', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 0);
    occupy(rqs, tasks, 1, 1);
    occupy(rqs, tasks, 2, 3); // the longest queue on node 0
    occupy(rqs, tasks, 3);
    occupy(rqs, tasks, 4);
    occupy(rqs, tasks, 5); // node 1: cores 4 and 5 busy, 6 and 7 idle
    expect(findNumaMigration(rqs, tasks, topo)).toEqual({ from: 2, index: 0, to: 6 });
  });

  it('leaves a momentary queue alone: the busier socket still has an idle core, or the other has none', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 0, 3); // a waker and the threads it woke, on an otherwise idle socket
    expect(findNumaMigration(rqs, tasks, topo)).toBeNull();
    occupy(rqs, tasks, 1);
    occupy(rqs, tasks, 2);
    occupy(rqs, tasks, 3); // node 0 now overloaded (7 runnable) ...
    for (const cpu of [4, 5, 6, 7]) occupy(rqs, tasks, cpu); // ... but node 1 (4) has no idle core
    expect(findNumaMigration(rqs, tasks, topo)).toBeNull();
  });

  it('never moves a running thread, and respects affinity', () => {
    const { topo, rqs, tasks } = host();
    for (const cpu of [0, 1, 2, 3]) occupy(rqs, tasks, cpu);
    expect(findNumaMigration(rqs, tasks, topo)).toBeNull(); // 4 against 0, but nothing waits
    const pinned = addTask(tasks, 3, { allowed: [0, 1, 2, 3] });
    pinned.state = 'runnable';
    rqs[3].queue.push(pinned.tid);
    expect(findNumaMigration(rqs, tasks, topo)).toBeNull();
    const free = addTask(tasks, 3, { allowed: [3, 7] });
    free.state = 'runnable';
    rqs[3].queue.push(free.tid);
    expect(findNumaMigration(rqs, tasks, topo)).toEqual({ from: 3, index: 1, to: 7 });
  });
});

describe('findNumaMigration, property', () => {
  it('moves only a waiting thread, to an idle core it may run on, from an overloaded socket 2+ busier', () => {
    fc.assert(
      fc.property(
        // Per core: absent (idle), or a running thread plus waiting ones, each pinned to its node or free.
        fc.array(fc.option(fc.array(fc.boolean(), { maxLength: 3 })), { minLength: 8, maxLength: 8 }),
        (cores) => {
          const { topo, rqs, tasks } = host();
          cores.forEach((waiting, cpu) => {
            if (waiting === null) return;
            occupy(rqs, tasks, cpu);
            for (const pinned of waiting) {
              const t = addTask(tasks, cpu, { allowed: pinned ? topo.cpusOf[topo.nodeOf[cpu]] : null });
              t.state = 'runnable';
              rqs[cpu].queue.push(t.tid);
            }
          });
          const m = findNumaMigration(rqs, tasks, topo);
          const load = (node: number) =>
            topo.cpusOf[node].reduce((n, cpu) => n + rqs[cpu].queue.length + (rqs[cpu].curr >= 0 ? 1 : 0), 0);
          // Complete: an overloaded socket 2+ busier than one with an idle core, holding a free waiting
          // thread, always gives one up.
          const mustMove = [0, 1].some(
            (a) =>
              topo.cpusOf[a].every((cpu) => rqs[cpu].curr >= 0) &&
              load(a) - load(1 - a) >= 2 &&
              topo.cpusOf[1 - a].some((cpu) => isIdle(rqs[cpu])) &&
              topo.cpusOf[a].some((cpu) => rqs[cpu].queue.some((tid) => tasks[tid].allowed === null)),
          );
          if (mustMove) expect(m).not.toBeNull();
          if (m === null) return;
          const tid = rqs[m.from].queue[m.index];
          expect(tid).toBeDefined(); // a waiting thread, never the running one
          expect(allowedOn(tasks[tid], m.to)).toBe(true);
          expect(isIdle(rqs[m.to])).toBe(true);
          const from = topo.nodeOf[m.from];
          const to = topo.nodeOf[m.to];
          expect(to).not.toBe(from);
          expect(topo.cpusOf[from].every((cpu) => rqs[cpu].curr >= 0)).toBe(true);
          expect(load(from) - load(to)).toBeGreaterThanOrEqual(2);
        },
      ),
    );
  });
});

describe('periodic NUMA balancing in a run', () => {
  // Seed 4 packs the per-device vhost threads of 16 VMs on socket 0 (docs/reproduction.md).
  const run = (intervalNs: number): Metrics =>
    runScenario(
      resolveScenario({ vms: 16, seed: 4, durationS: 0.05, warmupS: 0.2 }, [
        `profile.sched.numaBalanceIntervalNs=${intervalNs}`,
      ]),
    ).metrics;
  const socketBusy = (m: Metrics, node: number) =>
    m.perCpu.filter((c) => c.node === node).reduce((a, c) => a + 1 - c.idle, 0) / 4;

  it('spreads threads packed on one socket back over both, and completes more transactions', () => {
    const off = run(0);
    const on = run(8_000_000);
    expect(socketBusy(off, 0) - socketBusy(off, 1)).toBeGreaterThan(0.3);
    expect(Math.abs(socketBusy(on, 0) - socketBusy(on, 1))).toBeLessThan(0.1);
    expect(on.throughput.value).toBeGreaterThan(off.throughput.value * 1.1);
  });
});
