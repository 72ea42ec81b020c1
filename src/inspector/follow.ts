/**
 * Follow one transaction of a request/response workload: the request of a VM's first netperf instance,
 * then its response (same flow, same birth time), from the moment the application creates it until the
 * response reaches the application back. After every delivery the follower finds where the transaction
 * is in the simulation's own state (a vCPU's job, a virtqueue's ring, a vhost worker's packet, a core's
 * pending interrupt, a tap socket) and, when that place changes, closes the stage it was in at that
 * delivery's virtual time. So every stage boundary is the time of a simulation event, named by the event,
 * and the stages partition the transaction's latency exactly. The one boundary that is no delivery, the
 * request reaching the external peer, is the NIC's own computed arrival (its `txFreeNs` + wire latency).
 */
import type { NicContext } from '../../machines/nic.machine.ts';
import type { PcpuContext } from '../../machines/pcpu.machine.ts';
import type { Job, VcpuContext } from '../../machines/vcpu.machine.ts';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import type { Packet } from '../model/packet.ts';
import type { SimSystem } from '../runtime/system.ts';
import type { TraceEvent } from '../runtime/trace.ts';

export const STAGES = [
  'guest',
  'exit',
  'vhost queue wait',
  'vhost run',
  'NIC',
  'peer',
  'interrupt',
  'injection',
] as const;
export type Stage = (typeof STAGES)[number];

export interface StageSpan {
  stage: Stage;
  fromNs: number;
  /** null: the stage the transaction is in now. */
  toNs: number | null;
  /** The actor holding the transaction in this stage. */
  actor: string;
  /** The delivery that moved it here: `sender → receiver event`. */
  cause: string;
}

export interface FollowedTxn {
  vm: number;
  flow: number;
  bornNs: number;
  /** When the response reached the application (null: still under way). */
  endNs: number | null;
  stages: StageSpan[];
}

export interface FollowView {
  vm: number;
  flow: number;
  /** The transaction under way, and the last one completed. */
  current: FollowedTxn | null;
  last: FollowedTxn | null;
  /** Actors the last completed transaction, then the current one, crossed, in order, without repeats. */
  path: string[];
  /** Why nothing can be followed (a workload without request and response), or null. */
  unsupported: string | null;
}

interface Where {
  stage: Stage;
  actor: string;
}

export class TxnFollower {
  readonly flow: number;
  /** The VMs the transaction can be in: the client's, and the server's in east-west runs. */
  private readonly vms: number[];
  private current: FollowedTxn | null = null;
  private last: FollowedTxn | null = null;
  /** Transactions born before following began are not followed (their first stages were not seen). */
  private readonly sinceNs: number;
  readonly unsupported: string | null;

  constructor(
    private readonly sys: SimSystem,
    readonly vm: number,
  ) {
    const s = sys.scenario;
    this.flow = vm * s.workload.instances;
    const owner = sys.host.vcpuActor[vm][sys.host.flowVcpu(this.flow)];
    const peer = sys.executor.read<VcpuContext>(owner).flows.find((f) => f.flow === this.flow)?.peer ?? -1;
    this.vms = peer >= 0 && peer !== vm ? [vm, peer] : [vm];
    this.sinceNs = sys.kernel.nowNs;
    this.unsupported =
      s.workload.kind === 'TCP_RR' || s.workload.kind === 'UDP_RR' || s.workload.kind === 'OPEN_RR'
        ? null
        : `${s.workload.kind} has no transactions to follow (a request/response workload has)`;
  }

  private ours(p: Packet | null | undefined, bornNs: number): boolean {
    return (
      p != null && p.flow === this.flow && p.bornNs === bornNs && (p.kind === 'req' || p.kind === 'resp')
    );
  }

  /** The request not yet sent: a send job of the flow in its vCPU (the earliest born). */
  private pendingSend(): number | null {
    const h = this.sys.host;
    let born: number | null = null;
    for (const id of h.vcpuActor[this.vm]) {
      const c = this.sys.executor.read<VcpuContext>(id);
      for (const j of c.job === null ? c.jobs : [c.job, ...c.jobs]) {
        if (
          j.k === 'send' &&
          j.flow === this.flow &&
          j.send.kind === 'req' &&
          (born === null || j.send.bornNs < born)
        )
          born = j.send.bornNs;
      }
    }
    return born;
  }

