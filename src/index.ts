/**
 * vhost-sim as a library: build a scenario, run it, read the metrics.
 *
 * @example
 * ```ts
 * import { crossoverStatement, resolveScenario, runScenario } from 'vhost-sim';
 *
 * // Defaults, overridden by a partial scenario and `--set`-style assignments; throws ScenarioError.
 * const scenario = resolveScenario({ model: 'per-cpu', vms: 4, durationS: 0.05 }, ['profile.costs.ctxSwitchNs=0']);
 * const { metrics } = runScenario(scenario);
 * console.log(metrics.throughput.value, metrics.throughput.unit, metrics.efficiency.value);
 *
 * // What per-cpu does against per-device: kind, every crossing, and a sentence that is true.
 * const points = [1, 2, 4].map((vms) => ({
 *   vms,
 *   a: runScenario(resolveScenario({ vms, model: 'per-device', durationS: 0.05 })).metrics.throughput.value,
 *   b: runScenario(resolveScenario({ vms, model: 'per-cpu', durationS: 0.05 })).metrics.throughput.value,
 * }));
 * console.log(crossoverStatement(points).text);
 * ```
 */
export { type RunAsyncOptions, type RunProgress, runAsync } from './api/runAsync.ts';
export {
  type SensitivityMethod,
  type SensitivityOptions,
  type SensitivityParam,
  type SensitivityResult,
  sensitivity,
} from './api/sensitivity.ts';
export { type ActorView, Simulation, type SimulationOptions } from './api/simulation.ts';
export {
  REPRODUCE_VMS,
  reproduce,
  type SweepAxis,
  type SweepOptions,
  type SweepResult,
  sweep,
  TALK_MODELS,
} from './api/sweep.ts';
export { type Category, categories } from './host/categories.ts';
export {
  type CrossoverPoint,
  type CrossoverStatement,
  crossoverStatement,
  type Interval,
  type Order,
  type OrderRun,
  type Side,
  type StatementOptions,
} from './metrics/crossover.ts';
export type { CpuMetrics, Metrics, VmMetrics } from './metrics/summary.ts';
export type { SimMsg } from './model/actor.ts';
export { type DropReason, dropReasons } from './model/packet.ts';
export type {
  CacheSpec,
  CgroupSpec,
  Costs,
  CpuSpec,
  KvmSpec,
  LockSpec,
  NicSpec,
  Profile,
  SchedTunables,
} from './model/profile.ts';
export {
  type CostDistribution,
  type GuestTunables,
  type ModelName,
  modelNames,
  type PolicyOptions,
  type Scenario,
  type VhostTunables,
  type WorkloadKind,
  type WorkloadSpec,
  workloadKinds,
} from './model/scenario.ts';
export type { Topology } from './model/topology.ts';
export { createPolicy } from './policies/index.ts';
export { loadPolicyModule, type PolicyFactory, PolicyModuleError } from './policies/module.ts';
export type { Policy, PolicyInput, WorkerSpec } from './policies/policy.ts';
export type { ExecutorKind } from './runtime/executor.ts';
export { type RunOptions, type RunResult, runScenario } from './runtime/runScenario.ts';
export {
  type ChromeTrace,
  type ChromeTraceEvent,
  runWithTimeline,
  type TimelineRun,
  type TimelineRunOptions,
  traceJson,
} from './runtime/timeline.ts';
export type { TraceEvent } from './runtime/trace.ts';
export { loadScenarioFile } from './scenario/load.ts';
export { profiles } from './scenario/profiles.ts';
export {
  type DeepPartial,
  resolveScenario,
  type ScenarioInput,
  type ScenarioPath,
} from './scenario/resolve.ts';
export { ScenarioError, validateScenario } from './scenario/schema.ts';
export type { Interval as IndexInterval } from './sensitivity/bootstrap.ts';
export type {
  MorrisEntry,
  OutputAnalysis,
  SampleResult,
  SobolEntry,
} from './sensitivity/study.ts';
export type { FailedPoint } from './sweep/execute.ts';
export type { CrossoverEntry, MainMetric, SeedCrossings, SweepPoint } from './sweep/sweep.ts';
export type { VhostWork } from './vhost/vhostWork.ts';
