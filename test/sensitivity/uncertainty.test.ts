import { describe, expect, it } from 'vitest';
import type { SampleResult } from '../../src/sensitivity/study.ts';
import { summariseCrossover, summariseRatio } from '../../src/sensitivity/uncertainty.ts';

const sample = (crossover: number, censored?: 'ahead' | 'never', ratio = 1): SampleResult => ({
  values: [],
  outputs: {
    'crossover:throughput': { value: crossover, bySeed: [], ...(censored ? { censored } : {}) },
    'ratio:throughput@32': { value: ratio, bySeed: [] },
  },
});

describe('uncertainty summaries', () => {
  it('ratio: the share above 1 and the quantiles of the samples', () => {
    const s = [0.9, 1.1, 1.2, 1.3].map((r) => sample(4, undefined, r));
    const r = summariseRatio(s, 'ratio:throughput@32');
    expect(r.aheadShare).toBe(0.75);
    expect(r.median).toBeCloseTo(1.15, 12);
  });

  it('crossover: censored samples stay "before" and "beyond" in the quantiles and are counted', () => {
    const s = [
      sample(1, 'ahead'),
      ...[3, 5, 7, 9, 11, 13, 15, 17].map((x) => sample(x)),
      sample(32, 'never'),
    ];
    const c = summariseCrossover(s, 'crossover:throughput');
    expect(c.aheadShare).toBe(0.1);
    expect(c.neverShare).toBe(0.1);
    expect(c.median).toBe(9);
    expect(c.p05).toBe(-Infinity);
    expect(c.p95).toBe(Infinity);
  });
});
