import type { ModelName } from '../model/scenario.ts';
import type { Topology } from '../model/topology.ts';
import type { VhostWork } from '../vhost/vhostWork.ts';

/** A vhost worker thread a threading model creates. */
export interface WorkerSpec {
  name: string;
  /** CPUs it may run on; null = unpinned, placed by the host scheduler. */
  allowed: number[] | null;
  /** VM whose cgroup it belongs to, or -1 for a shared worker that attaches per work. */
  vm: number;
}

export interface PolicyInput {
  topo: Topology;
  vms: number;
  devicesPerVm: number;
}

/**
 * A vhost threading model. The kernel, the machines and the workloads only see this interface: which
 * workers exist, and which worker a newly queued work goes to. Load notifications let a model keep its
 * dispatch state incrementally.
 */
export interface Policy {
  readonly name: ModelName;
  createWorkers(input: PolicyInput): WorkerSpec[];
  /** The worker (index into createWorkers' result) that will run `work`, queued from `fromCpu`. */
  selectWorker(work: VhostWork, fromCpu: number, nowNs: number): number;
  /** The worker took a work off its list and finished running it. */
  workFinished(worker: number, nowNs: number): void;
  /** Number of dispatch decisions made (picks), for the hot-path counters. */
  readonly picks: number;
}
