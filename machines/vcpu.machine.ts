import { truesize, writable } from '../src/guest/socket.ts';
import { devQueueXmit, type XmitOut, xmitDone } from '../src/guest/txQueue.ts';
import { guestChainNs, rxBufs, txChain } from '../src/model/descriptors.ts';
import type { Packet } from '../src/model/packet.ts';
import type { FlowState, Send } from '../src/workloads/workload.ts';
import { defineMachine, type Guard, plain, type Recipe } from './define.ts';
import type { ActorId, Port } from './port.ts';
import type { VirtqueueContext } from './virtqueue.machine.ts';

/**
 * A guest vCPU (its host thread's behaviour): runs the guest's network work for the netperf instances it
 * hosts (clients, and servers in east-west runs), kicks vhost through a VM exit when a ring asks for it,
 * takes virtio interrupts, wakes application threads on other vCPUs with an IPI, and halts (HLT exit,
 * thread sleeps) when it has nothing to do.
 */
export interface VcpuContext {
  vm: number;
  idx: number;
  tid: number;
  /** Home node of the VM's memory. */
  node: number;
  /** Core it last ran on. */
  cpu: number;
  /** Queue slots (device x queue pair): TX and RX virtqueue actors. */
  txVq: ActorId[];
  rxVq: ActorId[];
  /** The netperf client instances whose application runs on this vCPU. */
  flows: FlowState[];
  /** Guest work waiting to run, FIFO (a kick goes first: it follows the send that needed it). */
  jobs: Job[];
  job: Job | null;
  /** An interrupt for the slot is pending or being handled (NAPI scheduled). */
  napiPending: boolean[];
  /** A TX interrupt for the slot is pending or being handled. */
  txIrqPending: boolean[];
  /** The HLT exit has been taken; sleep unless work arrived meanwhile. */
  halted: boolean;
  sleeping: boolean;
  stats: { sends: number; kicks: number; interrupts: number; ipis: number; halts: number; rxPkts: number };
}

export type Job =
  | { k: 'send'; dev: number; flow: number; dst: number; send: Send; client: boolean }
  | { k: 'write'; flow: number; bytes: number }
  | { k: 'kick'; dev: number; dir: 'tx' | 'rx' }
  | { k: 'napi'; dev: number; pkt: Packet | null; kick: boolean }
  | { k: 'ipi'; to: number; pkt: Packet }
  | { k: 'txirq'; dev: number; kick: boolean }
  | { k: 'wake'; to: number; flow: number }
  | { k: 'entry'; kick: boolean }
  | { k: 'halt' };

export type VcpuEvent =
  | { type: 'vcpu.start' }
  | { type: 'irq.inject'; dev: number; cpu: number; dir: 'tx' | 'rx' }
  | { type: 'guest.ipi'; pkt: Packet; cpu: number }
  | { type: 'guest.wake'; flow: number }
  | { type: 'tcp.delack'; flow: number; gen: number; dev: number; dst: number }
  | { type: 'tcp.rto'; flow: number }
  | { type: 'flow.arrival'; flow: number }
  | { type: 'cpu.granted'; cpu: number }
  | { type: 'cpu.done'; cpu: number };

type A = Recipe<VcpuContext, VcpuEvent>;
type G = Guard<VcpuContext, VcpuEvent>;

export function vcpuContext(
  init: Pick<VcpuContext, 'vm' | 'idx' | 'tid' | 'node' | 'cpu' | 'txVq' | 'rxVq' | 'flows'>,
): VcpuContext {
  // Each field written out, not `...init`: a spread's copies lose their shared hidden class once its inline
  // cache gives up (from the ninth vCPU on, each context got a map of its own), which made every access to
  // a context in the actions megamorphic on a large host. One literal: one map for all vCPUs.
  return {
    vm: init.vm,
    idx: init.idx,
    tid: init.tid,
    node: init.node,
    cpu: init.cpu,
    txVq: init.txVq,
    rxVq: init.rxVq,
    flows: init.flows,
    jobs: [],
    job: null,
    napiPending: init.rxVq.map(() => false),
    txIrqPending: init.txVq.map(() => false),
    halted: false,
    sleeping: true,
    stats: { sends: 0, kicks: 0, interrupts: 0, ipis: 0, halts: 0, rxPkts: 0 },
  };
}

