import { attachCost, lockCgroup, unlockCgroup } from '../src/host/cgroup.ts';
import { rxBufs, txChain, vhostChainNs } from '../src/model/descriptors.ts';
import type { Packet } from '../src/model/packet.ts';
import type { VhostWork } from '../src/vhost/vhostWork.ts';
import { defineMachine, type Guard, plain, type Recipe } from './define.ts';
import type { Port } from './port.ts';
import type { VirtqueueContext } from './virtqueue.machine.ts';

/**
 * A vhost worker thread (vhost_worker()): pops works from its list in FIFO order and runs each handler;
 * handle_tx / handle_rx move packets until the ring or socket is empty or the weight is exceeded, then
 * requeue themselves at the tail. With an empty list it sleeps. A shared worker (vm = -1) attaches to the
 * cgroup of the VM whose work it runs and detaches when idle or preempted.
 */
export interface VhostWorkerContext {
  worker: number;
  tid: number;
  /** VM it belongs to, or -1 for a shared worker. */
  vm: number;
  /** Works queued on this worker (work_list), FIFO. */
  list: number[];
  /** Work whose handler is running, or -1. */
  cur: number;
  /** Packets and bytes moved by the current handler run (vhost_exceeds_weight). */
  pkts: number;
  bytes: number;
  /**
   * Packet whose processing is the current CPU segment, when it reached vhost (ring or socket), and the
   * TX ring slots its buffer holds.
   */
  pkt: Packet | null;
  pktAtNs: number;
  pktSlots: number;
  /**
   * The segment being run: a cgroup attach, a packet, signalling the guest after an RX packet
   * (vhost_signal), a busy-poll spin, a poll pass, or nothing.
   */
  phase: 'none' | 'attach' | 'pkt' | 'signal' | 'spin' | 'poll' | 'mutex' | 'rcu';
  /** Sleeping inside an attach: in mutex_lock(&cgroup_mutex), or in synchronize_rcu(). */
  blockedOn: 'none' | 'mutex' | 'rcu';
  /** VM whose cgroups the attach in progress moves the thread to (-1: back to the root, a detach). */
  attachTo: number;
  /** When the thread began to wait for cgroup_mutex. */
  waitFromNs: number;
  /** How the thread runs (see WorkerSpec): sleeping on an empty list, or polling its queues forever. */
  mode: 'sleep' | 'poll';
  datapath: 'kernel' | 'dpdk';
  /** busyloop_timeout; `spinLeftNs` is what remains of it in the current handler run. */
  busyPollNs: number;
  spinLeftNs: number;
  /** A busy-poll spin is under way (the TX ring of the pair is being watched with its kicks off). */
  spinning: boolean;
  /** Poll mode: the works (queues) this thread owns and scans. */
  polls: number[];
  /** Block completions were written in this handler run and the guest is still to be signalled. */
  signalDue: boolean;
  attachedVm: number;
  cpu: number;
  sleeping: boolean;
  stats: {
    works: number;
    pkts: number;
    wakeups: number;
    requeues: number;
    attaches: number;
    contended: number;
    spinNs: number;
    spinHits: number;
    pollPasses: number;
  };
}

export type VhostWorkerEvent =
  | { type: 'work.queued'; wid: number; cpu: number }
  | { type: 'cpu.granted'; cpu: number }
  | { type: 'cpu.done'; cpu: number }
  | { type: 'poll.assign'; wids: number[] }
  | { type: 'cgroup.granted' }
  | { type: 'rcu.done' };

type A = Recipe<VhostWorkerContext, VhostWorkerEvent>;
type G = Guard<VhostWorkerContext, VhostWorkerEvent>;

export interface WorkerInit {
  worker: number;
  tid: number;
  vm: number;
  mode: 'sleep' | 'poll';
  datapath: 'kernel' | 'dpdk';
  busyPollNs: number;
}

