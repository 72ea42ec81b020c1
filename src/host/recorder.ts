import { type GuestCounters, newGuestCounters } from '../guest/counters.ts';
import { type DropReason, dropReasons } from '../model/packet.ts';
import type { WorkloadSink } from '../workloads/workload.ts';
import { CAT_VHOST, categories } from './categories.ts';

/**
 * Collects what happens during the measured window. Counters are plain typed arrays bumped on the hot
 * path; everything before the warm-up ends is discarded by `reset()`.
 */
export class Recorder implements WorkloadSink {
  /** cpuNs[cpu * categories + category] */
  readonly cpuNs: Float64Array;
  /** CPU time charged to each VM's cgroup (its vCPUs and the vhost work done for it). */
  readonly vmNs: Float64Array;
  readonly vmTxns: Float64Array;
  /** Payload bytes delivered to a server application, per client VM (streams). */
  readonly vmBytes: Float64Array;
  /**
   * Packets created by any sender, consumed by an application or the peer, dropped: whole-run counters
   * (not reset at warm-up) for the conservation check; `drops` by reason is per measured window.
   */
  created = 0;
  consumed = 0;
  dropsTotal = 0;
  drops: Record<DropReason, number> = emptyDrops();
  /** Messages and bytes the client applications sent. */
  appSends = 0;
  appSendBytes = 0;
  /** vhost time spent on a node other than the VM's memory node, and in all. */
  vhostRemoteNs = 0;
  vhostNs = 0;
  latenciesNs: number[] = [];
  kicks = 0;
  /** VM exits the guest takes: kicks, HLT, IPI (ICR write) and EOI traps of interrupt entries. */
  exits = 0;
  irqInjections = 0;
  nicIrqs = 0;
  /** Frames the NIC received for the host's CPUs (interrupt-driven queues). */
  nicRxFrames = 0;
  /** Interrupts that kicked a running guest out with a reschedule IPI (kvm_vcpu_kick). */
  kickExits = 0;
  /** Shared lines (work_lock, dispatch index) pulled from another core of the L3, or from another L3. */
  lineLlcTransfers = 0;
  lineRemoteTransfers = 0;
  /** Takes of a work_lock held by another CPU, and the time spun. */
  lockSpins = 0;
  lockSpinNs = 0;
  /** ixgbe_poll() rounds beyond the first of a softirq batch (a poll that used its whole NAPI budget). */
  napiRepolls = 0;
  worksRun = 0;
  workPkts = 0;
  workSojournNs = 0;
  coalesced = 0;
  requeues = 0;
  attaches = 0;
  /** A worker found vq->mutex held by another worker and left the work to the holder. */
  vqMutexContended = 0;
  /** mm switches that flushed a TLB; working-set refills from the L3 and from memory. */
  tlbFlushes = 0;
  llcRefills = 0;
  memRefills = 0;
  /** Attaches that slept in mutex_lock(&cgroup_mutex), and for how long in all. */
  cgroupMutexWaits = 0;
  cgroupMutexWaitNs = 0;
  /** Attaches whose cpuset hierarchy refused a bound kthread; attaches that slept in synchronize_rcu(). */
  cgroupAttachRefused = 0;
  rcuGraceWaits = 0;
  /** CPU burnt busy polling or scanning queues (inside the vhost category). */
  pollNs = 0;
  txPkts = 0;
  rxPkts = 0;
  /** Per-packet vhost sojourn (reaching the ring or socket -> end of its handler segment), summed. */
  txSojournNs = 0;
  rxSojournNs = 0;
  /** Most packets one handler run moved (vhost_exceeds_weight bounds it). */
  workPktsMax = 0;
  /**
   * Packets waiting for vhost (TX rings, RX sockets) and in a vhost segment, and their time integrals
   * since `queueSinceNs` (the window's start): time averages are area / window.
   */
  pktsWaiting = 0;
  pktsInService = 0;
  waitingAreaNs = 0;
  inServiceAreaNs = 0;
  private queueSinceNs = 0;
  /** Where wake-ups landed and what balancing did (metrics.sched). */
  sched: SchedCounters = emptySched();
  /** The guests' TX completions, queue stops, sender sleeps. */
  guest: GuestCounters = newGuestCounters();

  constructor(
    readonly cpus: number,
    readonly vms: number,
    private readonly nodeOfCpu: number[],
    private readonly vmNode: number[],
  ) {
    this.cpuNs = new Float64Array(cpus * categories.length);
    this.vmNs = new Float64Array(vms);
    this.vmTxns = new Float64Array(vms);
    this.vmBytes = new Float64Array(vms);
  }

  delivered(vm: number, bytes: number): void {
    if (vm >= 0) this.vmBytes[vm] += bytes;
  }