/** RX buffers a received packet took (mergeable: one page each), which the guest takes back and refills. */
function rxBufsOf(port: Port, pkt: Packet): number {
  return port.host.workload.storage ? 1 : rxBufs(pkt.bytes, port.host.scenario.guest.mergeableRxBufs);
}

/** Guest stack cost of one packet: per-packet (cheaper for UDP) plus per-byte, slower off the VM's node. */
function stackCost(ctx: VcpuContext, port: Port, perPktNs: number, bytes: number, cpu: number): number {
  const h = port.host;
  const c = h.costs;
  const perPkt = h.workload.udp ? perPktNs * c.udpStackFactor : perPktNs;
  return (perPkt + bytes * c.guestPerByteNs) * h.numaFactor(ctx.vm, cpu, c.guestMemFraction);
}

/** The instance with this flow number (a plain loop: this runs for every packet a client receives). */
function flowOf(ctx: VcpuContext, flow: number): FlowState | undefined {
  const flows = ctx.flows;
  for (let i = 0; i < flows.length; i++) if (flows[i].flow === flow) return flows[i];
  return undefined;
}

function pushSends(ctx: VcpuContext, flow: FlowState, sends: Send[]): void {
  for (const send of sends) {
    if (send.write) ctx.jobs.push({ k: 'write', flow: flow.flow, bytes: send.copy });
    else ctx.jobs.push({ k: 'send', dev: flow.dev, flow: flow.flow, dst: flow.peer, send, client: true });
  }
}

/** A sender sleeping on its socket is woken: its blocked send goes ahead. */
function wakeSender(ctx: VcpuContext, port: Port, flowNo: number): void {
  const flow = flowOf(ctx, flowNo);
  if (flow === undefined) throw new Error(`vm${ctx.vm}.vcpu${ctx.idx}: no instance for flow ${flowNo}`);
  port.host.recorder.guest.senderWakes++;
  pushSends(ctx, flow, port.host.workload.afterSend(flow, port.nowNs));
}

/** After the driver ran: the kick it asked for goes first; senders it woke run here or get an IPI. */
function afterXmit(ctx: VcpuContext, port: Port, dev: number, out: XmitOut): void {
  if (out.kick) ctx.jobs.unshift({ k: 'kick', dev, dir: 'tx' });
  for (const flow of out.woken) {
    const owner = port.host.flowVcpu(flow);
    if (owner === ctx.idx) wakeSender(ctx, port, flow);
    else ctx.jobs.push({ k: 'wake', to: owner, flow });
  }
}

/** An application on this vCPU received `pkt`: a server answers it, a client runs its workload. */
function appReceive(ctx: VcpuContext, port: Port, pkt: Packet): void {
  const h = port.host;
  h.recorder.consumed++;
  if (pkt.kind === 'req' || pkt.kind === 'data') {
    const reply = h.workload.serverRx(pkt, ctx.vm, h.recorder, (flow, gen, delayNs) =>
      port.send(port.self, { type: 'tcp.delack', flow, gen, dev: pkt.dev, dst: pkt.src }, delayNs),
    );
    if (reply !== null)
      ctx.jobs.push({ k: 'send', dev: pkt.dev, flow: pkt.flow, dst: pkt.src, send: reply, client: false });
    return;
  }
  const flow = flowOf(ctx, pkt.flow);
  if (flow === undefined) throw new Error(`vm${ctx.vm}.vcpu${ctx.idx}: no instance for flow ${pkt.flow}`);
  pushSends(ctx, flow, h.workload.clientRx(flow, pkt, port.nowNs, h.recorder));
}

