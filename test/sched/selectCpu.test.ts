import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIdle, selectCpu } from '../../src/sched/selectCpu.ts';
import { allowedOn } from '../../src/sched/task.ts';
import { addTask, host, occupy } from './helpers.ts';

describe('selectCpu (wake-up placement)', () => {
  it('keeps an idle previous CPU', () => {
    const { topo, rqs, tasks } = host();
    const t = addTask(tasks, 5);
    expect(selectCpu(t, rqs, topo)).toBe(5);
  });

  it('chooses an idle sibling on the same socket when the previous CPU is busy', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 1);
    occupy(rqs, tasks, 2);
    const t = addTask(tasks, 1);
    // CPU 0 and 3 are idle on socket 0; the scan starts after prev, so CPU 3 comes first.
    expect(selectCpu(t, rqs, topo)).toBe(3);
  });

  it('a core with runnable tasks queued is not idle', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 0);
    const waiter = addTask(tasks, 1);
    waiter.state = 'runnable';
    rqs[1].queue.push(waiter.tid);
    const t = addTask(tasks, 0);
    expect(isIdle(rqs[1])).toBe(false);
    expect(selectCpu(t, rqs, topo)).toBe(2);
  });

  it('never crosses to another socket: stays on the busy previous CPU when its socket is full', () => {
    const { topo, rqs, tasks } = host();
    for (const cpu of topo.cpusOf[0]) occupy(rqs, tasks, cpu);
    const t = addTask(tasks, 2);
    // Socket 1 is entirely idle, yet the 2012 wake-up path does not look there.
    expect(selectCpu(t, rqs, topo)).toBe(2);
  });

  it('respects a pinned task: its one CPU even if busy and an idle sibling exists', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 2);
    const t = addTask(tasks, 2, { allowed: [2] });
    expect(selectCpu(t, rqs, topo)).toBe(2);
  });

  it('a node-bound task only takes allowed idle siblings', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 0);
    const t = addTask(tasks, 0, { allowed: [0, 2] });
    expect(selectCpu(t, rqs, topo)).toBe(2);
  });

  it('a task whose previous CPU is not allowed goes to the least loaded allowed CPU', () => {
    const { topo, rqs, tasks } = host();
    occupy(rqs, tasks, 5, 2);
    occupy(rqs, tasks, 6);
    const t = addTask(tasks, 0, { allowed: [5, 6] });
    expect(selectCpu(t, rqs, topo)).toBe(6);
  });

  it('property: allowed; same socket as prev; idle unless prev; prev if prev idle; idle sibling if any', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 15, maxLength: 15 }),
        fc.nat(),
        fc.option(fc.uniqueArray(fc.nat(14), { minLength: 1, maxLength: 6 })),
        (sockets, cores, loadOf, prevRaw, allowedRaw) => {
          const { topo, rqs, tasks } = host(sockets, cores);
          for (let cpu = 0; cpu < topo.cpus; cpu++) {
            // load 0: idle; 1: running; 2+: running plus waiters
            if (loadOf[cpu] > 0) occupy(rqs, tasks, cpu, loadOf[cpu] - 1);
          }
          const allowed = allowedRaw === null ? null : [...new Set(allowedRaw.map((c) => c % topo.cpus))];
          const prev = prevRaw % topo.cpus;
          const t = addTask(tasks, prev, { allowed });
          const cpu = selectCpu(t, rqs, topo);
          expect(allowedOn(t, cpu)).toBe(true);
          if (!allowedOn(t, prev)) return;
          expect(topo.nodeOf[cpu]).toBe(topo.nodeOf[prev]);
          if (isIdle(rqs[prev])) expect(cpu).toBe(prev);
          if (cpu !== prev) expect(isIdle(rqs[cpu])).toBe(true);
          const idleSibling = topo.cpusOf[topo.nodeOf[prev]].some((c) => allowedOn(t, c) && isIdle(rqs[c]));
          if (idleSibling) expect(isIdle(rqs[cpu])).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
