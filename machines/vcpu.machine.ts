import type { Packet } from '../src/model/packet.ts';
import { defineMachine, type Guard, plain, type Recipe } from './define.ts';
import type { ActorId, Port } from './port.ts';
import type { VirtqueueContext } from './virtqueue.machine.ts';

/**
 * A guest vCPU (its host thread's behaviour): runs the guest's network work for the netperf instances it
 * hosts, kicks vhost through a VM exit when the ring asks for it, takes virtio interrupts, and halts
 * (HLT exit, thread sleeps) when it has nothing to do.
 */
export interface VcpuContext {
  vm: number;
  idx: number;
  tid: number;
  /** Home node of the VM's memory. */
  node: number;
  /** Core it last ran on. */
  cpu: number;
  txVq: ActorId[];
  rxVq: ActorId[];
  /** netperf instances on this vCPU: their flow ids and devices. */
  flows: { flow: number; dev: number }[];
  /** Guest work waiting to run, FIFO (kicks go first: they follow the send that needed them). */
  jobs: Job[];
  job: Job | null;
  /** An interrupt for the device is pending or being handled (NAPI scheduled). */
  napiPending: boolean[];
  /** The HLT exit has been taken; sleep unless work arrived meanwhile. */
  halted: boolean;
  sleeping: boolean;
  stats: { sends: number; kicks: number; interrupts: number; halts: number; rxPkts: number };
}

export type Job =
  | { k: 'send'; dev: number; flow: number; bytes: number; kind: Packet['kind']; bornNs: number }
  | { k: 'kick'; dev: number }
  | { k: 'napi'; dev: number; pkt: Packet | null }
  | { k: 'halt' };

export type VcpuEvent =
  | { type: 'vcpu.start' }
  | { type: 'irq.inject'; dev: number }
  | { type: 'cpu.granted'; cpu: number }
  | { type: 'cpu.done'; cpu: number };

type A = Recipe<VcpuContext, VcpuEvent>;
type G = Guard<VcpuContext, VcpuEvent>;

export function vcpuContext(
  init: Pick<VcpuContext, 'vm' | 'idx' | 'tid' | 'node' | 'cpu' | 'txVq' | 'rxVq' | 'flows'>,
): VcpuContext {
  return {
    ...init,
    jobs: [],
    job: null,
    napiPending: init.rxVq.map(() => false),
    halted: false,
    sleeping: true,
    stats: { sends: 0, kicks: 0, interrupts: 0, halts: 0, rxPkts: 0 },
  };
}

function guestCost(ctx: VcpuContext, port: Port, baseNs: number, bytes: number, cpu: number): number {
  const c = port.host.costs;
  return (baseNs + bytes * c.guestPerByteNs) * port.host.numaFactor(ctx.vm, cpu, c.guestMemFraction);
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
  port.host.exec(ctx.tid, guestCost(ctx, port, port.host.costs.guestRxPktNs, pkt.bytes, cpu), ctx.vm);
  return true;
}

/** Start the job at the head; false if it needs no CPU (it finished at once). */
function begin(ctx: VcpuContext, port: Port, job: Job, cpu: number): boolean {
  const h = port.host;
  const c = h.costs;
  switch (job.k) {
    case 'send':
      h.exec(ctx.tid, guestCost(ctx, port, c.guestTxPktNs, job.bytes, cpu), ctx.vm);
      return true;
    case 'kick':
      h.exec(ctx.tid, c.vmExitNs + c.kickHandleNs, ctx.vm);
      return true;
    case 'napi':
      // The interrupt arrives: injected on entry, EOI traps; the driver masks further interrupts.
      port.call(ctx.rxVq[job.dev], { type: 'vq.guestIrqOff' });
      h.exec(ctx.tid, c.irqEntryNs, ctx.vm);
      return true;
    case 'halt':
      h.exec(ctx.tid, c.haltExitNs, ctx.vm);
      return true;
  }
}

/** The job's CPU segment is over: apply its effect. Returns true if the job continues (another segment). */
function complete(ctx: VcpuContext, port: Port, job: Job, cpu: number): boolean {
  const h = port.host;
  switch (job.k) {
    case 'send': {
      const pkt = h.newPacket(ctx.vm, job.dev, job.flow, job.bytes, job.kind, job.bornNs);
      const vq = ctx.txVq[job.dev];
      port.call(vq, { type: 'vq.add', pkt });
      ctx.stats.sends++;
      // virtqueue_kick_prepare(): kick only if vhost asked for notifications.
      if (port.read<VirtqueueContext>(vq).notify) ctx.jobs.unshift({ k: 'kick', dev: job.dev });
      return false;
    }
    case 'kick':
      ctx.stats.kicks++;
      h.recorder.kicks++;
      h.queueWork(h.txWork[ctx.vm][job.dev], cpu);
      return false;
    case 'napi': {
      if (job.pkt !== null) {
        const pkt = plain(job.pkt);
        job.pkt = null;
        ctx.stats.rxPkts++;
        port.call(ctx.rxVq[job.dev], { type: 'vq.refill' });
        const next = h.workload.onGuestRx(pkt, port.nowNs, (vm, lat) => h.recorder.transaction(vm, lat));
        if (next !== null) ctx.jobs.push({ k: 'send', dev: pkt.dev, flow: pkt.flow, ...next });
      }
      if (napiNext(ctx, port, job, cpu)) return true;
      ctx.napiPending[job.dev] = false;
      return false;
    }
    case 'halt':
      ctx.halted = true;
      ctx.stats.halts++;
      return false;
  }
}

const actions: Record<string, A> = {
  startFlows(ctx, _ev, port) {
    for (const { flow, dev } of ctx.flows) {
      const first = port.host.workload.firstMessage(flow);
      ctx.jobs.push({ k: 'send', dev, flow, bytes: first.bytes, kind: first.kind, bornNs: port.nowNs });
    }
  },
  pendNapi(ctx, ev) {
    if (ev.type !== 'irq.inject' || ctx.napiPending[ev.dev]) return;
    ctx.napiPending[ev.dev] = true;
    ctx.stats.interrupts++;
    ctx.jobs.push({ k: 'napi', dev: ev.dev, pkt: null });
  },
  wakeThread(ctx, _ev, port) {
    ctx.sleeping = false;
    port.host.wake(ctx.tid);
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
    for (;;) {
      const next = ctx.jobs.shift();
      if (next === undefined) break;
      ctx.halted = false;
      ctx.job = next;
      if (begin(ctx, port, next, cpu)) return;
      ctx.job = null;
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
        'irq.inject': { target: 'runnable', actions: ['pendNapi', 'wakeThread'] },
      },
    },
    runnable: {
      description: 'Woken, waiting in a run queue for a core',
      tags: ['busy'],
      on: {
        'irq.inject': { actions: ['pendNapi'] },
        'cpu.granted': { target: 'running', actions: ['step'] },
      },
    },
    running: {
      description: 'In guest mode or handling an exit on a core',
      tags: ['busy'],
      on: {
        'irq.inject': { actions: ['pendNapi'] },
        'cpu.done': { actions: ['step'] },
      },
      always: [{ guard: 'isSleeping', target: 'halted' }],
    },
  },
  actions,
  guards,
});
