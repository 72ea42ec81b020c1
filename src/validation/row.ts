import type { Metrics } from '../metrics/summary.ts';
import type { ScenarioInput } from '../scenario/resolve.ts';

/** What a row's runs produced: each run's metrics, by the run's name. */
export type RunMetrics = Record<string, Metrics>;

/** The simulator's value for a row, the band it must lie in, and what went into it. */
export interface Measured {
  value: number;
  band: [number, number];
  /** How the value (and, for analytic rows, the band's centre) was obtained from the runs. */
  detail: string;
}

/**
 * One published figure (or closed form) and how the simulator is set up to meet it. The runs are scenario
 * inputs over the default scenario; `measure` reads their metrics. A row the model cannot meet stays with
 * `expected: 'fail'` and its `explanation`: the suite asserts the recorded status, so a change is noticed.
 */
export interface ValidationRow {
  id: string;
  /** The figure, in a few words. */
  figure: string;
  /** The published value (or the analytic reference) as the source gives it. */
  published: string;
  /** Public source: URL or owner/repo:path. */
  source: string;
  /** The published setup and how the scenario stands for it. */
  setup: string;
  /** The figure was used to fit a cost: agreement is by construction, not a validation. */
  fitted: boolean;
  unit: string;
  runs: Record<string, ScenarioInput>;
  measure(m: RunMetrics): Measured;
  /** Why the band is what it is. */
  why: string;
  expected: 'pass' | 'fail';
  /** For a failing row: which mechanism is missing or why the model cannot reach the figure. */
  explanation?: string;
}

/** A row as run: its description, the simulator's value and band, and the status they give. */
export type RowResult = Pick<
  ValidationRow,
  | 'id'
  | 'figure'
  | 'published'
  | 'source'
  | 'setup'
  | 'fitted'
  | 'unit'
  | 'why'
  | 'expected'
  | 'explanation'
  | 'runs'
> &
  Measured & { status: 'pass' | 'fail' };