export function vhostWorkerContext(init: WorkerInit): VhostWorkerContext {
  // Fields written out, not `...init`: one hidden class for every worker (see vcpuContext).
  return {
    worker: init.worker,
    tid: init.tid,
    vm: init.vm,
    mode: init.mode,
    datapath: init.datapath,
    busyPollNs: init.busyPollNs,
    list: [],
    cur: -1,
    pkts: 0,
    bytes: 0,
    pkt: null,
    pktAtNs: 0,
    pktSlots: 0,
    phase: 'none',
    blockedOn: 'none',
    attachTo: -1,
    waitFromNs: 0,
    spinLeftNs: 0,
    spinning: false,
    polls: [],
    signalDue: false,
    attachedVm: init.vm,
    cpu: -1,
    sleeping: init.mode === 'sleep',
    stats: {
      works: 0,
      pkts: 0,
      wakeups: 0,
      requeues: 0,
      attaches: 0,
      contended: 0,
      spinNs: 0,
      spinHits: 0,
      pollPasses: 0,
    },
  };
}

/** Cost of pulling the vq's backend state into this core's cache, by where it was last used. */
function cacheTransferNs(port: Port, lastCpu: number, cpu: number): number {
  if (lastCpu < 0 || lastCpu === cpu) return 0;
  const h = port.host;
  return h.topo.nodeOf[lastCpu] === h.topo.nodeOf[cpu]
    ? h.costs.vqCacheTransferLocalNs
    : h.costs.vqCacheTransferRemoteNs;
}

/** Guest RX buffers `pkt` takes (mergeable buffers: one page each); a block completion uses its request's. */
function rxBufsOf(port: Port, pkt: Packet): number {
  return port.host.workload.storage ? 1 : rxBufs(pkt.bytes, port.host.scenario.guest.mergeableRxBufs);
}

/** Cost of one packet of `work` on `cpu`: the handler's own cost, NUMA placement, cold vq state. */
function packetCost(
  ctx: VhostWorkerContext,
  port: Port,
  work: VhostWork,
  vq: VirtqueueContext,
  pkt: Packet,
  cpu: number,
): number {
  const c = port.host.costs;
  let base: number;
  let perByte = c.vhostPerByteNs;
  if (port.host.workload.storage) {
    // vhost-scsi: a request submitted to the backend, or a completion written back; data pages are pinned, not copied.
    base = work.dir === 'tx' ? c.blockVhostSubmitNs : c.blockVhostCompleteNs;
    perByte = 0;
  } else if (ctx.datapath === 'dpdk') {
    // vhost-user in a userspace switch: burst dequeue/enqueue and a flow lookup, no tap or bridge.
    base = c.pmdPktNs;
  } else if (work.dir === 'tx') {
    // East-west: the sending vhost thread also runs the bridge forwarding into the other VM's tap (softirq).
    base = c.vhostTxPktNs + (pkt.dst >= 0 ? c.bridgeForwardNs : 0);
    // vhost_get_vq_desc(): each descriptor of the chain translated, an indirect table fetched first.
    base += vhostChainNs(txChain(pkt.bytes, port.host.scenario.guest), c);
  } else {
    // vhostRxPktNs covers a packet in one buffer; each further mergeable buffer is a descriptor more (get_rx_bufs).
    base = c.vhostRxPktNs + (rxBufsOf(port, pkt) - 1) * c.vhostDescNs;
  }
  const copy = (base + pkt.bytes * perByte) * port.host.numaFactor(work.vm, cpu, c.vhostMemFraction);
  return copy + cacheTransferNs(port, vq.lastCpu, cpu);
}