/** NAPI poll: take the next used RX buffer, or re-enable interrupts when the ring is empty (re-checking once). */
function napiNext(ctx: VcpuContext, port: Port, job: Extract<Job, { k: 'napi' }>, cpu: number): boolean {
  const vq = ctx.rxVq[job.dev];
  let ring = port.read<VirtqueueContext>(vq);
  if (ring.ring.length === 0) {
    port.call(vq, { type: 'vq.guestIrqOn' });
    ring = port.read<VirtqueueContext>(vq);
    if (ring.ring.length === 0) return false;
    port.call(vq, { type: 'vq.guestIrqOff' });
  }
  const pkt = ring.ring[0];
  port.call(vq, { type: 'vq.popUsed' });
  job.pkt = pkt;
  const c = port.host.costs;
  // virtscsi_vq_done() for a block completion (its data was DMA'd into pinned pages), else NAPI's packet.
  const cost = port.host.workload.storage
    ? c.blockGuestCompleteNs * port.host.numaFactor(ctx.vm, cpu, c.guestMemFraction)
    : // receive_mergeable(): each buffer past the first taken back, and each refilled (try_fill_recv).
      stackCost(ctx, port, c.guestRxPktNs, pkt.bytes, cpu) + (rxBufsOf(port, pkt) - 1) * c.guestDescNs;
  port.host.exec(ctx.tid, cost, ctx.vm);
  return true;
}

/**
 * kvm_vcpu_kick() (New-B/Linux3.6:virt/kvm/kvm_main.c): an interrupt for a vCPU that is in guest mode on
 * another CPU sends that CPU a reschedule IPI (smp_send_reschedule), which forces a VM exit; the host
 * takes the IPI and re-enters the guest with the interrupt injected. A halted or queued vCPU needs no
 * exit (it is woken, or takes the interrupt at its next entry). With posted interrupts (APICv) the
 * running guest takes it without an exit. True when this injection costs the running guest an exit.
 */
function kicksRunningGuest(ctx: VcpuContext, port: Port, fromCpu: number): boolean {
  const h = port.host;
  if (!h.scenario.profile.kvm.kickExit || h.scenario.profile.kvm.postedInterrupts) return false;
  const task = h.tasks[ctx.tid];
  return task.state === 'running' && task.cpu !== fromCpu;
}

/** The exit and re-entry a kick forced, with the host's reschedule-IPI handling in between. */
function kickNs(port: Port, kick: boolean): number {
  return kick ? port.host.costs.vmExitNs + port.host.costs.ipiIrqNs : 0;
}

/** Start the job at the head: ask for its CPU. */
function begin(ctx: VcpuContext, port: Port, job: Job, cpu: number): void {
  const h = port.host;
  const c = h.costs;
  switch (job.k) {
    case 'send': {
      if (h.workload.storage) {
        // A block request: its descriptors are part of the per-request submission cost.
        h.exec(ctx.tid, c.blockGuestSubmitNs * h.numaFactor(ctx.vm, cpu, c.guestMemFraction), ctx.vm);
        return;
      }
      // The stack, then virtqueue_add_buf() writing the packet's descriptors (and its indirect table).
      const chain = txChain(job.send.bytes, h.scenario.guest);
      h.exec(
        ctx.tid,
        stackCost(ctx, port, c.guestTxPktNs, job.send.copy, cpu) + guestChainNs(chain, c),
        ctx.vm,
      );
      return;
    }
    case 'write':
      // tcp_sendmsg() copying the application's bytes into the socket's skbs.
      h.exec(ctx.tid, stackCost(ctx, port, 0, job.bytes, cpu), ctx.vm);
      return;
    case 'kick':
      h.recorder.exits++;
      h.exec(ctx.tid, c.vmExitNs + c.kickHandleNs, ctx.vm);
      return;
    case 'napi':
      // The interrupt arrives: injected on entry, EOI traps; the driver masks further interrupts.
      port.call(ctx.rxVq[job.dev], { type: 'vq.guestIrqOff' });
      if (!h.policy.exitlessInterrupts) h.recorder.exits++;
      if (job.kick) h.recorder.exits++;
      h.exec(
        ctx.tid,
        (h.policy.exitlessInterrupts ? c.exitlessIrqEntryNs : c.irqEntryNs) + kickNs(port, job.kick),
        ctx.vm,
      );
      return;
    case 'ipi':
    case 'wake':
      // Writing the ICR to send an IPI traps to KVM.
      h.recorder.exits++;
      h.exec(ctx.tid, c.vmExitNs, ctx.vm);
      return;
    case 'txirq':
      if (job.kick) h.recorder.exits++;
      h.exec(
        ctx.tid,
        (h.policy.exitlessInterrupts ? c.exitlessIrqEntryNs : c.irqEntryNs) + kickNs(port, job.kick),
        ctx.vm,
      );
      return;
    case 'entry':
      h.recorder.exits++; // the EOI write traps
      if (job.kick) h.recorder.exits++;
      h.exec(ctx.tid, c.irqEntryNs + kickNs(port, job.kick), ctx.vm);
      return;
    case 'halt':
      h.recorder.exits++;
      h.exec(ctx.tid, c.haltExitNs, ctx.vm);
      return;
  }
}

