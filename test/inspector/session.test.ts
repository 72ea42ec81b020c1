import { describe, expect, it } from 'vitest';
import { InspectorSession, MAX_THREADS, MAX_VMS, tooBigToInspect } from '../../src/inspector/session.ts';
import { buildSnapshot, readTotals } from '../../src/inspector/snapshot.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

/** A wall clock the test moves: `cost` ms pass at every look (a slow machine), `set` jumps. */
function fakeClock(cost: number) {
  let t = 0;
  return {
    wallMs: () => {
      t += cost;
      return t;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}

const session = (vms: number, wallMs?: () => number, seed = 1) =>
  new InspectorSession({
    scenario: resolveScenario({ vms, seed }),
    models: ['per-device', 'per-cpu'],
    paused: true,
    wallMs,
  });

describe('InspectorSession: stepping in slices', () => {
  it('reaches the same state in many budgeted slices as in one run', () => {
    const whole = session(2);
    whole.runUntil(300_000);
    // Each look at the clock costs 3 ms, so a 5 ms budget stops after a chunk or two.
    const sliced = session(2, fakeClock(3).wallMs);
    let slices = 0;
    while (!sliced.advance(300_000, 5)) slices++;
    expect(slices).toBeGreaterThan(5);
    sliced.sides.forEach((s, i) => {
      expect(readTotals(s.sys)).toEqual(readTotals(whole.sides[i].sys));
    });
  });

  it('stops a slice when its wall-time budget is spent', () => {
    const s = session(2, fakeClock(4).wallMs);
    expect(s.advance(1_000_000_000, 10)).toBe(false);
    expect(s.nowNs).toBeGreaterThan(0);
    expect(s.nowNs).toBeLessThan(1_000_000_000);
  });

  it('computes a stepUs by pump slices, shows its progress, and can be cancelled', () => {
    const s = session(2, fakeClock(2).wallMs);
    const changes: number[] = [];
    s.onChange = () => changes.push(s.nowNs);
    s.apply({ type: 'stepUs', us: 200 });
    expect(s.stepProgress).toEqual({ fromNs: 0, targetNs: 200_000, atNs: 0 });
    let pumps = 0;
    while (s.pump()) {
      pumps++;
      const p = s.stepProgress;
      expect(p?.atNs).toBeGreaterThan(0);
      expect(p?.atNs).toBeLessThan(200_000);
    }
    expect(pumps).toBeGreaterThan(0);
    expect(s.stepProgress).toBeNull();
    for (const side of s.sides) expect(side.sys.kernel.nowNs).toBe(200_000);
    expect(changes.at(-1)).toBe(200_000);

    s.apply({ type: 'stepUs', us: 1_000_000 });
    s.pump();
    const at = s.nowNs;
    s.apply({ type: 'cancel' });
    expect(s.stepProgress).toBeNull();
    expect(s.pump()).toBe(false);
    expect(s.nowNs).toBe(at);
    expect(s.state().step).toBeNull();
  });
});

describe('InspectorSession: one clock for side-by-side models', () => {
  it('"Step 1 event" fires the next event across both systems: no fired event is earlier than any clock', () => {
    for (const seed of [1, 2, 3]) {
      const s = session(2, undefined, seed);
      s.runUntil(150_000);
      const stepped = [0, 0];
      for (let i = 0; i < 300; i++) {
        const before = s.sides.map((x) => x.sys.kernel.nowNs);
        const events = s.sides.map((x) => x.sys.kernel.eventsFired);
        s.apply({ type: 'step' });
        const which = s.sides.findIndex((x, j) => x.sys.kernel.eventsFired !== events[j]);
        expect(s.sides.filter((x, j) => x.sys.kernel.eventsFired !== events[j])).toHaveLength(1);
        stepped[which]++;
        // The merged order: the event fired is at or after every model's clock.
        expect(s.sides[which].sys.kernel.nowNs).toBeGreaterThanOrEqual(Math.max(...before));
      }
      // Both models moved: neither is left behind.
      expect(Math.min(...stepped)).toBeGreaterThan(0);
    }
  });
});

describe('InspectorSession: the achieved rate', () => {
  it('equals the chosen speed when each slice is computed in time', () => {
    const clock = fakeClock(0);
    const s = session(1, clock.wallMs);
    s.setViewers(1);
    s.apply({ type: 'speed', factor: 1e-4 });
    s.apply({ type: 'resume' });
    for (let i = 1; i <= 20; i++) {
      clock.set(i * 100);
      s.tick();
    }
    expect(s.achieved).toBeCloseTo(1e-4, 9);
    expect(s.state().achieved).toBeCloseTo(1e-4, 9);
  });

  it('falls below the chosen speed, and says so, when slices run out of wall time', () => {
    // Every look at the clock costs 30 ms: a 50 ms slice budget lets a tick compute one or two chunks.
    const clock = fakeClock(30);
    const s = session(1, clock.wallMs);
    s.setViewers(1);
    s.apply({ type: 'speed', factor: 0.1 });
    s.apply({ type: 'resume' });
    for (let i = 0; i < 20; i++) s.tick();
    const achieved = s.achieved;
    expect(achieved).not.toBeNull();
    expect(achieved as number).toBeLessThan(0.1 * 0.5);
    s.apply({ type: 'pause' });
    expect(s.achieved).toBeNull();
  });
});

describe('tooBigToInspect', () => {
  it('bounds VMs and threads, whatever the source of the scenario', () => {
    expect(tooBigToInspect(resolveScenario({ vms: MAX_VMS }))).toBeNull();
    expect(tooBigToInspect(resolveScenario({ vms: MAX_VMS + 1 }))).toMatch(/^vms: .*at most 256 VMs/);
    const threads = resolveScenario({ vms: 100, vcpusPerVm: 8, devicesPerVm: 4 });
    expect(100 * (8 + 4)).toBeGreaterThan(MAX_THREADS);
    expect(tooBigToInspect(threads)).toMatch(/threads and queue pairs.*1200/);
    expect(() => session(MAX_VMS + 1)).toThrow(RangeError);
  });
});

describe('InspectorSession: step back by replay from the seed', () => {
  it('returns to the very state an earlier event count had', () => {
    const s = new InspectorSession({
      scenario: resolveScenario({ vms: 2, seed: 4 }),
      models: ['per-cpu'],
      paused: true,
    });
    s.setViewers(1);
    s.runUntil(150_000);
    s.apply({ type: 'step' });
    const snap = () => JSON.stringify(buildSnapshot(s.sides[0].sys, 'per-cpu'));
    const events = s.sides[0].sys.kernel.eventsFired;
    const before = snap();
    s.runUntil(600_000);
    const back = s.sides[0].sys.kernel.eventsFired - events;
    expect(back).toBeGreaterThan(100);
    s.apply({ type: 'back', events: back });
    expect(s.replayProgress?.targetEvents).toBe(events);
    while (s.pump());
    expect(s.replayProgress).toBeNull();
    expect(s.sides[0].sys.kernel.eventsFired).toBe(events);
    expect(snap()).toBe(before);
    // The log holds the replayed messages, each with its sender.
    const log = s.state().systems[0].log;
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((l) => l.from.length > 0)).toBe(true);
  });

  it('goes back the same count in each side-by-side model, and stops at zero', () => {
    const s = session(2);
    s.runUntil(100_000);
    const counts = s.sides.map((x) => x.sys.kernel.eventsFired);
    s.apply({ type: 'back', events: 10 });
    while (s.pump());
    expect(s.sides.map((x) => x.sys.kernel.eventsFired)).toEqual(counts.map((c) => c - 10));
    s.apply({ type: 'back', events: 1_000_000 });
    while (s.pump());
    expect(s.sides.map((x) => x.sys.kernel.eventsFired)).toEqual([0, 0]);
  });
});

describe('InspectorSession: follow a transaction', () => {
  it('follows the VM in every model, keeps following after a step back, and refuses a VM not there', () => {
    const s = session(2);
    const errors: string[] = [];
    s.onError = (e) => errors.push(e);
    s.setViewers(1);
    s.apply({ type: 'follow', vm: 1 });
    s.runUntil(2_000_000);
    for (const sys of s.state().systems) {
      expect(sys.follow?.vm).toBe(1);
      expect(sys.follow?.last?.endNs).toBeGreaterThan(0);
    }
    s.apply({ type: 'back', events: 100 });
    while (s.pump());
    expect(s.state().systems[0].follow?.last).not.toBeNull();
    s.apply({ type: 'follow', vm: 2 });
    expect(errors).toEqual(['vm: no VM 2 (the scenario has 2)']);
    expect(s.state().systems[0].follow?.vm).toBe(1);
    s.apply({ type: 'unfollow' });
    expect(s.state().systems[0].follow).toBeNull();
  });
});

describe('InspectorSession: run until a message', () => {
  it('stops right after the first delivery of the message to the actor, in either model', () => {
    const s = session(2);
    s.setViewers(1);
    s.runUntil(50_000);
    s.apply({ type: 'until', event: 'irq.inject', actor: 'vm1.' });
    while (s.pump());
    const lines = s.state().systems.map((x) => x.log.at(-1));
    const hits = lines.filter((l) => l?.event === 'irq.inject' && l.actor.startsWith('vm1.'));
    expect(hits).toHaveLength(1);
    // Only the first: no earlier line of either model's log is that message.
    for (const x of s.sides) expect(x.sys.kernel.nowNs).toBeLessThanOrEqual(hits[0]?.atNs ?? 0);
  });

  it('gives up, with a reason, after its virtual-time limit', () => {
    const s = session(1);
    const errors: string[] = [];
    s.onError = (e) => errors.push(e);
    s.apply({ type: 'until', event: 'no.such', actor: '' });
    while (s.pump());
    expect(errors).toEqual(['no no.such to any actor within 10000 µs']);
    expect(s.nowNs).toBeGreaterThanOrEqual(10_000_000);
  });
});
