import { type GuestNet, guestNet } from '../guest/guestNet.ts';
import { type RandomStream, streamFor } from '../kernel/random.ts';
import type { ActorId, SimMsg } from '../model/actor.ts';
import type { DropReason, Packet } from '../model/packet.ts';
import type { Costs, SchedTunables } from '../model/profile.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Topology } from '../model/topology.ts';
import type { Policy } from '../policies/policy.ts';
import { moveWaiting, placeWoken, renormalize } from '../sched/cfs.ts';
import { catchUpCpuLoad } from '../sched/cpuLoad.ts';
import { buildDomains, type SchedDomain } from '../sched/domains.ts';
import {
  type BalanceRules,
  type BalanceState,
  balanceIntervalNs,
  rebalanceDomains,
} from '../sched/loadBalance.ts';
import { countIdleByLlc, enqueue, newRunQueue, type RunQueue } from '../sched/runQueue.ts';
import { selectTaskRqFair, type WakeRules } from '../sched/selectCpu.ts';
import type { Task } from '../sched/task.ts';
import type { VhostWork } from '../vhost/vhostWork.ts';
import type { Workload } from '../workloads/workload.ts';
import { type CacheState, enterVm, newCacheState, warmth } from './cache.ts';
import { type SharedLine, takeLine } from './cacheLine.ts';
import { type CgroupMutex, newCgroupMutex } from './cgroup.ts';
import { Recorder } from './recorder.ts';

export type Link = (to: ActorId, ev: SimMsg, delayNs: number) => void;

/**
 * The host kernel's shared state, the part that real code reaches through shared memory rather than
 * messages: tasks and run queues (the scheduler), vhost works and their QUEUED bits, the recorder.
 * Machine actions use it through their port; nothing here decides behaviour that a machine owns.
 */
export class Host implements BalanceState {
  readonly tasks: Task[] = [];
  readonly rqs: RunQueue[];
  /** Each CPU's scheduling domains, bottom-up (sched/domains.ts). */
  readonly domains: SchedDomain[][];
  /** cpu_power: 1024 for a core, smt_gain (1178) shared by a core's SMT threads. */
  readonly power: number[];
  readonly tickNs: number;
  readonly rules: WakeRules;
  readonly balance: BalanceRules;
  /** When each CPU's periodic balancing is armed for (rq->next_balance); Infinity: not armed. */
  readonly nextBalanceNs: number[];
  /** Arms a CPU's balancing event (set by the system, which owns the event kernel). */
  armBalance: (cpu: number, atNs: number) => void = () => {};
  readonly works: VhostWork[] = [];
  readonly recorder: Recorder;
  readonly costs: Costs;
  readonly tun: SchedTunables;
  readonly vmNode: number[];
  /** What each core's L2, each LLC and each core's CR3 hold (the address-space cache model). */
  readonly caches: CacheState;
  /** The guests' qdiscs, TX queue states and sockets. */
  readonly guest: GuestNet;
  /** The global cgroup_mutex every cgroup attach takes. */
  readonly cgroupMutex: CgroupMutex = newCgroupMutex();
  /** Each worker's dev->work_lock and work list: one cache line (src/host/cacheLine.ts). */
  workLines: SharedLine[] = [];
  /** A dispatching design's load index, one line per node. */
  dispatchLines: SharedLine[] = [];
  /** Per CPU: what the softirq owes for lines it took, paid with the core's next interrupt. */
  irqDebtNs: number[] = [];
  cpuActor: ActorId[] = [];
  workerActor: ActorId[] = [];
  /** workerTid[w]: worker w's thread. */
  workerTid: number[] = [];
  nicActor: ActorId = -1;
  /** [vm][dev] -> work id / virtqueue actor */
  txWork: number[][] = [];
  rxWork: number[][] = [];
  txVq: ActorId[][] = [];
  rxVq: ActorId[][] = [];
  /** [vm][vcpu] -> vCPU actor */
  vcpuActor: ActorId[][] = [];
  /** CPU time each work's handler has been given so far (a design's measure of queue load). */
  workNs: Float64Array = new Float64Array(0);
  private packetSeq = 0;
  private readonly streams = new Map<string, RandomStream>();
  /** `flowStream` memo, by prefix then flow: saves building the key string for every packet. */
  private readonly flowStreams = new Map<string, RandomStream[]>();
  private readonly costStreams: RandomStream[] = [];