/** The job's CPU segment is over: apply its effect. Returns true if the job continues (another segment). */
function complete(ctx: VcpuContext, port: Port, job: Job, cpu: number): boolean {
  const h = port.host;
  switch (job.k) {
    case 'send': {
      const s = job.send;
      const pkt = h.newPacket(ctx.vm, job.dst, job.dev, job.flow, s.bytes, s.kind, s.ack, s.bornNs);
      ctx.stats.sends++;
      // A client's send is charged to its socket until the driver orphans it; replies are not counted.
      const owner = job.client ? job.flow : -1;
      const skb = {
        pkt,
        slots: txChain(s.bytes, h.scenario.guest).slots,
        charge: job.client ? truesize(s.bytes) : 0,
        owner,
      };
      const out: XmitOut = { kick: false, woken: [] };
      devQueueXmit(port, ctx.txVq[job.dev], h.guest.txq[ctx.vm][job.dev], skb, out);
      afterXmit(ctx, port, job.dev, out);
      if (job.client) {
        h.recorder.appSends++;
        h.recorder.appSendBytes += s.bytes;
        const flow = flowOf(ctx, job.flow);
        const sock = h.guest.socks[job.flow];
        if (flow !== undefined && !sock.blocked) {
          const next = h.workload.afterSend(flow, port.nowNs);
          // sock_alloc_send_pskb(): the next send sleeps while the socket's buffer is full.
          if (next.length > 0 && !writable(sock)) {
            sock.blocked = true;
            h.recorder.guest.senderSleeps++;
          } else pushSends(ctx, flow, next);
        }
      }
      return false;
    }
    case 'write': {
      const flow = flowOf(ctx, job.flow);
      if (flow !== undefined)
        pushSends(ctx, flow, h.workload.afterWrite?.(flow, port.nowNs, h.recorder) ?? []);
      return false;
    }
    case 'kick': {
      ctx.stats.kicks++;
      h.recorder.kicks++;
      const works = job.dir === 'tx' ? h.txWork : h.rxWork;
      h.queueWork(works[ctx.vm][job.dev], cpu, -1, false, ctx.tid);
      return false;
    }
    case 'napi': {
      if (job.pkt !== null) {
        const pkt = plain(job.pkt);
        job.pkt = null;
        ctx.stats.rxPkts++;
        const vq = ctx.rxVq[job.dev];
        port.call(vq, { type: 'vq.refill', bufs: rxBufsOf(port, pkt) });
        // Refilled buffers: kick RX only if vhost ran out of them and asked to be told (once: event index).
        const ring = port.read<VirtqueueContext>(vq);
        if (ring.notify && !ring.kicked) {
          port.call(vq, { type: 'vq.kicked' });
          ctx.jobs.unshift({ k: 'kick', dev: job.dev, dir: 'rx' });
        }
        const owner = pkt.kind === 'resp' || pkt.kind === 'ack' ? h.flowVcpu(pkt.flow) : ctx.idx;
        if (owner === ctx.idx) appReceive(ctx, port, pkt);
        else ctx.jobs.push({ k: 'ipi', to: owner, pkt });
      }
      if (napiNext(ctx, port, job, cpu)) return true;
      ctx.napiPending[job.dev] = false;
      return false;
    }
    case 'ipi':
      ctx.stats.ipis++;
      port.send(h.vcpuActor[ctx.vm][job.to], { type: 'guest.ipi', pkt: plain(job.pkt), cpu });
      return false;
    case 'wake':
      ctx.stats.ipis++;
      port.send(h.vcpuActor[ctx.vm][job.to], { type: 'guest.wake', flow: job.flow });
      return false;
    case 'txirq': {
      ctx.txIrqPending[job.dev] = false;
      h.recorder.guest.txInterrupts++;
      const out: XmitOut = { kick: false, woken: [] };
      xmitDone(port, ctx.txVq[job.dev], h.guest.txq[ctx.vm][job.dev], out);
      afterXmit(ctx, port, job.dev, out);
      return false;
    }
    case 'entry':
      return false;
    case 'halt':
      ctx.halted = true;
      ctx.stats.halts++;
      return false;
  }
}

