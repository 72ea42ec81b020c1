import type { Topology } from '../model/topology.ts';
import type { VhostWork } from '../vhost/vhostWork.ts';
import { DispatchIndex, type OwnWorker } from './dispatchIndex.ts';
import type { Policy, PolicyInput, WorkerSpec } from './policy.ts';

/**
 * The talk's proposal: one vhost worker per host CPU, pinned to it, shared by every VM. A work queued from
 * CPU c goes to the idlest worker on c's NUMA node other than c's own (docs/design.md gives the exact rule
 * and ties). Workers attach to the cgroup of the VM whose work they run, so TX and RX of one device can
 * run at once on two workers.
 */
export class PerCpuPolicy implements Policy {
  readonly name = 'per-cpu' as const;
  private index: DispatchIndex | null = null;
  private topo: Topology | null = null;

  /** `own`: whether the queueing CPU's own worker may take the work (`policy.perCpuOwnWorker`). */
  constructor(private readonly own: OwnWorker = 'never') {}

  get picks(): number {
    return this.index?.picks ?? 0;
  }

  get busyPicks(): number {
    return this.index?.busyPicks ?? 0;
  }

  createWorkers({ topo }: PolicyInput): WorkerSpec[] {
    this.topo = topo;
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

  selectWorker(_work: VhostWork, fromCpu: number): number {
    const index = this.index as DispatchIndex;
    const node = (this.topo as Topology).nodeOf[fromCpu];
    // Worker w is pinned to CPU w, so the queueing CPU's own worker is worker fromCpu.
    const w = index.pick(node, fromCpu, this.own);
    index.queued(w);
    return w;
  }

  workFinished(worker: number, nowNs: number): void {
    (this.index as DispatchIndex).finished(worker, nowNs);
  }
}
