import type { ModelName, Scenario } from '../model/scenario.ts';
import { MultiWorkerPolicy } from './multiWorker.ts';
import { PerCpuPolicy, perCpuOptions } from './perCpu.ts';
import { PerDevicePolicy } from './perDevice.ts';
import { PmdPolicy } from './pmd.ts';
import type { Policy } from './policy.ts';
import { SidecorePolicy } from './sidecore.ts';

export { modelNames } from '../model/scenario.ts';

/**
 * A built-in model's policy object, as a run of `scenario.model = name` makes it: to wrap or compare
 * against in a policy of your own (docs/guide/write-a-policy.md). One object per run: a policy keeps state.
 *
 * @example
 * ```ts
 * import { createPolicy, resolveScenario, runScenario } from 'vhost-sim';
 *
 * // The policy object gives the run the model's name gives.
 * const scenario = resolveScenario({ model: 'per-cpu', vms: 2, durationS: 0.005, warmupS: 0.002 });
 * const own = runScenario(scenario, { policy: createPolicy('per-cpu', scenario) }).metrics;
 * console.log(own.throughput.value, own.throughput.value === runScenario(scenario).metrics.throughput.value);
 * ```
 */
export function createPolicy(name: ModelName, scenario: Scenario): Policy {
  switch (name) {
    case 'per-device':
      return new PerDevicePolicy();
    case 'per-cpu':
      return new PerCpuPolicy(perCpuOptions(scenario));
    case 'multi-worker':
      return new MultiWorkerPolicy();
    case 'busy-poll':
      return new PerDevicePolicy(Math.round(scenario.policy.busyPollUs * 1000), 'busy-poll');
    case 'sidecore':
      return new SidecorePolicy();
    case 'pmd':
      return new PmdPolicy();
  }
}
