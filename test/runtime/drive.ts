import type { ModelName, Scenario } from '../../src/model/scenario.ts';
import { measureWindow } from '../../src/runtime/measureWindow.ts';
import { SimSystem, type SystemOptions } from '../../src/runtime/system.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';

/** A small scenario: defaults with the given overrides and short virtual durations. */
export function small(
  model: ModelName,
  vms: number,
  opts: { instances?: number; seed?: number; durationS?: number; warmupS?: number } = {},
): Scenario {
  const s = defaultScenario();
  s.model = model;
  s.vms = vms;
  s.workload.instances = opts.instances ?? 1;
  s.seed = opts.seed ?? 1;
  s.durationS = opts.durationS ?? 0.02;
  s.warmupS = opts.warmupS ?? 0.005;
  return s;
}

/** Drive a system the way runScenario does; returns it with the measured window's length. */
export function drive(
  scenario: Scenario,
  options: SystemOptions = {},
  beforeStart?: (sys: SimSystem) => void,
): { sys: SimSystem; windowNs: number } {
  const sys = new SimSystem(scenario, options);
  beforeStart?.(sys);
  return { sys, windowNs: measureWindow(sys).windowNs };
}
