import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { distinctRuns } from '../../src/sweep/distinct.ts';

describe('distinctRuns', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 })])(
    'partitions the indices by key, in first-seen order, each group ascending',
    (items) => {
      const groups = [...distinctRuns(items, String).entries()];
      // Every index once, in exactly one group, whose key is its item's.
      expect(groups.flatMap(([, g]) => g).sort((x, y) => x - y)).toEqual(items.map((_, i) => i));
      for (const [k, g] of groups) {
        for (const i of g) expect(String(items[i])).toBe(k);
        expect([...g].sort((x, y) => x - y)).toEqual(g);
      }
      // As many groups as distinct items, ordered by first occurrence.
      expect(groups.map(([k]) => k)).toEqual([...new Set(items.map(String))]);
    },
  );

  it('keys by the whole JSON by default: equal content is one run', () => {
    const g = distinctRuns([
      { a: 1, b: [2] },
      { a: 1, b: [3] },
      { a: 1, b: [2] },
    ]);
    expect([...g.values()]).toEqual([[0, 2], [1]]);
  });
});
