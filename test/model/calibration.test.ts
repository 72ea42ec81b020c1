import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrationRows, rangedRows, valueInRange } from '../../src/model/calibration.ts';
import { calibrationMarkdown, valueAtPath } from '../../src/scenario/calibrationDoc.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { profiles } from '../../src/scenario/profiles.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

/** Dotted paths of every leaf (arrays are leaves) under `obj`. */
function leaves(obj: unknown, prefix: string): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`));
}

describe('calibration table', () => {
  it('docs/calibration.md is generated from it (else run `npm run gen:calibration`)', () => {
    const committed = readFileSync(new URL('../../docs/calibration.md', import.meta.url), 'utf8');
    // The formatter pads table columns; compare with the padding folded.
    const fold = (md: string) => md.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---');
    expect(fold(committed)).toBe(fold(calibrationMarkdown()));
  });

  it('has a row for every cost, tunable and fact of every profile', () => {
    const paths = new Set(calibrationRows().map((r) => r.path));
    for (const profile of Object.values(profiles)) {
      const { name: _n, description: _d, ...fields } = profile;
      const missing = leaves(fields, 'profile').filter((p) => !paths.has(p));
      expect(missing, `${profile.name}: add rows to src/model/calibration.ts`).toEqual([]);
    }
  });

  it('names each path once, and each path exists in the default scenario', () => {
    const paths = calibrationRows().map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    const s = defaultScenario();
    for (const p of paths) expect(valueAtPath(s, p), p).not.toBeUndefined();
  });

  it('every range holds the default value, and both of its ends are valid scenario values', () => {
    const s = defaultScenario();
    for (const row of rangedRows()) {
      const v = valueAtPath(s, row.path);
      expect(typeof v, row.path).toBe('number');
      expect(row.range.lo, row.path).toBeLessThan(row.range.hi);
      expect(v as number, row.path).toBeGreaterThanOrEqual(row.range.lo);
      expect(v as number, row.path).toBeLessThanOrEqual(row.range.hi);
      for (const u of [0, 0.37, 1]) {
        const x = valueInRange(row, u);
        expect(() => resolveScenario({}, [`${row.path}=${x}`]), `${row.path}=${x}`).not.toThrow();
      }
    }
  });
});
