import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SchedTunables } from '../../src/model/profile.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import {
  pickNextIndex,
  placeWoken,
  renormalize,
  updateMinVruntime,
  wakeupPreempts,
} from '../../src/sched/cfs.ts';
import { newRunQueue } from '../../src/sched/runQueue.ts';
import { newTask, type Task } from '../../src/sched/task.ts';
import { fill } from './helpers.ts';

const tun: SchedTunables = defaultScenario().profile.sched;

function tasksWith(vruntimes: number[]): Task[] {
  return vruntimes.map((vr, tid) => {
    const t = newTask(tid, `t${tid}`, 'vcpu', tid, 0, null, 0);
    t.vruntime = vr;
    return t;
  });
}

describe('pickNextIndex', () => {
  it('returns -1 on an empty queue', () => {
    expect(pickNextIndex(newRunQueue(0, 0, 0), [])).toBe(-1);
  });

  it('picks the smallest vruntime, the earliest queued among equals (FIFO)', () => {
    const tasks = tasksWith([50, 30, 30, 70, 30]);
    const rq = newRunQueue(0, 0, 0);
    fill(rq, -1, [3, 2, 0, 1, 4]);
    // Tasks 2, 1 and 4 tie at 30; task 2 was queued first (position 1).
    expect(pickNextIndex(rq, tasks)).toBe(1);
    fill(rq, -1, [4, 1, 2]);
    expect(pickNextIndex(rq, tasks)).toBe(0);
  });

  it('property: the first position holding the minimum vruntime', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20 }), (vrs) => {
        const tasks = tasksWith(vrs);
        const rq = newRunQueue(0, 0, 0);
        fill(rq, -1, [...vrs.keys()]);
        const min = Math.min(...vrs);
        expect(pickNextIndex(rq, tasks)).toBe(vrs.indexOf(min));
      }),
    );
  });
});

describe('placeWoken', () => {
  it("caps a long sleeper's credit at half a latency period behind min_vruntime", () => {
    const rq = newRunQueue(0, 0, 0);
    rq.minVruntime = 100_000_000;
    const [sleeper] = tasksWith([1_000]);
    placeWoken(sleeper, rq, tun);
    expect(sleeper.vruntime).toBe(100_000_000 - tun.latencyNs / 2);
  });

  it('leaves a short sleeper (less than latency/2 behind) where it was', () => {
    const rq = newRunQueue(0, 0, 0);
    rq.minVruntime = 100_000_000;
    const behind = 100_000_000 - tun.latencyNs / 2 + 1;
    const [a, b] = tasksWith([behind, 130_000_000]);
    placeWoken(a, rq, tun);
    placeWoken(b, rq, tun);
    expect(a.vruntime).toBe(behind);
    expect(b.vruntime).toBe(130_000_000);
  });

  it('property: never lowers vruntime, never below min_vruntime - latency/2', () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.nat(1e9), (vr, minVr) => {
        const rq = newRunQueue(0, 0, 0);
        rq.minVruntime = minVr;
        const [t] = tasksWith([vr]);
        placeWoken(t, rq, tun);
        expect(t.vruntime).toBeGreaterThanOrEqual(vr);
        expect(t.vruntime).toBeGreaterThanOrEqual(minVr - tun.latencyNs / 2);
        expect(t.vruntime === vr || t.vruntime === minVr - tun.latencyNs / 2).toBe(true);
      }),
    );
  });
});

describe('wakeupPreempts', () => {
  const g = tun.wakeupGranularityNs;

  it('preempts only with a lead strictly larger than the wake-up granularity', () => {
    const tasks = tasksWith([0, 1_000_000]);
    const rq = newRunQueue(0, 0, 0);
    fill(rq, 0, [1]);
    expect(wakeupPreempts(rq, tasks, tun, 1_000_000 + g)).toBe(false);
    expect(wakeupPreempts(rq, tasks, tun, 1_000_000 + g + 1)).toBe(true);
    expect(wakeupPreempts(rq, tasks, tun, 1_000_000)).toBe(false);
  });

  it('compares against the best waiting task, not the last woken', () => {
    const tasks = tasksWith([0, 10_000_000, 1_000_000]);
    const rq = newRunQueue(0, 0, 0);
    fill(rq, 0, [1, 2]);
    expect(wakeupPreempts(rq, tasks, tun, 1_000_000 + g + 1)).toBe(true);
  });

  it('never preempts an idle core or with nothing waiting', () => {
    const tasks = tasksWith([0, 0]);
    const rq = newRunQueue(0, 0, 0);
    fill(rq, -1, [1]);
    expect(wakeupPreempts(rq, tasks, tun, 1e12)).toBe(false);
    fill(rq, 0, []);
    expect(wakeupPreempts(rq, tasks, tun, 1e12)).toBe(false);
  });
});

describe('min_vruntime and migration', () => {
  it('updateMinVruntime is monotonic and follows the smallest of curr and queued', () => {
    const tasks = tasksWith([500, 300, 800]);
    const rq = newRunQueue(0, 0, 0);
    fill(rq, 0, [1, 2]);
    updateMinVruntime(rq, tasks);
    expect(rq.minVruntime).toBe(300);
    tasks[1].vruntime = 100;
    updateMinVruntime(rq, tasks);
    expect(rq.minVruntime).toBe(300);
    fill(rq, 0, [2]);
    updateMinVruntime(rq, tasks);
    expect(rq.minVruntime).toBe(500);
  });

  it('renormalize keeps the lag relative to min_vruntime', () => {
    const from = newRunQueue(0, 0, 0);
    const to = newRunQueue(1, 0, 0);
    from.minVruntime = 1_000;
    to.minVruntime = 50_000;
    const [t] = tasksWith([1_250]);
    renormalize(t, from, to);
    expect(t.vruntime).toBe(50_250);
  });
});
