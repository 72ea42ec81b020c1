import type { Packet } from '../src/model/packet.ts';
import { defineMachine, type Recipe } from './define.ts';

/**
 * The 10GbE NIC and, behind the wire, the external netperf peer. Frames are serialized at line rate in
 * each direction; the peer answers after its turnaround; received frames raise an interrupt, after the
 * NIC's interrupt moderation, on the CPU flow steering picks.
 */
export interface NicContext {
  /** When each direction of the link is free again (serialization at line rate). */
  txFreeNs: number;
  rxFreeNs: number;
  /** Flow Director ATR table: flow -> CPU that last transmitted on it. */
  flowCpu: Record<number, number>;
  stats: { txPkts: number; rxPkts: number; txBytes: number; rxBytes: number };
}

export type NicEvent = { type: 'nic.tx'; pkt: Packet; cpu: number } | { type: 'nic.rx'; pkt: Packet };

type A = Recipe<NicContext, NicEvent>;

export function nicContext(): NicContext {
  return { txFreeNs: 0, rxFreeNs: 0, flowCpu: {}, stats: { txPkts: 0, rxPkts: 0, txBytes: 0, rxBytes: 0 } };
}

const actions: Record<string, A> = {
  /** A frame from vhost (through tap and the bridge) leaves on the wire; the peer may answer. */
  transmit(ctx, ev, port) {
    if (ev.type !== 'nic.tx') return;
    const h = port.host;
    const nic = h.scenario.profile.nic;
    const { pkt } = ev;
    if (nic.steering === 'atr') ctx.flowCpu[pkt.flow] = ev.cpu;
    const nsPerByte = 8 / nic.lineRateGbps;
    const start = Math.max(port.nowNs + nic.txNs, ctx.txFreeNs);
    ctx.txFreeNs = start + Math.round((pkt.bytes + nic.frameOverheadBytes) * nsPerByte);
    ctx.stats.txPkts++;
    ctx.stats.txBytes += pkt.bytes;
    const reply = h.workload.peerReply(pkt);
    if (reply === null) return;
    const turnaround = Math.round(
      h.stream(`peer.flow${pkt.flow}`).lognormalMean(nic.peerTurnaroundNs, nic.peerJitterCv),
    );
    const sendAt = ctx.txFreeNs + nic.wireNs + turnaround;
    const rxStart = Math.max(sendAt, ctx.rxFreeNs);
    ctx.rxFreeNs = rxStart + Math.round((reply.bytes + nic.frameOverheadBytes) * nsPerByte);
    const back = h.newPacket(pkt.vm, pkt.dev, pkt.flow, reply.bytes, reply.kind, pkt.bornNs);
    port.send(port.self, { type: 'nic.rx', pkt: back }, ctx.rxFreeNs + nic.wireNs - port.nowNs);
  },
  /** A frame arrived: raise the receive interrupt on the steered CPU after interrupt moderation. */
  receive(ctx, ev, port) {
    if (ev.type !== 'nic.rx') return;
    const h = port.host;
    const nic = h.scenario.profile.nic;
    const { pkt } = ev;
    ctx.stats.rxPkts++;
    ctx.stats.rxBytes += pkt.bytes;
    const steered = nic.steering === 'atr' ? ctx.flowCpu[pkt.flow] : undefined;
    const cpu = steered ?? nic.irqCpus[pkt.flow % nic.irqCpus.length];
    h.recorder.nicIrqs++;
    port.send(h.cpuActor[cpu], { type: 'irq.raise', pkt }, nic.irqDelayNs);
  },
};

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
      },
    },
  },
  actions,
  guards: {},
});
