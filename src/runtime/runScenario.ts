import { diffCounters, readCounters } from '../metrics/counters.ts';
import { type Metrics, summarize } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Policy } from '../policies/policy.ts';
import { validateScenario } from '../scenario/schema.ts';
import type { ExecutorKind } from './executor.ts';
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
 * @example
 * const { metrics } = runScenario(resolveScenario({ vms: 4, model: 'per-cpu' }));
 * console.log(metrics.throughput.value);
 */
export function runScenario(input: Scenario, options: RunOptions = {}): RunResult {
  // Library callers may hand-build a scenario: check it like the CLI does, before anything runs.
  const scenario = validateScenario(input);
  const sys = new SimSystem(scenario, {
    executor: options.executor,
    onTrace: options.onTrace,
    policy: options.policy,
  });
  const warmupNs = Math.round(scenario.warmupS * 1e9);
  const endNs = warmupNs + Math.round(scenario.durationS * 1e9);
  sys.start();
  sys.kernel.run({ untilNs: warmupNs });
  sys.flushAccounting();
  sys.host.recorder.reset();
  const before = readCounters(sys.host);
  sys.kernel.run({ untilNs: endNs });
  sys.flushAccounting();
  const after = readCounters(sys.host);
  const metrics = summarize(sys.host, diffCounters(before, after), endNs - warmupNs);
  return { scenario, metrics, events: sys.kernel.eventsFired };
}