function scheduleArrival(port: Port, flow: number): void {
  const h = port.host;
  const w = h.scenario.workload;
  const meanNs = 1e9 / w.ratePerSec;
  const delay = w.arrival === 'constant' ? meanNs : h.flowStream('arrival', flow).exponential(meanNs);
  port.send(port.self, { type: 'flow.arrival', flow }, Math.max(1, Math.round(delay)));
}

const actions: Record<string, A> = {
  startFlows(ctx, _ev, port) {
    const h = port.host;
    for (const flow of ctx.flows) {
      pushSends(ctx, flow, h.workload.start(flow, port.nowNs));
      if (h.workload.openLoop) scheduleArrival(port, flow.flow);
    }
  },
  /** A virtio interrupt: RX schedules NAPI (skb_recv_done), TX runs skb_xmit_done. */
  pendIrq(ctx, ev, port) {
    if (ev.type !== 'irq.inject') return;
    const pending = ev.dir === 'tx' ? ctx.txIrqPending : ctx.napiPending;
    if (pending[ev.dev]) return;
    pending[ev.dev] = true;
    ctx.stats.interrupts++;
    // An interrupt (RX or TX completion) for a guest running on another CPU kicks it out (kvm_vcpu_kick).
    const kick = kicksRunningGuest(ctx, port, ev.cpu);
    if (kick) port.host.recorder.kickExits++;
    ctx.jobs.push(
      ev.dir === 'tx' ? { k: 'txirq', dev: ev.dev, kick } : { k: 'napi', dev: ev.dev, pkt: null, kick },
    );
  },
  /** Another vCPU freed space in a socket whose sender sleeps here (a reschedule IPI). */
  takeWake(ctx, ev, port) {
    if (ev.type !== 'guest.wake') return;
    ctx.jobs.push({ k: 'entry', kick: false });
    wakeSender(ctx, port, ev.flow);
  },
  /** Another vCPU's NAPI received a packet for an application running here. */
  takeIpi(ctx, ev, port) {
    if (ev.type !== 'guest.ipi') return;
    const kick = kicksRunningGuest(ctx, port, ev.cpu);
    if (kick) port.host.recorder.kickExits++;
    ctx.jobs.push({ k: 'entry', kick });
    appReceive(ctx, port, ev.pkt);
  },
  /** A server's delayed-ACK timer fires (a guest timer interrupt): the ACK, if one is still due. */
  delack(ctx, ev, port) {
    if (ev.type !== 'tcp.delack') return;
    const h = port.host;
    ctx.jobs.push({ k: 'entry', kick: false });
    const reply = h.workload.delack?.(ev.flow, ev.gen, port.nowNs, h.recorder) ?? null;
    if (reply !== null)
      ctx.jobs.push({ k: 'send', dev: ev.dev, flow: ev.flow, dst: ev.dst, send: reply, client: false });
  },
  /** A client's retransmission timer fires: it resends what was lost. */
  rto(ctx, ev, port) {
    if (ev.type !== 'tcp.rto') return;
    const flow = flowOf(ctx, ev.flow) as FlowState;
    ctx.jobs.push({ k: 'entry', kick: false });
    pushSends(ctx, flow, port.host.workload.rto?.(flow, port.nowNs) ?? []);
  },
  /** Open loop: the instance's next request arrives (a guest timer fires). */
  arrive(ctx, ev, port) {
    if (ev.type !== 'flow.arrival') return;
    const flow = flowOf(ctx, ev.flow) as FlowState;
    // A guest timer: the LAPIC timer is the guest's own, no cross-CPU kick.
    ctx.jobs.push({ k: 'entry', kick: false });
    pushSends(ctx, flow, [port.host.workload.arrival(port.nowNs)]);
    scheduleArrival(port, ev.flow);
  },
  /** The waker: the vhost worker's CPU (irqfd), another vCPU's (IPI); a guest timer or the start: none. */
  wakeThread(ctx, ev, port) {
    ctx.sleeping = false;
    port.host.wake(ctx.tid, ev.type === 'irq.inject' || ev.type === 'guest.ipi' ? ev.cpu : -1);
  },
  /** Run guest work until a job needs CPU; with nothing left, take the HLT exit, then sleep. */
  step(ctx, ev, port) {
    if (ev.type !== 'cpu.granted' && ev.type !== 'cpu.done') return;
    const cpu = ev.cpu;
    ctx.cpu = cpu;
    if (ev.type === 'cpu.done' && ctx.job !== null) {
      if (complete(ctx, port, ctx.job, cpu)) return;
      ctx.job = null;
    }
    const next = ctx.jobs.shift();
    if (next !== undefined) {
      ctx.halted = false;
      ctx.job = next;
      begin(ctx, port, next, cpu);
      return;
    }
    if (!ctx.halted) {
      ctx.job = { k: 'halt' };
      begin(ctx, port, ctx.job, cpu);
      return;
    }
    ctx.halted = false;
    ctx.sleeping = true;
    port.host.block(ctx.tid);
  },
};

