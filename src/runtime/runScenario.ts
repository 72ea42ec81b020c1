import { type Metrics, summarize } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Policy } from '../policies/policy.ts';
import { validateScenario } from '../scenario/schema.ts';
import type { ExecutorKind } from './executor.ts';
import { measureWindow } from './measureWindow.ts';
import { SimSystem } from './system.ts';
import type { TraceEvent } from './trace.ts';

export interface RunOptions {
  executor?: ExecutorKind;
  onTrace?: (ev: TraceEvent) => void;
  /** A threading model of your own instead of `scenario.model`'s (see docs/guide/write-a-policy.md). */
  policy?: Policy;
}

export interface RunResult {
  scenario: Scenario;
  metrics: Metrics;
  /** Kernel events fired (a measure of simulation work). */
  events: number;
}

/**
 * Run one scenario to completion: warm up, reset the counters, measure for `durationS` of virtual time.
 * `input` is a resolved scenario (`resolveScenario`); a hand-built one is validated first (ScenarioError).
 *
 * @example
 * ```ts
 * import { resolveScenario, runScenario } from 'vhost-sim';
 *
 * const { metrics, events } = runScenario(resolveScenario({ vms: 4, model: 'per-cpu', durationS: 0.01 }));
 * console.log(metrics.throughput.value, metrics.efficiency.value, metrics.latencyUs.p99, events);
 * ```
 */
export function runScenario(input: Scenario, options: RunOptions = {}): RunResult {
  // Library callers may hand-build a scenario: check it like the CLI does, before anything runs.
  const scenario = validateScenario(input);
  const sys = new SimSystem(scenario, {
    executor: options.executor,
    onTrace: options.onTrace,
    policy: options.policy,
  });
  const { counters, windowNs } = measureWindow(sys);
  const metrics = summarize(sys.host, counters, windowNs);
  return { scenario, metrics, events: sys.kernel.eventsFired };
}