  constructor(
    readonly scenario: Scenario,
    readonly topo: Topology,
    readonly policy: Policy,
    readonly workload: Workload,
    private readonly link: Link,
    readonly now: () => number,
  ) {
    this.costs = scenario.profile.costs;
    this.tun = scenario.profile.sched;
    this.rqs = topo.nodeOf.map((node, cpu) => newRunQueue(cpu, node, this.tun.migrationCostNs));
    this.domains = buildDomains(topo, this.tun.numaAffineDistance);
    countIdleByLlc(this.rqs, this.domains);
    this.power = topo.coreOf.map((core) => {
      const threads = topo.threadsOf[core].length;
      return threads === 1 ? 1024 : Math.trunc(1178 / threads); // default_scale_smt_power()
    });
    this.tickNs = Math.round(1e9 / this.tun.hz);
    this.rules = { wakeAffine: this.tun.wakeAffine, selectIdleSibling: this.tun.selectIdleSibling };
    this.balance = {
      periodicBalance: this.tun.periodicBalance,
      cacheHot: this.tun.cacheHot,
      decayedLoad: this.tun.decayedLoad,
      migrationCostNs: this.tun.migrationCostNs,
    };
    this.nextBalanceNs = new Array<number>(topo.cpus).fill(Number.POSITIVE_INFINITY);
    // VMs' memory is spread over the nodes round-robin (first touch where QEMU started).
    this.vmNode = Array.from({ length: scenario.vms }, (_, vm) => vm % topo.nodes);
    this.recorder = new Recorder(topo.cpus, scenario.vms, topo.nodeOf, this.vmNode);
    // One last-level cache per socket (Nehalem-EP's shared L3).
    this.caches = newCacheState(scenario.profile.cache, topo.nodeOf, scenario.vms);
    this.guest = guestNet(scenario, scenario.devicesPerVm * scenario.queuePairs);
  }

  /** The seeded random stream of one entity: draws elsewhere never shift it. */
  stream(key: string): RandomStream {
    let s = this.streams.get(key);
    if (s === undefined) {
      s = streamFor(this.scenario.seed, key);
      this.streams.set(key, s);
    }
    return s;
  }

  /**
   * `stream(\`${prefix}.flow${flow}\`)` (the same stream object), looked up by index: the per-packet draws
   * (peer turnaround, open-loop arrivals) would otherwise build and hash a key string each time.
   */
  flowStream(prefix: string, flow: number): RandomStream {
    let byFlow = this.flowStreams.get(prefix);
    if (byFlow === undefined) {
      byFlow = [];
      this.flowStreams.set(prefix, byFlow);
    }
    let s = byFlow[flow];
    if (s === undefined) {
      s = this.stream(`${prefix}.flow${flow}`);
      byFlow[flow] = s;
    }
    return s;
  }

  /** Remote-NUMA cost factor for work of `vm` on `cpu` with the given memory-bound fraction. */
  numaFactor(vm: number, cpu: number, memFraction: number): number {
    if (vm < 0 || this.vmNode[vm] === this.topo.nodeOf[cpu]) return 1;
    return 1 + this.costs.remoteNumaPenalty * memFraction;
  }

  newPacket(
    src: number,
    dst: number,
    dev: number,
    flow: number,
    bytes: number,
    kind: Packet['kind'],
    ack: number,
    bornNs: number,
  ): Packet {
    this.recorder.created++;
    return Object.freeze({ id: this.packetSeq++, src, dst, dev, flow, bytes, kind, ack, bornNs });
  }