/** One step of handle_tx / handle_rx: start the next packet, or return false when the handler is done. */
function handlerStep(ctx: VhostWorkerContext, port: Port, work: VhostWork, first: boolean): boolean {
  let vq = port.read<VirtqueueContext>(work.vq);
  if (first) {
    if (vq.heldBy >= 0 && vq.heldBy !== ctx.worker) {
      // vq->mutex is held by another worker, which is mid-handler and looks at the ring (or socket) again
      // before it lets go, so it drains what we were queued for. The real mutex_lock() would sleep (or
      // spin on the running owner) until then and find the ring empty; we skip the wait, and the lock stays
      // the holder's (endWork unlocks only a lock this worker holds).
      ctx.stats.contended++;
      port.host.recorder.vqMutexContended++;
      return false;
    }
    port.call(work.vq, { type: 'vq.lock', worker: ctx.worker });
    port.call(work.vq, { type: 'vq.disableNotify' });
  }
  if (first) ctx.spinLeftNs = ctx.busyPollNs;
  let pkt: Packet;
  if (work.dir === 'tx') {
    if (vq.ring.length === 0) {
      if (spin(ctx, port, work)) return true;
      // A polling thread keeps notifications off: it will see new buffers on its next pass.
      if (ctx.mode === 'poll') return false;
      // Ring empty: re-enable notifications, then re-check once for a buffer added in between.
      port.call(work.vq, { type: 'vq.enableNotify' });
      vq = port.read<VirtqueueContext>(work.vq);
      if (vq.ring.length === 0) return false;
      port.call(work.vq, { type: 'vq.disableNotify' });
    }
    pkt = vq.ring[0];
    ctx.pktAtNs = vq.ringAtNs[0];
    ctx.pktSlots = vq.ringSlots[0];
    port.call(work.vq, { type: 'vq.pop' });
  } else {
    if (vq.sock.length === 0 && ctx.signalDue) {
      // vhost_scsi_complete_cmd_work(): one vhost_signal() after the batch of completions it wrote.
      ctx.signalDue = false;
      if (vq.guestIrq) {
        startSignal(ctx, port, work);
        return true;
      }
    }
    if (vq.sock.length === 0) return spin(ctx, port, work);
    if (vq.rxBufs < rxBufsOf(port, vq.sock[0])) {
      // Not enough guest buffers for the head packet (get_rx_bufs fails): ask the guest to kick when it
      // posts more, and stop until then.
      if (ctx.mode === 'sleep') port.call(work.vq, { type: 'vq.enableNotify' });
      return false;
    }
    pkt = vq.sock[0];
    ctx.pktAtNs = vq.sockAtNs[0];
    port.call(work.vq, { type: 'sock.pop' });
  }
  let cost = packetCost(ctx, port, work, vq, pkt, ctx.cpu);
  // A shared thread meets the work's VM: use_mm() of its address space (the kernel datapath) and its data.
  if (ctx.vm < 0) cost += port.host.useMm(ctx.tid, ctx.cpu, work.vm, ctx.datapath === 'kernel');
  port.host.workNs[work.wid] += cost;
  if (vq.lastCpu !== ctx.cpu) port.call(work.vq, { type: 'vq.touch', cpu: ctx.cpu });
  ctx.pkt = pkt;
  ctx.phase = 'pkt';
  port.host.exec(ctx.tid, cost, work.vm);
  return true;
}

/**
 * Busy polling (vhost_net_busy_poll): on an empty ring or socket, spin in short slices, with guest
 * notifications still off, until a buffer arrives, another work is queued on this worker
 * (vhost_has_work), a task waits for this CPU (need_resched), or busyloop_timeout runs out. The CPU it
 * burns is accounted like any vhost time. Returns true when a spin slice was started.
 */
function spin(ctx: VhostWorkerContext, port: Port, work: VhostWork): boolean {
  const h = port.host;
  if (ctx.spinLeftNs <= 0 || ctx.list.length > 0 || h.rqs[ctx.cpu].queue.length > 0) {
    if (ctx.spinning) endSpin(ctx, port, work);
    return false;
  }
  if (!ctx.spinning && work.dir === 'rx') {
    // handle_rx busy polls the TX ring of the pair too, with the guest's TX kicks off meanwhile.
    port.call(pairedTx(port, work).vq, { type: 'vq.disableNotify' });
  }
  ctx.spinning = true;
  const sliceNs = Math.min(ctx.spinLeftNs, h.costs.pollCheckNs * 10);
  ctx.spinLeftNs -= sliceNs;
  ctx.stats.spinNs += sliceNs;
  h.recorder.pollNs += sliceNs;
  ctx.phase = 'spin';
  h.exec(ctx.tid, sliceNs, work.vm);
  return true;
}

/** The TX work of the RX work's queue pair. */
function pairedTx(port: Port, work: VhostWork): VhostWork {
  return port.host.works[port.host.txWork[work.vm][work.dev]];
}

/** TX buffers seen while spinning in handle_rx: queue the TX work (on this worker) and stop spinning. */
function pollPairedTx(ctx: VhostWorkerContext, port: Port, work: VhostWork): void {
  if (work.dir !== 'rx') return;
  const tx = pairedTx(port, work);
  if (!hasInput(port, tx)) return;
  if (port.host.queueWork(tx.wid, ctx.cpu, ctx.worker, false, ctx.tid) === ctx.worker) ctx.list.push(tx.wid);
}

