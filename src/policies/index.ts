import type { ModelName } from '../model/scenario.ts';
import { PerCpuPolicy } from './perCpu.ts';
import { PerDevicePolicy } from './perDevice.ts';
import type { Policy } from './policy.ts';

export const modelNames: readonly ModelName[] = ['per-device', 'per-cpu'];

export function createPolicy(name: ModelName): Policy {
  switch (name) {
    case 'per-device':
      return new PerDevicePolicy();
    case 'per-cpu':
      return new PerCpuPolicy();
  }
}