  /**
   * A queue dropped `pkt`: count it by reason, and tell a TCP sender, whose retransmission timer fires
   * later if nothing else will tell it.
   */
  drop(pkt: Packet, reason: DropReason): void {
    this.recorder.drop(reason);
    // The external peer's own data (an RX stream): its sender's timer runs at the NIC, behind which it sits.
    if (pkt.src < 0 && this.workload.peer !== undefined) {
      const peerRtoNs = this.workload.peer.lost(pkt);
      if (peerRtoNs > 0)
        this.link(this.nicActor, { type: 'peer.rto', flow: pkt.flow, dst: pkt.dst, dev: pkt.dev }, peerRtoNs);
      return;
    }
    const rtoNs = this.workload.lost?.(pkt) ?? 0;
    if (rtoNs > 0) {
      const vcpu = this.vcpuActor[pkt.src][this.flowVcpu(pkt.flow)];
      this.link(vcpu, { type: 'tcp.rto', flow: pkt.flow }, rtoNs);
    }
  }

  /** vCPU index whose application runs instance `flow` (instances are spread over the VM's vCPUs). */
  flowVcpu(flow: number): number {
    const s = this.scenario;
    return (flow % s.workload.instances) % s.vcpusPerVm;
  }

  /** vCPU that takes a queue slot's interrupt: queue pair q's affinity hint is vCPU q (mod vCPUs). */
  irqVcpu(dev: number): number {
    return (dev % this.scenario.queuePairs) % this.scenario.vcpusPerVm;
  }

  /** A CPU cost as drawn for this run: the profile value, or a random draw with that mean. */
  private vary(tid: number, costNs: number): number {
    const d = this.scenario.costDistribution;
    if (d.kind === 'constant' || costNs <= 0) return costNs;
    let rng = this.costStreams[tid];
    if (rng === undefined) {
      rng = this.stream(`cost.task${tid}`);
      this.costStreams[tid] = rng;
    }
    return d.kind === 'exponential' ? rng.exponential(costNs) : rng.lognormalMean(costNs, d.cv);
  }

  // ---- scheduler services -------------------------------------------------------------------------

  /**
   * try_to_wake_up(): place a sleeping task on a run queue (select_task_rq_fair from the waker's CPU,
   * -1 for a timer) and tell that CPU. `sync`: the waker is about to sleep (WF_SYNC).
   */
  wake(tid: number, wakerCpu: number, sync = false): void {
    const task = this.tasks[tid];
    if (task.state !== 'blocked') return;
    const placed = selectTaskRqFair(task, wakerCpu, sync, this);
    const cpu = placed.cpu;
    const w = this.recorder.sched;
    w.wakeups++;
    if (placed.affine) w.affine++;
    if (placed.idleSibling) w.idleSibling++;
    if (cpu === task.cpu) w.prevCpu++;
    const rq = this.rqs[cpu];
    if (cpu !== task.cpu) {
      renormalize(task, this.rqs[task.cpu], rq);
      task.migrations++;
      task.cpu = cpu;
    }
    placeWoken(task, rq, this.tun);
    task.state = 'runnable';
    this.loadChanging(cpu);
    enqueue(rq, tid);
    this.link(this.cpuActor[cpu], { type: 'rq.wake' }, 0);
  }

  /**
   * Cache and TLB cost of switching `tid` in on `cpu` (paid in the switch, on top of ctxSwitchNs): with
   * the address-space model, by what the core and its LLC hold of the thread's VM and whether CR3
   * changes (src/host/cache.ts); with the `thread` model, a flat refill when another thread ran there since.
   */
  switchInNs(cpu: number, tid: number): number {
    const task = this.tasks[tid];
    if (this.scenario.profile.cache.model === 'thread')
      return this.rqs[cpu].lastTid !== tid ? this.costs.cacheRefillNs : 0;
    return this.enter(cpu, task.mm, task.kind === 'vhost');
  }