/** The spin is over: give the guest its TX kicks back, re-checking once for a buffer added meanwhile. */
function endSpin(ctx: VhostWorkerContext, port: Port, work: VhostWork): void {
  ctx.spinning = false;
  if (work.dir !== 'rx') return;
  port.call(pairedTx(port, work).vq, { type: 'vq.enableNotify' });
  pollPairedTx(ctx, port, work);
}

/** Is there something for the work's handler: TX buffers, or RX socket data with guest buffers? */
function hasInput(port: Port, work: VhostWork): boolean {
  const vq = port.read<VirtqueueContext>(work.vq);
  return work.dir === 'tx'
    ? vq.ring.length > 0
    : vq.sock.length > 0 && vq.rxBufs >= rxBufsOf(port, vq.sock[0]);
}

/**
 * Poll mode: one pass over the owned queues (a few cache lines each); queue the works that have new
 * buffers or socket data. Returns true if any was found.
 */
function pollPass(ctx: VhostWorkerContext, port: Port): boolean {
  const h = port.host;
  let found = false;
  for (const wid of ctx.polls) {
    const work = h.works[wid];
    if (work.queued || !hasInput(port, work)) continue;
    work.queued = true;
    work.queuedAtNs = port.nowNs;
    ctx.list.push(wid);
    found = true;
  }
  ctx.stats.pollPasses++;
  return found;
}

/**
 * The packet's segment is over: hand it on, and put its buffer on the used ring (vhost_add_used_and_signal).
 * When the guest wants an interrupt (vhost_notify: RX unless NAPI polls, TX once the used index passes the
 * guest's used_event), signalling it is a segment of its own and this returns true: the handler goes on
 * when that segment ends. Otherwise the handler goes on at once (see `nextPacket`).
 */
function finishPacket(ctx: VhostWorkerContext, port: Port, work: VhostWork): boolean {
  const h = port.host;
  const pkt = plain(ctx.pkt as Packet);
  ctx.pkt = null;
  ctx.pkts++;
  ctx.bytes += pkt.bytes;
  ctx.stats.pkts++;
  // The packet's vhost sojourn: from reaching the ring (TX) or socket (RX) to the end of its segment.
  h.recorder.pktServed(port.nowNs, work.dir, port.nowNs - ctx.pktAtNs);
  if (work.dir === 'tx') {
    if (h.workload.storage) backendSubmit(port, pkt, ctx.cpu, ctx.tid);
    else if (pkt.dst < 0) port.send(h.nicActor, { type: 'nic.tx', pkt, cpu: ctx.cpu });
    else {
      // East-west: tap -> bridge -> the other VM's tap socket, waking its RX work from this CPU.
      port.call(h.rxVq[pkt.dst][pkt.dev], { type: 'sock.enqueue', pkt });
      h.queueWork(h.rxWork[pkt.dst][pkt.dev], ctx.cpu, -1, false, ctx.tid);
    }
    port.call(work.vq, { type: 'vq.txUsed', slots: ctx.pktSlots });
    const vq = port.read<VirtqueueContext>(work.vq);
    // vring_need_event(): the used index has just crossed used_event.
    if (vq.usedEvent >= 0 && vq.usedBufs === vq.usedEvent + 1) {
      startSignal(ctx, port, work);
      return true;
    }
  } else {
    port.call(work.vq, { type: 'vq.pushUsed', pkt, bufs: rxBufsOf(port, pkt) });
    // A block completion signals once for its batch (see handlerStep).
    if (h.workload.storage) ctx.signalDue = true;
    // vhost_signal(): eventfd -> irqfd -> the guest's interrupt, unless its driver suppressed
    // interrupts; then vhost_notify() decides against it and nothing more is paid.
    else if (port.read<VirtqueueContext>(work.vq).guestIrq) {
      startSignal(ctx, port, work);
      return true;
    }
  }
  return false;
}

/** vhost_signal() as a segment of its own: the interrupt reaches the guest when it ends (signalGuest). */
function startSignal(ctx: VhostWorkerContext, port: Port, work: VhostWork): void {
  const h = port.host;
  ctx.phase = 'signal';
  h.workNs[work.wid] += h.costs.vhostSignalNs;
  h.exec(ctx.tid, h.costs.vhostSignalNs, work.vm);
}