  ack(delayed: boolean): void {
    this.guest.acks++;
    if (delayed) this.guest.delayedAcks++;
  }

  senderSleep(): void {
    this.guest.senderSleeps++;
  }

  senderWake(): void {
    this.guest.senderWakes++;
  }

  drop(reason: DropReason): void {
    this.drops[reason]++;
    this.dropsTotal++;
  }

  /** Charge `ns` of `cpu` to `category`, and to `vm`'s cgroup when vm >= 0. */
  account(cpu: number, category: number, vm: number, ns: number): void {
    if (ns <= 0) return;
    this.cpuNs[cpu * categories.length + category] += ns;
    if (vm >= 0) this.vmNs[vm] += ns;
    if (category === CAT_VHOST && vm >= 0) {
      this.vhostNs += ns;
      if (this.nodeOfCpu[cpu] !== this.vmNode[vm]) this.vhostRemoteNs += ns;
    }
  }

  /** The packets waiting for vhost and in service change by these deltas at `nowNs`. */
  vhostQueue(nowNs: number, dWaiting: number, dInService: number): void {
    this.integrate(nowNs);
    this.pktsWaiting += dWaiting;
    this.pktsInService += dInService;
  }

  /** Bring the time integrals up to `nowNs`. */
  integrate(nowNs: number): void {
    const dt = nowNs - this.queueSinceNs;
    this.waitingAreaNs += this.pktsWaiting * dt;
    this.inServiceAreaNs += this.pktsInService * dt;
    this.queueSinceNs = nowNs;
  }

  /** A packet's vhost segment ended at `nowNs`, `sojournNs` after it reached vhost. */
  pktServed(nowNs: number, dir: 'tx' | 'rx', sojournNs: number): void {
    this.vhostQueue(nowNs, 0, -1);
    if (dir === 'tx') {
      this.txPkts++;
      this.txSojournNs += sojournNs;
    } else {
      this.rxPkts++;
      this.rxSojournNs += sojournNs;
    }
  }

  transaction(vm: number, latencyNs: number): void {
    this.vmTxns[vm]++;
    this.latenciesNs.push(latencyNs);
  }

  /** Start the measured window at `nowNs`: counts and integrals restart; packets in the system stay. */
  reset(nowNs: number): void {
    this.cpuNs.fill(0);
    this.vmNs.fill(0);
    this.vmTxns.fill(0);
    this.vmBytes.fill(0);
    this.drops = emptyDrops();
    this.appSends = 0;
    this.appSendBytes = 0;
    this.latenciesNs = [];
    this.vhostRemoteNs = 0;
    this.vhostNs = 0;
    this.kicks = 0;
    this.exits = 0;
    this.irqInjections = 0;
    this.nicIrqs = 0;
    this.nicRxFrames = 0;
    this.kickExits = 0;
    this.lineLlcTransfers = 0;
    this.lineRemoteTransfers = 0;
    this.lockSpins = 0;
    this.lockSpinNs = 0;
    this.napiRepolls = 0;
    this.worksRun = 0;
    this.workPkts = 0;
    this.workSojournNs = 0;
    this.coalesced = 0;
    this.requeues = 0;
    this.attaches = 0;
    this.vqMutexContended = 0;
    this.tlbFlushes = 0;
    this.llcRefills = 0;
    this.memRefills = 0;
    this.cgroupMutexWaits = 0;
    this.cgroupMutexWaitNs = 0;
    this.cgroupAttachRefused = 0;
    this.rcuGraceWaits = 0;
    this.pollNs = 0;
    this.txPkts = 0;
    this.rxPkts = 0;
    this.txSojournNs = 0;
    this.rxSojournNs = 0;
    this.workPktsMax = 0;
    this.waitingAreaNs = 0;
    this.inServiceAreaNs = 0;
    this.queueSinceNs = nowNs;
    this.sched = emptySched();
    this.guest = newGuestCounters();
  }
}

export interface SchedCounters {
  wakeups: number;
  /** wake_affine() moved the target to the waker's CPU. */
  affine: number;
  /** select_idle_sibling() found another idle CPU than the target. */
  idleSibling: number;
  /** The wakee landed on the CPU it last ran on. */
  prevCpu: number;
  /** Tasks pulled by periodic balancing, and candidates it kept because they were cache hot. */
  moves: number;
  cacheHotRefusals: number;
  /** Tasks pulled by a CPU about to go idle. */
  newIdlePulls: number;
}

function emptySched(): SchedCounters {
  return {
    wakeups: 0,
    affine: 0,
    idleSibling: 0,
    prevCpu: 0,
    moves: 0,
    cacheHotRefusals: 0,
    newIdlePulls: 0,
  };
}

function emptyDrops(): Record<DropReason, number> {
  return Object.fromEntries(dropReasons.map((r) => [r, 0])) as Record<DropReason, number>;
}
