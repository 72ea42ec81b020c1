import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { erlangC, md1SojournNs, mm1SojournNs, mmcSojournNs } from '../../src/validation/queueing.ts';

describe('queueing closed forms', () => {
  it('M/M/1 and M/D/1 at rho = 0.5 (S = 10 us): 20 us and 15 us', () => {
    expect(mm1SojournNs(50_000, 10_000)).toBeCloseTo(20_000, 6);
    expect(md1SojournNs(50_000, 10_000)).toBeCloseTo(15_000, 6);
  });

  it('Erlang C by hand: c = 1 is rho; c = 2, a = 1 is 1/3; c = 3, a = 2 is 4/9', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // a^c/c! * c/(c-a) = 8/6 * 3 = 4; sum_{k<3} a^k/k! = 1 + 2 + 2 = 5: 4 / (5 + 4)
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
  });

  it('M/M/c with one server is M/M/1', () => {
    expect(mmcSojournNs(1, 60_000, 10_000)).toBeCloseTo(mm1SojournNs(60_000, 10_000), 6);
  });

  test.prop([fc.integer({ min: 1, max: 64 }), fc.double({ min: 0.01, max: 0.95, noNaN: true })])(
    'pooling helps: one queue for c servers waits less than c separate M/M/1 queues at the same load',
    (c, rho) => {
      const rate = (rho * c * 1e9) / 10_000;
      const pooled = mmcSojournNs(c, rate, 10_000);
      expect(pooled).toBeLessThanOrEqual(mm1SojournNs(rate / c, 10_000) * (1 + 1e-9));
      expect(pooled).toBeGreaterThanOrEqual(10_000);
      const p = erlangC(c, rho * c);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    },
  );

  it('refuses an unstable queue', () => {
    expect(() => mm1SojournNs(100_000, 10_000)).toThrow(/unstable/);
    expect(() => erlangC(2, 2)).toThrow(/unstable/);
  });
});
