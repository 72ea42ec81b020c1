import { describe, expect, it } from 'vitest';
import { crossover, crossoverStatus } from '../../src/metrics/crossover.ts';

const pts = (rows: [number, number, number][]) => rows.map(([vms, a, b]) => ({ vms, a, b }));

describe('crossover', () => {
  it('interpolates linearly between the samples around the crossing', () => {
    // diff b-a: -2 at 4, +3 at 8 -> zero at 4 + 4 * 2/5 = 5.6
    expect(
      crossover(
        pts([
          [1, 10, 5],
          [4, 12, 10],
          [8, 13, 16],
        ]),
      ),
    ).toBeCloseTo(5.6, 10);
  });

  it('returns the sample itself when b equals a there and overtakes next', () => {
    expect(
      crossover(
        pts([
          [2, 5, 5],
          [4, 5, 6],
        ]),
      ),
    ).toBe(2);
  });

  it('is null when b never overtakes', () => {
    expect(
      crossover(
        pts([
          [1, 10, 5],
          [2, 10, 10],
          [4, 10, 9],
        ]),
      ),
    ).toBeNull();
    expect(crossover([])).toBeNull();
    expect(crossover(pts([[1, 1, 2]]))).toBeNull();
  });

  it('is null when b is ahead from the start (no crossing to locate)', () => {
    expect(
      crossover(
        pts([
          [1, 1, 2],
          [2, 1, 3],
        ]),
      ),
    ).toBeNull();
    expect(
      crossoverStatus(
        pts([
          [1, 1, 2],
          [2, 1, 3],
        ]),
      ),
    ).toEqual({ kind: 'ahead-from-start', from: 1 });
  });

  it('finds a later crossing when b starts ahead, falls behind, then overtakes', () => {
    expect(
      crossover(
        pts([
          [1, 1, 2],
          [2, 3, 2],
          [4, 3, 5],
        ]),
      ),
    ).toBeCloseTo(2 + 2 * (1 / 3), 10);
  });

  it('sorts by VM count and ignores non-finite samples', () => {
    expect(
      crossover(
        pts([
          [8, 13, 16],
          [1, 10, 5],
          [4, 12, 10],
          [6, Number.NaN, 1],
        ]),
      ),
    ).toBeCloseTo(5.6, 10);
  });

  it('crossoverStatus explains a null result', () => {
    expect(
      crossoverStatus(
        pts([
          [1, 2, 1],
          [4, 3, 5],
        ]),
      ),
    ).toEqual({ kind: 'crosses', at: 2 });
    expect(
      crossoverStatus(
        pts([
          [1, 2, 1],
          [4, 3, 2],
        ]),
      ),
    ).toEqual({ kind: 'never', upTo: 4 });
    expect(crossoverStatus([])).toEqual({ kind: 'never', upTo: null });
  });
});
