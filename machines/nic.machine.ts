import { rxFrames } from '../src/host/rxFrames.ts';
import type { Packet } from '../src/model/packet.ts';
import type { NicSpec } from '../src/model/profile.ts';
import type { Send } from '../src/workloads/workload.ts';
import { defineMachine, type Recipe } from './define.ts';
import type { PcpuContext } from './pcpu.machine.ts';
import type { Port } from './port.ts';

/**
 * The 10GbE NIC and, behind the wire, the external netperf peer. Frames are serialized at line rate in
 * each direction; the peer answers after its turnaround; received frames raise an interrupt, after the
 * NIC's interrupt moderation, on the CPU flow steering picks.
 */
export interface NicContext {
  /** When each direction of the link is free again (serialization at line rate). */
  txFreeNs: number;
  rxFreeNs: number;
  /** Flow Director ATR table: flow -> CPU whose TX queue last sampled it. */
  flowCpu: Record<number, number>;
  /** ATR's per-TX-queue packet count since its last sample (ring->atr_count), by sending CPU. */
  atrCount: Record<number, number>;
  /** Per receive queue (one per CPU, its MSI-X vector bound there): when its last interrupt fired. */
  lastIrqNs: Record<number, number>;
  /** Replies on their way back from the peer (on the wire or in the peer). */
  inFlight: number;
  stats: { txPkts: number; rxPkts: number; txBytes: number; rxBytes: number; txDrops: number };
}

export type NicEvent =
  | { type: 'nic.tx'; pkt: Packet; cpu: number }
  | { type: 'nic.rx'; pkt: Packet }
  | { type: 'tcp.delack'; flow: number; gen: number; dev: number; dst: number }
  | { type: 'peer.rto'; flow: number; dst: number; dev: number };

type A = Recipe<NicContext, NicEvent>;

export function nicContext(): NicContext {
  return {
    txFreeNs: 0,
    rxFreeNs: 0,
    flowCpu: {},
    atrCount: {},
    lastIrqNs: {},
    inFlight: 0,
    stats: { txPkts: 0, rxPkts: 0, txBytes: 0, rxBytes: 0, txDrops: 0 },
  };
}

/** Wire time of a packet: TSO cuts it into MSS-sized frames, each with its header overhead. */
function wireNs(bytes: number, nic: NicSpec): number {
  const frames = Math.max(1, Math.ceil(bytes / nic.mssBytes));
  return Math.round(((bytes + frames * nic.frameOverheadBytes) * 8) / nic.lineRateGbps);
}

/**
 * The peer sends `reply` to VM `dst` at `sendAt`: serialized on the receive direction, then it arrives.
 * The peer's TSO cuts a TCP skb into MSS-sized frames on the wire; with the host's GRO on
 * (`profile.nic.gro`, `napi_gro_receive`) they are merged back into one skb before the stack sees them
 * (the frames of a burst arrive back to back; the receiving CPU pays per frame, src/host/rxFrames.ts),
 * so the skb travels as one packet; with GRO off every frame goes up the stack as a packet of its own.
 */
function peerSend(
  ctx: NicContext,
  port: Parameters<A>[2],
  reply: Send,
  dst: number,
  dev: number,
  flow: number,
  sendAt: number,
): void {
  const h = port.host;
  const nic = h.scenario.profile.nic;
  const split = reply.kind === 'data' && !nic.gro && reply.bytes > nic.mssBytes;
  const pieces = split ? Math.ceil(reply.bytes / nic.mssBytes) : 1;
  let left = reply.bytes;
  let rxFree = Math.max(sendAt, ctx.rxFreeNs);
  for (let i = 0; i < pieces; i++) {
    const bytes = split ? Math.min(nic.mssBytes, left) : reply.bytes;
    left -= bytes;
    rxFree += wireNs(bytes, nic);
    const back = h.newPacket(-1, dst, dev, flow, bytes, reply.kind, reply.ack, reply.bornNs);
    ctx.inFlight++;
    port.send(port.self, { type: 'nic.rx', pkt: back }, rxFree + nic.wireNs - port.nowNs);
  }
  ctx.rxFreeNs = rxFree;
}

