/**
 * The parameters a sensitivity study varies: rows of the calibration table with a plausible range, each
 * mapped from the unit interval onto its range. A point of the unit cube becomes `--set` assignments.
 */
import {
  type CalibrationRow,
  calibrationRow,
  calibrationRows,
  type PlausibleRange,
  rangedRows,
  valueInRange,
} from '../model/calibration.ts';
import { ScenarioError } from '../scenario/schema.ts';

export type RangedRow = CalibrationRow & { range: PlausibleRange };

/**
 * `all` (every ranged row, in table order) or a comma-separated list of paths, each optionally with its
 * own range: `profile.costs.cgroupAttachNs=0:5000`. A path's leading segments may be left out when the
 * rest names one row (`cgroupAttachNs`, `irqDelayNs`).
 */
export function parseParams(text: string): RangedRow[] {
  if (text.trim() === 'all') return rangedRows();
  const out: RangedRow[] = [];
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const [name, range] = item.split('=');
    // A full path, or its last segments when they name one row (`cgroupAttachNs`, `nic.irqDelayNs`).
    const matches = calibrationRows().filter((r) => r.path === name || r.path.endsWith(`.${name}`));
    const row = matches.length === 1 ? matches[0] : calibrationRow(name);
    if (row === undefined) {
      throw new ScenarioError(
        '--params',
        name,
        'a calibration path',
        `--params: '${name}' is not a row of the calibration table (docs/calibration.md)`,
      );
    }
    let r = row.range;
    if (range !== undefined) {
      const m = /^(-?[\d.eE+-]+):(-?[\d.eE+-]+)$/.exec(range.trim());
      const lo = m ? Number(m[1]) : Number.NaN;
      const hi = m ? Number(m[2]) : Number.NaN;
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
        throw new ScenarioError(
          '--params',
          item,
          'path=lo:hi with lo < hi',
          `--params: expected ${name}=lo:hi with lo < hi, got '${item}'`,
        );
      }
      r = { lo, hi, why: 'given on the command line' };
    }
    if (r === null) {
      throw new ScenarioError(
        '--params',
        name,
        'a ranged parameter',
        `--params: ${row.path} has no plausible range (a fixed fact or default); give one as ${row.path}=lo:hi`,
      );
    }
    if (out.some((p) => p.path === row.path)) {
      throw new ScenarioError(
        '--params',
        name,
        'each parameter once',
        `--params: ${row.path} is listed twice`,
      );
    }
    out.push({ ...row, range: r });
  }
  if (out.length === 0)
    throw new ScenarioError(
      '--params',
      text,
      'at least one parameter',
      "--params: expected 'all' or a list of paths",
    );
  return out;
}

/** The `--set` assignments of a unit-cube point. */
export function assignments(params: readonly RangedRow[], u: readonly number[]): string[] {
  return params.map((p, i) => `${p.path}=${valueInRange(p, u[i])}`);
}

/** The parameter values of a unit-cube point. */
export function valuesAt(params: readonly RangedRow[], u: readonly number[]): number[] {
  return params.map((p, i) => valueInRange(p, u[i]));
}
