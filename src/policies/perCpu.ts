import type { Scenario } from '../model/scenario.ts';
import type { Topology } from '../model/topology.ts';
import type { VhostWork } from '../vhost/vhostWork.ts';
import { DispatchIndex, type DispatchKey, type OwnWorker } from './dispatchIndex.ts';
import { PerDevicePolicy } from './perDevice.ts';
import type { Policy, PolicyInput, WorkerSpec } from './policy.ts';

/** The per-CPU dispatcher's readings of the talk and the RFC (docs/dispatch.md). */
export interface PerCpuOptions {
  /** `policy.perCpuOwnWorker`: whether the queueing CPU's own worker may take the work. */
  own: OwnWorker;
  /** `policy.perCpuKey`: what "idlest" compares first. */
  key: DispatchKey;
  /** `policy.perCpuRequeue`: where a work that hit its weight goes. */
  requeue: 'pick' | 'own';
  /** `policy.perCpuTxRx`: TX and RX always picked apart, or the hybrid rule. */
  txRx: 'split' | 'hybrid';
}

export const perCpuOptions = (s: Scenario): PerCpuOptions => ({
  own: s.policy.perCpuOwnWorker,
  key: s.policy.perCpuKey,
  requeue: s.policy.perCpuRequeue,
  txRx: s.policy.perCpuTxRx,
});

const DEFAULTS: PerCpuOptions = { own: 'never', key: 'works', requeue: 'pick', txRx: 'split' };

/**
 * The talk's proposal: one vhost worker per host CPU, pinned to it, shared by every VM. A work queued from
 * CPU c goes to the idlest worker on c's NUMA node other than c's own (docs/dispatch.md gives the exact rule,
 * its variants and ties). Workers attach to the cgroup of the VM whose work they run, so TX and RX of one
 * device can run at once on two workers.
 */
export class PerCpuPolicy implements Policy {
  readonly name = 'per-cpu' as const;
  private readonly opts: PerCpuOptions;
  private index: DispatchIndex | null = null;
  /** The index's per-node loads are written from the queueing CPUs and the workers' CPUs. */
  readonly dispatchIndex = true;
  private topo: Topology | null = null;
  private nrRunning: (cpu: number) => number = () => 0;
  /** hybrid, while per-device threads would not outnumber the CPUs: the per-device model's threads. */
  private dedicated: PerDevicePolicy | null = null;
  /** Each work's queue-pair sibling (TX <-> RX), and how many of its dispatches are unfinished. */
  private sibling: Int32Array = new Int32Array(0);
  private inFlight: Int32Array = new Int32Array(0);
  private works: readonly VhostWork[] = [];
  /** hybrid: works sent to their sibling's worker (not picks: no choice among the node's workers). */
  joins = 0;

  constructor(options: Partial<PerCpuOptions> = {}) {
    this.opts = { ...DEFAULTS, ...options };
  }

  get picks(): number {
    return this.dedicated?.picks ?? this.index?.picks ?? 0;
  }

  get busyPicks(): number {
    return this.index?.busyPicks ?? 0;
  }

  createWorkers(input: PolicyInput): WorkerSpec[] {
    const { topo, scenario, slots } = input;
    // The talk: "Share vhost thread among VMs when number of VM/virtio_net devices greater than the number
    // of CPUs". Until then each device (queue pair) keeps a thread of its own, TX and RX on it.
    if (this.opts.txRx === 'hybrid' && scenario.vms * slots <= topo.cpus) {
      this.dedicated = new PerDevicePolicy();
      return this.dedicated.createWorkers(input);
    }
    this.topo = topo;
    if (input.nrRunning) this.nrRunning = input.nrRunning;
    else if (this.opts.key !== 'works') throw new Error(`per-cpu key '${this.opts.key}' needs nrRunning`);
    this.index = new DispatchIndex(topo.nodeOf, topo.nodes);
    return topo.nodeOf.map((_, cpu) => ({
      name: `vhost-cpu${cpu}`,
      allowed: [cpu],
      vm: -1,
      mode: 'sleep' as const,
      datapath: 'kernel' as const,
      busyPollNs: 0,
    }));
  }

  bindWorks(works: readonly VhostWork[]): void {
    this.works = works;
    this.inFlight = new Int32Array(works.length);
    const byPair = new Map<string, number>();
    for (const w of works) byPair.set(`${w.vm}.${w.dev}.${w.dir}`, w.wid);
    this.sibling = Int32Array.from(
      works,
      (w) => byPair.get(`${w.vm}.${w.dev}.${w.dir === 'tx' ? 'rx' : 'tx'}`) ?? -1,
    );
  }

  selectWorker(work: VhostWork, fromCpu: number, _nowNs = 0, requeuedBy = -1): number {
    if (this.dedicated) return this.dedicated.selectWorker(work);
    const index = this.index as DispatchIndex;
    let w = -1;
    // vhost_poll_queue() of a single worker: the requeued work goes to the tail of the list it came from.
    if (requeuedBy >= 0 && this.opts.requeue === 'own') w = requeuedBy;
    else if (this.opts.txRx === 'hybrid') w = this.join(work);
    if (w < 0) {
      const node = (this.topo as Topology).nodeOf[fromCpu];
      // Worker w is pinned to CPU w, so the queueing CPU's own worker is worker fromCpu.
      w =
        this.opts.key === 'works'
          ? index.pick(node, fromCpu, this.opts.own)
          : index.pickBy(node, fromCpu, this.opts.own, this.opts.key, this.nrRunning);
    }
    index.queued(w);
    if (this.inFlight.length > 0) this.inFlight[work.wid]++;
    return w;
  }

  /**
   * hybrid in the shared pool: the worker the other direction of the queue pair is queued on or running in,
   * unless both directions are backlogged (their last runs hit the weight: the talk's "split vhost TX and RX
   * work based on the workload"); -1 = pick as usual.
   */
  private join(work: VhostWork): number {
    const sib = this.sibling[work.wid] ?? -1;
    if (sib < 0 || this.inFlight[sib] === 0) return -1;
    const other = this.works[sib];
    if (work.backlogged && other.backlogged) return -1;
    this.joins++;
    return other.worker;
  }

  workFinished(worker: number, nowNs: number, work?: VhostWork): void {
    if (this.dedicated) return;
    (this.index as DispatchIndex).finished(worker, nowNs);
    if (work !== undefined && this.inFlight.length > 0) this.inFlight[work.wid]--;
  }
}
