import { describe, expect, it } from 'vitest';
import { machineryRate } from '../../bench/machinery.ts';

describe("the bench's executor machinery (trivial actors through the simulation's parts)", () => {
  it('keeps every actor passing: a ring of 12 actors of 6 kinds fires the events asked for, within one window', () => {
    let t = 0;
    const r = machineryRate(12, 20_000, () => t++, 6);
    expect(r.events).toBeGreaterThanOrEqual(20_000);
    // Windows of 1 ms, each actor at most once per µs: the run stops within one window of the target.
    expect(r.events).toBeLessThan(20_000 + 12 * 1_000);
    expect(r.eventsPerSec).toBeGreaterThan(0);
  });
});