const isTcp = (kind: string): boolean => !kind.startsWith('UDP');

/**
 * ixgbe_atr() (torvalds/linux:drivers/net/ethernet/intel/ixgbe/ixgbe_main.c): Flow Director ATR learns
 * only TCP flows, from the transmit side: the first packet of a flow (its SYN) always programs the
 * filter, then one packet in `atr_sample_rate` of the TX queue does (`ring->atr_count`). The filter
 * steers the flow's receive side to the queue of the CPU that sent the sampled packet.
 */
export function atrSample(ctx: NicContext, flow: number, cpu: number, rate: number): void {
  const n = (ctx.atrCount[cpu] ?? 0) + 1;
  if (ctx.flowCpu[flow] === undefined || n >= rate) {
    ctx.flowCpu[flow] = cpu;
    ctx.atrCount[cpu] = 0;
  } else ctx.atrCount[cpu] = n;
}

const actions: Record<string, A> = {
  /** A frame from vhost (through tap and the bridge) leaves on the wire; the peer may answer. */
  transmit(ctx, ev, port) {
    if (ev.type !== 'nic.tx') return;
    const h = port.host;
    const nic = h.scenario.profile.nic;
    const { pkt } = ev;
    if (nic.steering === 'atr' && isTcp(h.scenario.workload.kind))
      atrSample(ctx, pkt.flow, ev.cpu, nic.atrSampleRate);
    const start = Math.max(port.nowNs + nic.txNs, ctx.txFreeNs);
    // The transmit ring holds txRingFrames full-size frames waiting for the wire; beyond that, drop.
    if (start - port.nowNs > nic.txRingFrames * wireNs(nic.mssBytes, nic)) {
      ctx.stats.txDrops++;
      h.drop(pkt, 'nicTxFull');
      return;
    }
    ctx.txFreeNs = start + wireNs(pkt.bytes, nic);
    ctx.stats.txPkts++;
    ctx.stats.txBytes += pkt.bytes;
    // The external peer consumes the packet when it has crossed the wire, and may answer.
    h.recorder.consumed++;
    const arriveNs = ctx.txFreeNs + nic.wireNs;
    const peer = h.workload.peer;
    if (peer !== undefined) {
      // An RX stream: the guest's connect or ACK reaches the peer's sender, whose stack answers.
      const turnaround = Math.round(
        h.flowStream('peer', pkt.flow).lognormalMean(nic.peerTurnaroundNs, nic.peerJitterCv),
      );
      const sends = peer.receive(pkt, port.nowNs);
      for (const send of sends) peerSend(ctx, port, send, pkt.src, pkt.dev, pkt.flow, arriveNs + turnaround);
      return;
    }
    const reply = h.workload.serverRx(pkt, -1, h.recorder, (flow, gen, delayNs) =>
      port.send(
        port.self,
        { type: 'tcp.delack', flow, gen, dev: pkt.dev, dst: pkt.src },
        arriveNs - port.nowNs + delayNs,
      ),
    );
    if (reply === null) return;
    const turnaround = Math.round(
      h.flowStream('peer', pkt.flow).lognormalMean(nic.peerTurnaroundNs, nic.peerJitterCv),
    );
    peerSend(ctx, port, reply, pkt.src, pkt.dev, pkt.flow, arriveNs + turnaround);
  },
  /** The peer's delayed-ACK timer fired: its ACK, if one is still due, goes back on the wire. */
  delack(ctx, ev, port) {
    if (ev.type !== 'tcp.delack') return;
    const h = port.host;
    const reply = h.workload.delack?.(ev.flow, ev.gen, port.nowNs, h.recorder) ?? null;
    if (reply !== null) peerSend(ctx, port, reply, ev.dst, ev.dev, ev.flow, port.nowNs);
  },
  /** The peer's retransmission timer fired (its data was dropped on the way in and nothing else told it). */
  peerRto(ctx, ev, port) {
    if (ev.type !== 'peer.rto') return;
    const sends = port.host.workload.peer?.rto(ev.flow, port.nowNs) ?? [];
    for (const send of sends) peerSend(ctx, port, send, ev.dst, ev.dev, ev.flow, port.nowNs);
  },
  /** A frame arrived: raise the receive interrupt on the steered CPU after interrupt moderation. */
  receive(ctx, ev, port) {
    if (ev.type !== 'nic.rx') return;
    const h = port.host;
    const nic = h.scenario.profile.nic;
    const { pkt } = ev;
    ctx.inFlight--;
    ctx.stats.rxPkts++;
    ctx.stats.rxBytes += pkt.bytes;
    if (pkt.kind === 'data') {
      // The peer's stream (TCP_MAERTS) as it left the wire: the run's sent side. Its NIC queue is not
      // bounded, so what its stack has queued beyond the wire is not counted until it crosses.
      h.recorder.appSends++;
      h.recorder.appSendBytes += pkt.bytes;
    }
    if (h.policy.nicPolled) {
      // The NIC's receive queue is polled (DPDK): no interrupt; the owning thread picks the frame up.
      port.call(h.rxVq[pkt.dst][pkt.dev], { type: 'sock.enqueue', pkt });
      h.queueWork(h.rxWork[pkt.dst][pkt.dev], -1);
      return;
    }
    const cpu = steer(ctx, port, pkt);
    h.recorder.nicRxFrames += rxFrames(pkt, nic);
    // Interrupt moderation (ixgbe's EITR) per queue, as a rate limit. While the queue's interrupt is
    // pending or its NAPI poll runs on the core (the interrupt is masked until napi_complete), the frame
    // joins that poll; otherwise an interrupt fires at once, or when the ITR interval since the last ends.
    const last = ctx.lastIrqNs[cpu] ?? Number.NEGATIVE_INFINITY;
    const now = port.nowNs;
    if (last > now) {
      port.send(h.cpuActor[cpu], { type: 'irq.raise', pkt, irq: false }, last - now);
      return;
    }
    if (port.read<PcpuContext>(h.cpuActor[cpu]).irqPkts.length > 0) {
      port.send(h.cpuActor[cpu], { type: 'irq.raise', pkt, irq: false }, 0);
      return;
    }
    const at = nic.itrIntervalNs > 0 ? Math.max(now, last + nic.itrIntervalNs) : now;
    ctx.lastIrqNs[cpu] = at;
    h.recorder.nicIrqs++;
    port.send(h.cpuActor[cpu], { type: 'irq.raise', pkt, irq: true }, at - now);
  },
};

/**
 * The receive queue (and so the CPU) of a frame: with ATR, the CPU of the flow's filter for TCP; other
 * traffic, and flows without a filter, by the RSS hash over the CPUs (one queue per CPU, as ixgbe sets up
 * min(CPUs, 16) RSS queues); `fixed` steering hashes over `irqCpus`.
 */
function steer(ctx: NicContext, port: Port, pkt: Packet): number {
  const h = port.host;
  const nic = h.scenario.profile.nic;
  if (nic.steering === 'fixed') return nic.irqCpus[pkt.flow % nic.irqCpus.length];
  return ctx.flowCpu[pkt.flow] ?? pkt.flow % h.topo.cpus;
}

export const nicMachine = defineMachine<NicContext, NicEvent>({
  id: 'nic',
  description: '10GbE NIC with the external netperf peer behind the wire',
  initial: 'up',
  states: {
    up: {
      description: 'Link up: frames are serialized at line rate each way',
      tags: ['busy'],
      on: {
        'nic.tx': { actions: ['transmit'] },
        'nic.rx': { actions: ['receive'] },
        'tcp.delack': { actions: ['delack'] },
        'peer.rto': { actions: ['peerRto'] },
      },
    },
  },
  actions,
  guards: {},
});