  /**
   * A shared worker starts on `vm`'s work: use_mm() of the VM's address space (a kernel datapath) and
   * its data, as the cache model charges them. The `thread` model keeps both inside `cgroupAttachNs`.
   */
  useMm(tid: number, cpu: number, vm: number, switchMm: boolean): number {
    const task = this.tasks[tid];
    if (task.mm === vm) return 0;
    task.mm = vm;
    if (this.scenario.profile.cache.model === 'thread') return 0;
    return this.enter(cpu, vm, true, switchMm);
  }

  private enter(cpu: number, vm: number, hostMode: boolean, switchMm = true): number {
    const r = this.recorder;
    if (vm >= 0) {
      const where = warmth(this.caches, cpu, vm);
      if (where === 'llc') r.llcRefills++;
      else if (where === 'memory') r.memRefills++;
    }
    const e = enterVm(this.caches, this.scenario.profile.cache, this.costs, cpu, vm, hostMode, switchMm);
    if (e.tlbFlush) r.tlbFlushes++;
    return e.ns;
  }

  /** A run queue's load is about to change: its decayed cpu_load[] first catches up to now. */
  loadChanging(cpu: number): void {
    if (this.balance.decayedLoad) catchUpCpuLoad(this.rqs[cpu], this.now(), this.tickNs);
  }

  /** Migrate a waiting task between run queues (a balancing pull), keeping the loads' history right. */
  moveTask(from: number, index: number, to: number): void {
    this.loadChanging(from);
    this.loadChanging(to);
    moveWaiting(this.tasks, this.rqs[from], index, this.rqs[to]);
  }

  /**
   * A CPU's balancing is due (trigger_load_balance from its tick): rebalance_domains pulls per level, the
   * CPU is told if it got work, and the next pass is armed. Events come only when a pass is due, not on
   * every tick.
   */
  balanceDue(cpu: number): void {
    if (this.now() !== this.nextBalanceNs[cpu]) return; // superseded by an earlier arming
    this.nextBalanceNs[cpu] = Number.POSITIVE_INFINITY;
    const before = this.rqs[cpu].queue.length;
    const next = rebalanceDomains(cpu, this, this.recorder.sched, (f, i, t) => this.moveTask(f, i, t));
    if (this.rqs[cpu].queue.length > before) this.link(this.cpuActor[cpu], { type: 'rq.wake' }, 0);
    this.scheduleBalance(cpu, next);
  }

  /**
   * The CPU goes idle: as idle_balance() does with rq->next_balance, its next periodic pass comes forward
   * to the idle intervals (a busy CPU waits busy_factor times longer).
   */
  cpuIdle(cpu: number): void {
    if (!this.balance.periodicBalance) return;
    let next = Number.POSITIVE_INFINITY;
    for (const sd of this.domains[cpu]) {
      if (sd.flags.loadBalance)
        next = Math.min(next, sd.lastBalanceNs + balanceIntervalNs(sd, 'idle', this.tickNs));
    }
    this.scheduleBalance(cpu, next);
  }

  /** Arm CPU `cpu`'s balancing at the first tick at or after `atNs`, unless it is armed sooner. */
  scheduleBalance(cpu: number, atNs: number): void {
    if (!this.balance.periodicBalance || atNs === Number.POSITIVE_INFINITY) return;
    const at = Math.max(this.now(), Math.ceil(atNs / this.tickNs) * this.tickNs);
    if (at >= this.nextBalanceNs[cpu]) return;
    this.nextBalanceNs[cpu] = at;
    this.armBalance(cpu, at);
  }

  /** The owner asks for `costNs` of CPU for its thread, charged to `vm` (-1: host). */
  exec(tid: number, costNs: number, vm: number): void {
    const task = this.tasks[tid];
    task.hasSeg = true;
    task.segRemainingNs = Math.max(1, Math.round(this.vary(tid, costNs))) + task.lockDebtNs;
    task.lockDebtNs = 0;
    task.segVm = vm;
  }

  /** The owner's thread sleeps when its current segment is over (it has just ended). */
  block(tid: number): void {
    this.tasks[tid].wantsBlock = true;
  }

  // ---- vhost ----------------------------------------------------------------------------------------

