import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchUpCpuLoad, cpuLoadAt, sourceLoad, targetLoad } from '../../src/sched/cpuLoad.ts';
import { fill, occupy, schedState, TICK_NS } from './helpers.ts';

/** __update_cpu_load() applied tick by tick (without the integer rounding). */
function reference(loadPerTick: number[]): number[] {
  const cl = [0, 0, 0, 0, 0];
  for (const load of loadPerTick) {
    cl[0] = load;
    for (let i = 1; i < 5; i++) cl[i] = (cl[i] * (2 ** i - 1) + load) / 2 ** i;
  }
  return cl;
}

describe('cpu_load[] decayed per tick, brought up to date lazily', () => {
  it('equals the tick-by-tick update over any history of load changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 0, max: 40 })), { maxLength: 12 }),
        (steps) => {
          const s = schedState({ sockets: 1, coresPerSocket: 1 });
          const rq = s.rqs[0];
          const perTick: number[] = [];
          let now = 0;
          for (const [nr, ticks] of steps) {
            // nr runnable for `ticks` ticks (the change happens just after a tick boundary)
            catchUpCpuLoad(rq, now, TICK_NS);
            fill(rq, -1, []);
            if (nr > 0) occupy(s.rqs, s.tasks, 0, nr - 1);
            for (let k = 0; k < ticks; k++) perTick.push(nr * 1024);
            now += ticks * TICK_NS;
          }
          const ref = reference(perTick);
          for (let i = 1; i <= 5; i++) expect(cpuLoadAt(rq, i, now, TICK_NS)).toBeCloseTo(ref[i - 1], 6);
        },
      ),
    );
  });

  it('source_load is the lower, target_load the higher of the decayed and the current load', () => {
    const s = schedState({ sockets: 1, coresPerSocket: 1 });
    const rq = s.rqs[0];
    occupy(s.rqs, s.tasks, 0, 1); // 2 tasks for 10 ticks
    catchUpCpuLoad(rq, 10 * TICK_NS, TICK_NS);
    fill(rq, rq.curr, []); // one leaves
    expect(sourceLoad(rq, 3, 10 * TICK_NS, TICK_NS)).toBe(1024);
    expect(targetLoad(rq, 3, 10 * TICK_NS, TICK_NS)).toBeGreaterThan(1024);
    expect(targetLoad(rq, 0, 10 * TICK_NS, TICK_NS)).toBe(1024);
  });
});
