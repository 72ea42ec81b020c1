import type { Metrics } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import { runScenario } from '../runtime/runScenario.ts';
import { resolveScenario, type ScenarioInput } from '../scenario/resolve.ts';
import type { RowResult, ValidationRow } from './row.ts';

export interface ValidationOptions {
  /** Scale every run's measured duration (the suite's short version uses < 1). */
  durationScale?: number;
  /** Called after each row, for progress. */
  onRow?: (r: RowResult) => void;
}

/** The scenario a row's run stands for, with its duration scaled. */
export function rowScenario(input: ScenarioInput, durationScale = 1): Scenario {
  const s = resolveScenario(input);
  s.durationS = Math.max(0.01, Math.round(s.durationS * durationScale * 1e4) / 1e4);
  return s;
}

/** Run a row's scenarios and judge its value against its band. */
export function runRow(
  row: ValidationRow,
  durationScale = 1,
): { result: RowResult; scenarios: Record<string, Scenario> } {
  const metrics: Record<string, Metrics> = {};
  const scenarios: Record<string, Scenario> = {};
  for (const [name, input] of Object.entries(row.runs)) {
    const s = rowScenario(input, durationScale);
    scenarios[name] = s;
    metrics[name] = runScenario(s).metrics;
  }
  const { value, band, detail } = row.measure(metrics);
  const status = value >= band[0] && value <= band[1] ? 'pass' : 'fail';
  const result: RowResult = {
    id: row.id,
    figure: row.figure,
    published: row.published,
    source: row.source,
    setup: row.setup,
    fitted: row.fitted,
    unit: row.unit,
    value,
    band,
    detail,
    why: row.why,
    status,
    expected: row.expected,
    ...(row.explanation === undefined ? {} : { explanation: row.explanation }),
    runs: row.runs,
  };
  return { result, scenarios };
}

/** Every row, in order: the results and (for the JSON) the resolved scenarios they ran. */
export function runValidation(
  rows: readonly ValidationRow[],
  opts: ValidationOptions = {},
): { results: RowResult[]; scenarios: Record<string, Record<string, Scenario>> } {
  const results: RowResult[] = [];
  const scenarios: Record<string, Record<string, Scenario>> = {};
  for (const row of rows) {
    const r = runRow(row, opts.durationScale ?? 1);
    results.push(r.result);
    scenarios[row.id] = r.scenarios;
    opts.onRow?.(r.result);
  }
  return { results, scenarios };
}