  /**
   * vhost_work_queue(): if the work is not already queued, mark it and hand it to the worker the model
   * selects for the CPU it is queued from. A second queueing before it runs coalesces. Returns the worker
   * chosen (-1 when coalesced); when that is `runningWorker`, the caller appends the work to its own list.
   */
  queueWork(wid: number, fromCpu: number, runningWorker = -1, requeue = false, byTid = -1): number {
    const work = this.works[wid];
    if (work.queued) {
      this.recorder.coalesced++;
      return -1;
    }
    const nowNs = this.now();
    work.queued = true;
    work.queuedAtNs = nowNs;
    const w = this.policy.selectWorker(work, fromCpu, nowNs, requeue ? runningWorker : -1);
    work.worker = w;
    if (fromCpu >= 0) {
      // The pick wrote the node's load index; vhost_work_queue() takes the worker's work_lock.
      let ns = this.policy.dispatchIndex ? this.touchDispatch(fromCpu, w) : 0;
      if (this.scenario.profile.locks.workLock)
        ns += this.takeLine(this.workLines[w], fromCpu, this.costs.workLockHoldNs);
      if (byTid >= 0) this.tasks[byTid].lockDebtNs += ns;
      else this.irqDebtNs[fromCpu] += ns;
    }
    // The running worker requeueing onto itself appends to its own list (llist_add) and needs no wake-up;
    // any other worker learns of the work through its link.
    if (w !== runningWorker) this.link(this.workerActor[w], { type: 'work.queued', wid, cpu: fromCpu }, 0);
    return w;
  }

  /**
   * `worker`'s handler of `wid` hit its weight (vhost_exceeds_weight) and queues the work again
   * (vhost_poll_queue), after `workFinished`: the work is marked backlogged until a run ends by itself.
   */
  requeueWork(wid: number, fromCpu: number, worker: number, byTid = -1): number {
    this.works[wid].backlogged = true;
    return this.queueWork(wid, fromCpu, worker, true, byTid);
  }

  /**
   * vhost_worker() takes its work_lock to dequeue the next work (spin_lock_irq): the worker's thread owes
   * the line's transfer from the CPU that queued onto it.
   */
  dequeueWork(worker: number, tid: number, cpu: number): void {
    if (!this.scenario.profile.locks.workLock) return;
    this.tasks[tid].lockDebtNs += this.takeLine(this.workLines[worker], cpu, this.costs.workLockHoldNs);
  }

  /** A dispatching design's pick or finish on `cpu` writes the load index line of the worker's node. */
  private touchDispatch(cpu: number, worker: number): number {
    if (!this.scenario.profile.locks.dispatchLines) return 0;
    const node = this.topo.nodeOf[this.tasks[this.workerTid[worker]].cpu];
    return this.takeLine(this.dispatchLines[node], cpu, 0);
  }

  private takeLine(line: SharedLine, cpu: number, holdNs: number): number {
    const t = takeLine(line, cpu, this.now(), this.topo.llcOf, this.costs, holdNs);
    const r = this.recorder;
    if (t.transfer === 'llc') r.lineLlcTransfers++;
    else if (t.transfer === 'remote') r.lineRemoteTransfers++;
    if (t.spinNs > 0) {
      r.lockSpins++;
      r.lockSpinNs += t.spinNs;
    }
    return t.ns;
  }

  /** A worker finished running a work (ran it to the end or hit its weight). */
  workFinished(worker: number, wid: number, pkts: number, tid = -1, cpu = -1): void {
    const r = this.recorder;
    const work = this.works[wid];
    r.worksRun++;
    r.workPkts += pkts;
    if (pkts > r.workPktsMax) r.workPktsMax = pkts;
    r.workSojournNs += this.now() - work.queuedAtNs;
    // Set again by requeueWork when the run ended at the weight.
    work.backlogged = false;
    this.policy.workFinished(worker, this.now(), work);
    if (this.policy.dispatchIndex && tid >= 0) this.tasks[tid].lockDebtNs += this.touchDispatch(cpu, worker);
  }
}