const guards: Record<string, G> = {
  isSleeping: (ctx) => ctx.sleeping,
};

/** What reaches a vCPU that is not halted: it only takes note (the thread is already awake). */
const awakeGuestEvents = {
  'vcpu.start': { actions: ['startFlows'] },
  'irq.inject': { actions: ['pendIrq'] },
  'guest.ipi': { actions: ['takeIpi'] },
  'guest.wake': { actions: ['takeWake'] },
  'tcp.delack': { actions: ['delack'] },
  'tcp.rto': { actions: ['rto'] },
  'flow.arrival': { actions: ['arrive'] },
};

export const vcpuMachine = defineMachine<VcpuContext, VcpuEvent>({
  id: 'vcpu',
  description: 'A guest vCPU thread running the guest network stack and netperf instances',
  initial: 'halted',
  states: {
    halted: {
      description: 'The guest executed HLT and the vCPU thread sleeps in kvm_vcpu_block until an interrupt',
      tags: ['idle'],
      on: {
        'vcpu.start': { target: 'runnable', actions: ['startFlows', 'wakeThread'] },
        'irq.inject': { target: 'runnable', actions: ['pendIrq', 'wakeThread'] },
        'guest.ipi': { target: 'runnable', actions: ['takeIpi', 'wakeThread'] },
        'guest.wake': { target: 'runnable', actions: ['takeWake', 'wakeThread'] },
        'tcp.delack': { target: 'runnable', actions: ['delack', 'wakeThread'] },
        'tcp.rto': { target: 'runnable', actions: ['rto', 'wakeThread'] },
        'flow.arrival': { target: 'runnable', actions: ['arrive', 'wakeThread'] },
      },
    },
    runnable: {
      description: 'Woken, waiting in a run queue for a core',
      tags: ['busy'],
      on: { ...awakeGuestEvents, 'cpu.granted': { target: 'running', actions: ['step'] } },
    },
    running: {
      description: 'In guest mode or handling an exit on a core',
      tags: ['busy'],
      on: { ...awakeGuestEvents, 'cpu.done': { actions: ['step'] } },
      always: [{ guard: 'isSleeping', target: 'halted' }],
    },
  },
  actions,
  guards,
});
