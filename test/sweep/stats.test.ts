import { describe, expect, it } from 'vitest';
import { ci95, mean, sampleStd, tCdf, tQuantile } from '../../src/metrics/stats.ts';
import { formatDuration, progressLine } from '../../src/sweep/progress.ts';

describe('Student t', () => {
  it('matches the table of 97.5 % quantiles', () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [9, 2.262],
      [10, 2.228],
      [30, 2.042],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(tQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(tQuantile(0.025, 5)).toBeCloseTo(-tQuantile(0.975, 5), 10);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
  });

  it('gives the mean and the 95 % interval of the mean', () => {
    expect(mean([1, 2, 3])).toBe(2);
    expect(sampleStd([1, 2, 3])).toBe(1);
    const ci = ci95([1, 2, 3]);
    expect(ci.mean).toBe(2);
    expect(ci.halfWidth).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 3);
    expect(ci.low).toBeCloseTo(2 - ci.halfWidth, 12);
    expect(ci95([5])).toEqual({ mean: 5, halfWidth: 0, low: 5, high: 5 });
    expect(ci95([4, 4, 4]).halfWidth).toBe(0);
  });
});

describe('progress bar', () => {
  it('shows runs done, percentage, elapsed time and ETA', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    const line = progressLine('sweep', 5, 20, 10, 5, 10);
    expect(line).toContain('5/20 runs 25 %');
    expect(line).toContain('elapsed 0:10');
    expect(line).toContain('ETA 0:30');
    expect(progressLine('sweep', 0, 4, 0, 0)).toContain('ETA --:--');
  });
});
