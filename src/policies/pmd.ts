import type { Scenario } from '../model/scenario.ts';
import type { Topology } from '../model/topology.ts';
import type { VhostWork } from '../vhost/vhostWork.ts';
import { type AutoLb, createAutoLb } from './pmd/autoLb.ts';
import { type Assignment, assignRxqs, type PmdThread, type RxqLoad } from './pmd/rxqAssign.ts';
import type { Policy, PolicyInput, WorkerSpec } from './policy.ts';

/**
 * OVS-DPDK-style PMD threads: polling threads pinned to chosen cores (pmd-cpu-mask, kept free of vCPUs)
 * run a userspace switch. Each receive queue — a VM's vhost-user TX ring, or the NIC queue feeding a
 * VM's RX ring — is assigned to one PMD by `pmd-rxq-assign` (roundrobin, cycles, group); with
 * `pmd-auto-lb`, measured load is sampled and queues are reassigned when a PMD stays overloaded and the
 * dry run improves the balance enough. PMDs never sleep, the NIC is polled (no receive interrupts) and
 * guests do not kick (the vhost-user backend keeps notifications off); guest interrupts still go
 * through irqfd.
 */
export class PmdPolicy implements Policy {
  readonly name = 'pmd' as const;
  readonly nicPolled = true;
  picks = 0;
  tickNs?: number;
  private pmds: PmdThread[] = [];
  private rxqs: { id: number; numa: number }[] = [];
  private assignment: Assignment = new Map();
  private autoLb: AutoLb | null = null;
  private scenario!: Scenario;
  private lastWorkNs: Float64Array = new Float64Array(0);
  /** Reassignments applied by auto load balancing. */
  rebalances = 0;

  reservedCpus(): number[] {
    return this.pmds.map((p) => p.core);
  }

  createWorkers({ topo, scenario }: PolicyInput): WorkerSpec[] {
    this.scenario = scenario;
    const cores = scenario.policy.pmdCores.length > 0 ? scenario.policy.pmdCores : lastCoreOfEachNode(topo);
    this.pmds = cores.map((core, id) => ({ id, core, numa: topo.nodeOf[core] }));
    return this.pmds.map((p) => ({
      name: `pmd${p.core}`,
      allowed: [p.core],
      vm: -1,
      mode: 'poll' as const,
      datapath: 'dpdk' as const,
      busyPollNs: 0,
    }));
  }

  /** The rxqs are known once the works exist: assign them with no history (all cycles zero). */
  bindWorks(works: readonly VhostWork[], vmNode: readonly number[]): void {
    this.rxqs = works.map((w) => ({ id: w.wid, numa: vmNode[w.vm] }));
    this.lastWorkNs = new Float64Array(works.length);
    const p = this.scenario.policy;
    this.assignment = assignRxqs(
      this.rxqs.map((r) => ({ ...r, cycles: 0 })),
      this.pmds,
      p.rxqAssign,
    );
    if (p.autoLb) {
      this.tickNs = Math.round(p.autoLbIntervalS * 1e9);
      this.autoLb = createAutoLb({
        pmds: this.pmds,
        assignment: this.assignment,
        mode: p.rxqAssign,
        intervalNs: this.tickNs,
        // OVS counts consecutive overloaded intervals (PMD_INTERVAL_MAX = 6), whatever their length.
        overloadSamples: 6,
        loadThreshold: p.autoLbLoadThreshold,
        improvementThreshold: p.autoLbImprovementThreshold,
        rebalIntervalNs: Math.round(p.autoLbRebalIntervalS * 1e9),
        startNs: 0,
      });
    }
  }

  selectWorker(work: VhostWork): number {
    this.picks++;
    return this.assignment.get(work.wid) ?? 0;
  }

  workFinished(): void {}

  /** One auto-LB measuring interval: per-rxq cycles and per-PMD busy share over the last interval. */
  tick(nowNs: number, workNs: Float64Array): boolean {
    if (this.autoLb === null || this.tickNs === undefined) return false;
    const cycles: RxqLoad[] = this.rxqs.map((r) => ({ ...r, cycles: workNs[r.id] - this.lastWorkNs[r.id] }));
    this.lastWorkNs = Float64Array.from(workNs);
    const busy = this.pmds.map(() => 0);
    for (const r of cycles) busy[this.assignment.get(r.id) ?? 0] += r.cycles / this.tickNs;
    const decision = this.autoLb.sample(nowNs, busy, cycles);
    if (!decision.rebalance || decision.newAssignment === undefined) return false;
    this.assignment = decision.newAssignment;
    this.rebalances++;
    return true;
  }
}

function lastCoreOfEachNode(topo: Topology): number[] {
  return topo.cpusOf.map((cpus) => cpus[cpus.length - 1]);
}
