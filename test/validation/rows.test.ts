import { describe, expect, it } from 'vitest';
import { rows } from '../../src/validation/rows.ts';
import { runRow } from '../../src/validation/run.ts';

/**
 * The validation table's short version: every row, with its runs cut to a quarter of their measured time,
 * must keep the status recorded for it (a pass that leaves its band, or a fail that starts passing,
 * is a change to look at and record in src/validation/rows.ts).
 */
describe('validation rows (short version)', () => {
  it('row ids are unique and every failing row explains itself', () => {
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) if (r.expected === 'fail') expect(r.explanation, r.id).toBeTruthy();
  });

  it.each(rows.map((r) => [r.id, r] as const))(
    '%s keeps its recorded status',
    (_id, row) => {
      const { result } = runRow(row, 0.25);
      expect(result.status, `${row.id}: ${result.value} ${row.unit}, band ${result.band.join(' – ')}`).toBe(
        row.expected,
      );
    },
    300_000,
  );
});
