import type { ModelName, Scenario } from '../model/scenario.ts';
import type { Topology } from '../model/topology.ts';
import type { VhostWork } from '../vhost/vhostWork.ts';

/** A vhost worker thread a threading model creates. */
export interface WorkerSpec {
  name: string;
  /** CPUs it may run on; null = unpinned, placed by the host scheduler. */
  allowed: number[] | null;
  /** VM whose cgroup it belongs to, or -1 for a shared worker that attaches per work. */
  vm: number;
  /**
   * `sleep`: vhost_worker() — runs queued works, sleeps on an empty list. `poll`: a polling thread
   * (sidecore, PMD) that never sleeps and scans the queues it owns for new buffers.
   */
  mode: 'sleep' | 'poll';
  /** Per-packet path: `kernel` = vhost-net with tap and bridge; `dpdk` = vhost-user in a userspace switch. */
  datapath: 'kernel' | 'dpdk';
  /** busyloop_timeout (poll-us): spin this long on an empty ring or socket before giving up. 0 = off. */
  busyPollNs: number;
}

export interface PolicyInput {
  topo: Topology;
  scenario: Scenario;
  /** Queue slots per VM (devices x queue pairs); slot = device * queuePairs + pair. */
  slots: number;
  /**
   * nr_running of a CPU's run queue at this instant, the running thread included (the host's scheduler
   * state, read at each pick by designs that look at how busy a CPU is). Absent outside a simulation.
   */
  nrRunning?: (cpu: number) => number;
}

/**
 * A vhost threading model. The kernel, the machines and the workloads only see this interface: which
 * workers exist and how they run, which worker a newly queued work goes to, and the few host-wide
 * consequences a design has (cores it takes for itself, exitless notifications, a polled NIC).
 */
export interface Policy {
  /** The model's name: one of the built-in ModelNames, or your own for a policy passed in directly. */
  readonly name: ModelName | (string & {});
  createWorkers(input: PolicyInput): WorkerSpec[];
  /**
   * The worker (index into createWorkers' result) that runs `work`, queued from `fromCpu`. `fromCpu` is -1
   * when no CPU queues it: assigning queues to polling threads (at start and after a reassignment) and a
   * polled NIC handing a frame to its queue's owner. A design that dispatches by CPU must not be combined
   * with a polled NIC. `requeuedBy` is the worker whose handler has just hit its weight and requeues
   * `work` (vhost_exceeds_weight), else -1.
   */
  selectWorker(work: VhostWork, fromCpu: number, nowNs: number, requeuedBy?: number): number;
  /** The worker took `work` off its list and finished running it (to the end, or to its weight). */
  workFinished(worker: number, nowNs: number, work: VhostWork): void;
  /** Number of dispatch decisions made (picks), for the hot-path counters. */
  readonly picks: number;
  /**
   * Picks that chose a worker with work queued while another worker the work could have gone to had none
   * (the dispatch pathology of issue 16); designs without a choice leave it out (0).
   */
  readonly busyPicks?: number;
  /** The host's works exist (polling designs decide here which thread owns which queue). */
  bindWorks?(works: readonly VhostWork[], vmNode: readonly number[]): void;
  /** CPUs the design takes for its own threads: vCPUs are kept off them. */
  reservedCpus?(topo: Topology): number[];
  /**
   * The design keeps a load index per node that every pick (on the queueing CPU) and every finished work
   * (on the worker's CPU) writes, so its cache line moves between them (profile.locks.dispatchLines).
   */
  readonly dispatchIndex?: boolean;
  /** Interrupts reach the guest without a VM exit (ELI / posted interrupts, as ELVIS uses). */
  readonly exitlessInterrupts?: boolean;
  /** The NIC's receive queues are polled by the design's threads: no receive interrupts. */
  readonly nicPolled?: boolean;
  /** Period of `tick`, if the design rebalances itself (OVS auto load balancing). */
  readonly tickNs?: number;
  /**
   * Periodic hook with the CPU time each work's handler has used so far. Returns true when the
   * assignment of works to workers changed (pollers are then told their new queues).
   */
  tick?(nowNs: number, workNs: Float64Array): boolean;
}