  /** Where the transaction born at `bornNs` is now, or null when it is on a link or gone. */
  private locate(bornNs: number): Where | null {
    const { host: h, executor: ex, keys } = this.sys;
    const jobHolds = (j: Job): boolean =>
      (j.k === 'send' && j.flow === this.flow && j.send.bornNs === bornNs) ||
      ((j.k === 'napi' || j.k === 'ipi') && this.ours(j.pkt, bornNs));
    for (const vm of this.vms) {
      for (const id of h.vcpuActor[vm]) {
        const c = ex.read<VcpuContext>(id);
        if ((c.job !== null && jobHolds(c.job)) || c.jobs.some(jobHolds))
          return { stage: 'guest', actor: keys[id] };
      }
      for (let dev = 0; dev < h.txVq[vm].length; dev++) {
        if (h.guest.txq[vm][dev].qdisc.some((q) => this.ours(q.pkt, bornNs)))
          return { stage: 'guest', actor: keys[h.vcpuActor[vm][0]] };
        const tx = ex.read<VirtqueueContext>(h.txVq[vm][dev]);
        if (tx.ring.some((p) => this.ours(p, bornNs))) {
          // The guest's kick for this ring (a VM exit) is under way or due: the exit stage.
          for (const id of h.vcpuActor[vm]) {
            const c = ex.read<VcpuContext>(id);
            const kick = (j: Job) => j.k === 'kick' && j.dir === 'tx' && j.dev === dev;
            if ((c.job !== null && kick(c.job)) || c.jobs.some(kick))
              return { stage: 'exit', actor: keys[id] };
          }
          return { stage: 'vhost queue wait', actor: this.waiter(h.txWork[vm][dev]) };
        }
        const rx = ex.read<VirtqueueContext>(h.rxVq[vm][dev]);
        if (rx.sock.some((p) => this.ours(p, bornNs)))
          return { stage: 'vhost queue wait', actor: this.waiter(h.rxWork[vm][dev]) };
        if (rx.ring.some((p) => this.ours(p, bornNs)))
          return { stage: 'injection', actor: keys[h.rxVq[vm][dev]] };
      }
    }
    for (const id of h.workerActor) {
      if (this.ours(ex.read<VhostWorkerContext>(id).pkt, bornNs))
        return { stage: 'vhost run', actor: keys[id] };
    }
    for (const id of h.cpuActor) {
      if (ex.read<PcpuContext>(id).irqPkts.some((p) => this.ours(p, bornNs)))
        return { stage: 'interrupt', actor: keys[id] };
    }
    return null;
  }

  /** The worker a work is queued on, else its virtqueue. */
  private waiter(wid: number): string {
    const h = this.sys.host;
    const w = h.works[wid];
    return w.worker >= 0 && h.workerActor[w.worker] !== undefined
      ? this.sys.keys[h.workerActor[w.worker]]
      : this.sys.keys[w.vq];
  }

  private move(txn: FollowedTxn, to: Where, atNs: number, cause: string): void {
    const open = txn.stages[txn.stages.length - 1];
    if (open !== undefined && open.stage === to.stage && open.actor === to.actor) return;
    if (open !== undefined) open.toNs = atNs;
    txn.stages.push({ stage: to.stage, fromNs: atNs, toNs: null, actor: to.actor, cause });
  }

  /** Feed one delivery (after it ran). */
  observe(ev: TraceEvent): void {
    if (this.unsupported !== null) return;
    const cause = `${ev.from} → ${ev.actor} ${ev.event}`;
    if (this.current === null) {
      const born = this.pendingSend();
      if (born === null || born < this.sinceNs) return;
      this.current = { vm: this.vm, flow: this.flow, bornNs: born, endNs: null, stages: [] };
      this.current.stages.push({
        stage: 'guest',
        fromNs: born,
        toNs: null,
        actor: this.sys.keys[this.sys.host.vcpuActor[this.vm][this.sys.host.flowVcpu(this.flow)]],
        cause: 'the application creates the request',
      });
    }
    const txn = this.current;
    const pkt = ev.msg.pkt as Packet | undefined;
    if (ev.actor === 'nic' && this.ours(pkt, txn.bornNs)) {
      if (ev.event === 'nic.tx') {
        // Through the NIC's queue and the wire to the peer, whose answer comes back as nic.rx.
        const nic = this.sys.executor.read<NicContext>(this.sys.host.nicActor);
        const arriveNs = nic.txFreeNs + this.sys.scenario.profile.nic.wireNs;
        this.move(txn, { stage: 'NIC', actor: 'nic' }, ev.atNs, cause);
        this.move(
          txn,
          { stage: 'peer', actor: 'nic' },
          arriveNs,
          'the frame reaches the peer (NIC txFreeNs + wire)',
        );
      } else if (ev.event === 'nic.rx') {
        // The reply has arrived; the NIC holds its interrupt for the moderation delay.
        this.move(txn, { stage: 'NIC', actor: 'nic' }, ev.atNs, cause);
      }
      return;
    }
    const where = this.locate(txn.bornNs);
    if (where !== null) {
      this.move(txn, where, ev.atNs, cause);
      return;
    }
    // Gone from the guest: the response reached the application (or a request was dropped).
    const open = txn.stages[txn.stages.length - 1];
    if (open.stage === 'guest' && txn.stages.length > 1) {
      open.toNs = ev.atNs;
      txn.endNs = ev.atNs;
      this.last = txn;
      this.current = null;
      this.observe(ev);
    }
  }

  view(): FollowView {
    const path: string[] = [];
    for (const t of [this.last, this.current])
      for (const s of t?.stages ?? []) if (!path.includes(s.actor)) path.push(s.actor);
    return {
      vm: this.vm,
      flow: this.flow,
      current: this.current,
      last: this.last,
      path,
      unsupported: this.unsupported,
    };
  }
}
