import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { meanPlusMinus } from '../../src/cli/digits.ts';
import { formatSweepTable } from '../../src/cli/format.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { executeSweep } from '../../src/sweep/execute.ts';
import { buildGrid } from '../../src/sweep/sweep.ts';

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const parse = (s: string) => Number(s.replace(/,/g, '').replace(' %', ''));

describe('mean ± half-width to the digits the half-width allows', () => {
  it('rounds both to the second significant digit of the ±', () => {
    expect(meanPlusMinus(212_160, 1_840, int)).toBe('212,200 ± 1,800');
    expect(meanPlusMinus(212_160, 1_425, int)).toBe('212,200 ± 1,400');
    expect(meanPlusMinus(14_064, 27, int)).toBe('14,064 ± 27');
    expect(meanPlusMinus(9.4132, 0.0213, int)).toBe('9.413 ± 0.021');
    expect(meanPlusMinus(3.0, 0.5, int)).toBe('3.00 ± 0.50');
  });

  it('a ± that rounds up to a new digit is rounded one place coarser; 0 leaves the mean as it is', () => {
    expect(meanPlusMinus(1234.5, 9.96, int)).toBe('1,235 ± 10');
    expect(meanPlusMinus(14_064.4, 0, int)).toBe('14,064 ± 0');
    expect(meanPlusMinus(45.31, 0, (x) => x.toFixed(1), { suffix: ' %' })).toBe('45.3 % ± 0 %');
    expect(meanPlusMinus(45.31, 1.234, (x) => x.toFixed(1), { suffix: ' %' })).toBe('45.3 % ± 1.2 %');
  });

  test.prop([
    fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    fc.double({ min: 1e-4, max: 1e8, noNaN: true }),
  ])(
    'the ± shows two significant digits, and both sit within half a last digit of the true values',
    (mean, half) => {
      const [m, h] = meanPlusMinus(mean, half, int).split(' ± ');
      const decimals = h.includes('.') ? h.split('.')[1].length : 0;
      expect(m.includes('.') ? m.split('.')[1].length : 0).toBe(decimals);
      const digits = h.replace(/[,.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
      expect(digits.length).toBeLessThanOrEqual(2);
      // The second significant digit of the ± shown is the last digit of both.
      const unit = 10 ** (Math.floor(Math.log10(parse(h))) - 1);
      const eps = (Math.abs(mean) + half) * 1e-12;
      expect(Math.abs(parse(m) - mean)).toBeLessThanOrEqual(unit / 2 + eps);
      expect(Math.abs(parse(h) - half)).toBeLessThanOrEqual(unit / 2 + eps);
    },
  );

  it('every ± cell of a sweep table gives the mean and the ± the same decimals', async () => {
    const base = resolveScenario({ durationS: 0.002, warmupS: 0.001 });
    const grid = buildGrid({ base, models: ['per-device', 'per-cpu'], vmsList: [1, 2] });
    const { points } = await executeSweep({ grid, reps: 3 });
    const cells = formatSweepTable(points).match(/[\d.,]+(?: %)? ± [\d.,]+/g) ?? [];
    expect(cells.length).toBeGreaterThan(0);
    const decimals = (x: string) => (x.includes('.') ? x.replace(' %', '').split('.')[1].length : 0);
    for (const cell of cells) {
      const [m, h] = cell.split(' ± ');
      expect(decimals(m), cell).toBe(decimals(h));
    }
  });
});