/**
 * A block request handed to the backend (target_submit_cmd): the null backend completes it at once, and
 * the completion is queued on the request's own queue (vhost_scsi_release_cmd() -> llist_add +
 * vhost_vq_work_queue(), torvalds/linux:drivers/vhost/scsi.c), from this worker's CPU.
 */
function backendSubmit(port: Port, pkt: Packet, cpu: number, tid: number): void {
  const h = port.host;
  h.recorder.consumed++;
  const reply = h.workload.serverRx(pkt, -1, h.recorder, () => {});
  if (reply === null) return;
  const done = h.newPacket(-1, pkt.src, pkt.dev, pkt.flow, reply.bytes, reply.kind, 0, reply.bornNs);
  port.call(h.rxVq[pkt.src][pkt.dev], { type: 'sock.enqueue', pkt: done });
  h.queueWork(h.rxWork[pkt.src][pkt.dev], cpu, -1, false, tid);
}

/** The signal's segment is over: the interrupt reaches the guest. */
function signalGuest(port: Port, work: VhostWork, cpu: number): void {
  const h = port.host;
  h.recorder.irqInjections++;
  port.send(h.vcpuActor[work.vm][h.irqVcpu(work.dev)], {
    type: 'irq.inject',
    dev: work.dev,
    cpu,
    dir: work.dir,
  });
}

/** After a packet: go on with the handler, unless it hit its weight and requeued (returns false). */
function nextPacket(ctx: VhostWorkerContext, port: Port, work: VhostWork): boolean {
  const h = port.host;
  const s = h.scenario.vhost;
  if (ctx.pkts >= s.weightPkts || ctx.bytes >= s.byteWeight) {
    // vhost_exceeds_weight(): let other works run; requeue at the tail.
    endWork(ctx, port, work);
    ctx.stats.requeues++;
    h.recorder.requeues++;
    if (h.requeueWork(work.wid, ctx.cpu, ctx.worker, ctx.tid) === ctx.worker) ctx.list.push(work.wid);
    return false;
  }
  return handlerStep(ctx, port, work, false);
}

function endWork(ctx: VhostWorkerContext, port: Port, work: VhostWork): void {
  if (ctx.spinning) endSpin(ctx, port, work);
  if (port.read<VirtqueueContext>(work.vq).heldBy === ctx.worker)
    port.call(work.vq, { type: 'vq.unlock', worker: ctx.worker });
  port.host.workFinished(ctx.worker, work.wid, ctx.pkts, ctx.tid, ctx.cpu);
  ctx.stats.works++;
  ctx.cur = -1;
}

/**
 * Does a shared worker have to move cgroups to run `vm`'s work? Only with an attaching strategy; `charge`
 * leaves the thread where it is (its segments are charged to the VM all the same).
 */
function needsAttach(ctx: VhostWorkerContext, port: Port, vm: number): boolean {
  return (
    ctx.vm < 0 &&
    ctx.mode === 'sleep' &&
    ctx.attachedVm !== vm &&
    port.host.scenario.policy.cgroupAttach !== 'charge'
  );
}

/**
 * cgroup_attach_task_all() to `vm`'s cgroups (-1: back to the root): take the global cgroup_mutex, or
 * sleep in mutex_lock() until the holder hands it over.
 */
function beginAttach(ctx: VhostWorkerContext, port: Port, vm: number): void {
  const h = port.host;
  ctx.attachTo = vm;
  if (h.scenario.profile.cgroup.globalMutex && !lockCgroup(h.cgroupMutex, ctx.tid)) {
    h.recorder.cgroupMutexWaits++;
    ctx.waitFromNs = port.nowNs;
    ctx.phase = 'mutex';
    ctx.blockedOn = 'mutex';
    h.block(ctx.tid);
    return;
  }
  attachSegment(ctx, port);
}

/** Holding cgroup_mutex: cgroup_attach_task() in each hierarchy, as CPU time charged to the VM concerned. */
function attachSegment(ctx: VhostWorkerContext, port: Port): void {
  const h = port.host;
  const cost = attachCost(h.scenario.profile.cgroup, h.costs.cgroupAttachNs, isBound(port, ctx));
  ctx.phase = 'attach';
  h.exec(ctx.tid, cost.cpuNs, ctx.attachTo >= 0 ? ctx.attachTo : ctx.attachedVm);
}

