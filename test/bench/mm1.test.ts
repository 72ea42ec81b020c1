import { describe, expect, it } from 'vitest';
import { mm1Kernel } from '../../bench/peer/mm1.ts';

describe("the bench's M/M/1 peer on the event kernel", () => {
  it('gives the queue-theory mean sojourn 1 / (1 - rho) = 5 service times, two events per customer', () => {
    const r = mm1Kernel(200_000);
    expect(r.events).toBe(400_000);
    // At rho = 0.8 the sojourn times are strongly correlated: a few percent is the sampling error here.
    expect(r.meanSojourn).toBeGreaterThan(4.5);
    expect(r.meanSojourn).toBeLessThan(5.5);
  });

  it('is a function of its seed', () => {
    expect(mm1Kernel(1_000, 7).meanSojourn).toBe(mm1Kernel(1_000, 7).meanSojourn);
    expect(mm1Kernel(1_000, 7).meanSojourn).not.toBe(mm1Kernel(1_000, 8).meanSojourn);
  });
});
