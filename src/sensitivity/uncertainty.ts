/**
 * The distribution of each conclusion over plausible hosts: Monte Carlo samples of every ranged cost
 * (`reproduce --uncertainty N`), each a full study, summarised as the share of hosts where the
 * challenger is ahead (a ratio above 1) and the median and 90 % interval of a crossover. A crossover
 * outside the sampled VM counts counts as "before the first" or "beyond the last".
 */
import { quantileSorted } from './bootstrap.ts';
import type { SampleResult } from './study.ts';

export interface RatioSummary {
  output: string;
  /** Share of samples with the ratio above 1 (the challenger ahead). */
  aheadShare: number;
  median: number;
  p05: number;
  p95: number;
}

export interface CrossoverSummary {
  output: string;
  /** −Infinity: ahead from the first VM count; +Infinity: no crossing up to the last. */
  median: number;
  p05: number;
  p95: number;
  /** Shares of samples where the challenger is ahead from the start, or never overtakes. */
  aheadShare: number;
  neverShare: number;
}

const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantileSorted(s, 0.5), p05: quantileSorted(s, 0.05), p95: quantileSorted(s, 0.95) };
};

/** Censored crossovers as ±Infinity, so that quantiles say "before" or "beyond" honestly. */
function crossoverValues(samples: readonly SampleResult[], label: string): number[] {
  return samples.map((s) => {
    const o = s.outputs[label];
    return o.censored === 'ahead' ? -Infinity : o.censored === 'never' ? Infinity : o.value;
  });
}

/** The p-quantile as the inverse of the empirical distribution (no interpolation: ±Infinity stays). */
function inverseCdf(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function summariseCrossover(samples: readonly SampleResult[], label: string): CrossoverSummary {
  const v = crossoverValues(samples, label).sort((a, b) => a - b);
  return {
    output: label,
    median: inverseCdf(v, 0.5),
    p05: inverseCdf(v, 0.05),
    p95: inverseCdf(v, 0.95),
    aheadShare: v.filter((x) => x === -Infinity).length / v.length,
    neverShare: v.filter((x) => x === Infinity).length / v.length,
  };
}

export function summariseRatio(samples: readonly SampleResult[], label: string): RatioSummary {
  const v = samples.map((s) => s.outputs[label].value);
  return { output: label, aheadShare: v.filter((x) => x > 1).length / v.length, ...quantiles(v) };
}