/** A per-CPU worker is kthread_bind()-pinned to its CPU: PF_THREAD_BOUND. */
function isBound(port: Port, ctx: VhostWorkerContext): boolean {
  const allowed = port.host.tasks[ctx.tid].allowed;
  return allowed !== null && allowed.length === 1;
}

/** The attach's CPU work is done: each hierarchy's synchronize_rcu() still to sleep through. True if asleep. */
function afterAttachCpu(ctx: VhostWorkerContext, port: Port): boolean {
  const h = port.host;
  const cost = attachCost(h.scenario.profile.cgroup, h.costs.cgroupAttachNs, isBound(port, ctx));
  if (cost.refused) h.recorder.cgroupAttachRefused++;
  if (cost.graceNs <= 0) return attachDone(ctx, port);
  h.recorder.rcuGraceWaits++;
  ctx.phase = 'rcu';
  ctx.blockedOn = 'rcu';
  h.block(ctx.tid);
  port.send(port.self, { type: 'rcu.done' }, cost.graceNs);
  return true;
}

/** The thread is in its new cgroups: cgroup_unlock() (the next waiter gets the mutex), then run the work. */
function attachDone(ctx: VhostWorkerContext, port: Port): boolean {
  const h = port.host;
  if (h.scenario.profile.cgroup.globalMutex) {
    const next = unlockCgroup(h.cgroupMutex, ctx.tid);
    if (next >= 0) port.send(h.tasks[next].owner, { type: 'cgroup.granted' });
  }
  ctx.attachedVm = ctx.attachTo;
  ctx.stats.attaches++;
  h.recorder.attaches++;
  if (ctx.cur < 0) return false;
  const work = h.works[ctx.cur];
  if (handlerStep(ctx, port, work, true)) return true;
  endWork(ctx, port, work);
  return false;
}

const actions: Record<string, A> = {
  enlist(ctx, ev) {
    if (ev.type === 'work.queued') ctx.list.push(ev.wid);
  },
  /** A polling thread takes its queues: it turns guest notifications off on them for good (exitless kicks). */
  assignPolls(ctx, ev, port) {
    if (ev.type !== 'poll.assign') return;
    ctx.polls = [...ev.wids];
    for (const wid of ctx.polls) port.call(port.host.works[wid].vq, { type: 'vq.disableNotify' });
  },
  /** Handed cgroup_mutex, or the grace period is over: the thread is runnable again. */
  resume(ctx, _ev, port) {
    ctx.blockedOn = 'none';
    port.host.wake(ctx.tid, -1);
  },
  /** The waker is the CPU that queued the work (a kick's vCPU, the NIC's interrupt, a worker); else a timer. */
  wakeThread(ctx, ev, port) {
    ctx.sleeping = false;
    ctx.stats.wakeups++;
    port.host.wake(ctx.tid, ev.type === 'work.queued' ? ev.cpu : -1);
  },
  /** The worker loop: continue the current handler, or pop the next work, or sleep. */
  step(ctx, ev, port) {
    if (ev.type !== 'cpu.granted' && ev.type !== 'cpu.done') return;
    const h = port.host;
    ctx.cpu = ev.cpu;
    const task = h.tasks[ctx.tid];
    if (task.preempted) {
      // need_resched() was seen: a shared worker detaches from the VM's cgroup before schedule() (the
      // talk's rule; `lazy` keeps it attached). Taken as free here: the next attach pays.
      task.preempted = false;
      if (ctx.vm < 0 && h.scenario.policy.cgroupAttach === 'per-change') ctx.attachedVm = -1;
    }
    const phase = ctx.phase;
    ctx.phase = 'none';
    if (phase === 'mutex') {
      // Woken holding cgroup_mutex.
      h.recorder.cgroupMutexWaitNs += port.nowNs - ctx.waitFromNs;
      attachSegment(ctx, port);
      return;
    }
    if (phase === 'rcu') {
      if (attachDone(ctx, port)) return;
    } else if (phase === 'attach') {
      if (afterAttachCpu(ctx, port)) return;
    } else if (ev.type === 'cpu.done' && ctx.cur >= 0) {
      const work = h.works[ctx.cur];
      if (phase === 'pkt' || phase === 'signal') {
        if (phase === 'signal') signalGuest(port, work, ctx.cpu);
        else if (finishPacket(ctx, port, work)) return; // the guest is signalled first
        if (nextPacket(ctx, port, work)) return;
        if (ctx.cur >= 0) endWork(ctx, port, work);
      } else if (phase === 'spin') {
        if (hasInput(port, work)) ctx.stats.spinHits++;
        pollPairedTx(ctx, port, work);
        if (handlerStep(ctx, port, work, false)) return;
        endWork(ctx, port, work);
      }
    }
    for (;;) {
      // A polling thread looks at its queues whenever its list runs dry.
      if (ctx.list.length === 0 && ctx.mode === 'poll') pollPass(ctx, port);
      const wid = ctx.list.shift();
      if (wid === undefined) break;
      // vhost_worker() takes the work off its list under dev->work_lock.
      if (ctx.mode === 'sleep') h.dequeueWork(ctx.worker, ctx.tid, ctx.cpu);
      const work = h.works[wid];
      // Clear VHOST_WORK_QUEUED before running: a kick from now on queues the work again.
      work.queued = false;
      ctx.cur = wid;
      ctx.pkts = 0;
      ctx.bytes = 0;
      if (needsAttach(ctx, port, work.vm)) {
        beginAttach(ctx, port, work.vm);
        return;
      }
      if (handlerStep(ctx, port, work, true)) return;
      endWork(ctx, port, work);
    }
    if (ctx.mode === 'poll') {
      // A polling thread never sleeps: nothing found, so burn one pass over its queues and look again.
      const passNs = Math.max(1, ctx.polls.length) * h.costs.pollCheckNs;
      h.recorder.pollNs += passNs;
      ctx.phase = 'poll';
      h.exec(ctx.tid, passNs, -1);
      return;
    }
    if (ctx.vm < 0 && ctx.attachedVm >= 0 && h.scenario.policy.cgroupAttach === 'per-change') {
      // Idle: detach from the VM's cgroups (an attach back to the root) before sleeping.
      beginAttach(ctx, port, -1);
      return;
    }
    // unuse_mm(): a kernel thread again, on the lazy TLB of what ran before.
    if (ctx.vm < 0) h.tasks[ctx.tid].mm = -1;
    ctx.sleeping = true;
    h.block(ctx.tid);
  },
};

