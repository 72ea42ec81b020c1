import type { ModelName, Scenario } from '../model/scenario.ts';
import { MultiWorkerPolicy } from './multiWorker.ts';
import { PerCpuPolicy, perCpuOptions } from './perCpu.ts';
import { PerDevicePolicy } from './perDevice.ts';
import { PmdPolicy } from './pmd.ts';
import type { Policy } from './policy.ts';
import { SidecorePolicy } from './sidecore.ts';

export { modelNames } from '../model/scenario.ts';

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