const guards: Record<string, G> = {
  isSleeping: (ctx) => ctx.sleeping,
  isBlocked: (ctx) => ctx.blockedOn !== 'none',
};

export const vhostWorkerMachine = defineMachine<VhostWorkerContext, VhostWorkerEvent>({
  id: 'vhostWorker',
  description: 'A vhost worker thread running queued vhost works (handle_tx / handle_rx)',
  initial: 'sleeping',
  states: {
    sleeping: {
      description: 'work_list empty: the thread sleeps until vhost_work_queue() wakes it',
      tags: ['idle'],
      on: {
        'work.queued': { target: 'runnable', actions: ['enlist', 'wakeThread'] },
        // A polling thread is started by being given its queues.
        'poll.assign': { target: 'runnable', actions: ['assignPolls', 'wakeThread'] },
      },
    },
    runnable: {
      description: 'Woken with works queued, waiting in a run queue for a core',
      tags: ['busy'],
      on: {
        'work.queued': { actions: ['enlist'] },
        'poll.assign': { actions: ['assignPolls'] },
        'cpu.granted': { target: 'running', actions: ['step'] },
      },
    },
    running: {
      description: 'Running a handler (or attaching to a VM cgroup) on a core',
      tags: ['busy'],
      on: {
        'work.queued': { actions: ['enlist'] },
        'poll.assign': { actions: ['assignPolls'] },
        'cpu.done': { actions: ['step'] },
      },
      always: [
        { guard: 'isSleeping', target: 'sleeping' },
        { guard: 'isBlocked', target: 'blocked' },
      ],
    },
    blocked: {
      description: 'Asleep inside a cgroup attach: waiting for cgroup_mutex or an RCU grace period',
      tags: ['busy'],
      on: {
        'work.queued': { actions: ['enlist'] },
        'poll.assign': { actions: ['assignPolls'] },
        'cgroup.granted': { target: 'runnable', actions: ['resume'] },
        'rcu.done': { target: 'runnable', actions: ['resume'] },
      },
    },
  },
  actions,
  guards,
});
