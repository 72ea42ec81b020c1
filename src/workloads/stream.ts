import type { WorkloadSpec } from '../model/scenario.ts';
import type { FlowState, Send, Workload } from './workload.ts';

/** netperf's default send size when none is given (the socket buffer size it reads, capped for UDP). */
export function defaultMessageBytes(spec: WorkloadSpec): number {
  if (spec.messageBytes > 0) return spec.messageBytes;
  return spec.kind === 'UDP_STREAM' ? 1_472 : 16_384;
}

/**
 * TCP_STREAM: the client writes `messageBytes` at a time; the stack hands the driver buffers of up to
 * `gsoBytes` while the window allows; the server acknowledges each buffer it receives, and ACKs reopen
 * the window. Throughput is payload delivered to the server's application.
 */
export function tcpStream(spec: WorkloadSpec): Workload {
  const message = defaultMessageBytes(spec);
  const fill = (flow: FlowState, nowNs: number): Send[] => {
    const sends: Send[] = [];
    for (;;) {
      if (flow.msgLeft === 0) flow.msgLeft = message;
      const bytes = Math.min(spec.gsoBytes, flow.msgLeft);
      // A window smaller than one buffer still lets one buffer out at a time.
      if (flow.inFlight > 0 && flow.inFlight + bytes > spec.windowBytes) return sends;
      flow.inFlight += bytes;
      flow.msgLeft -= bytes;
      sends.push({ bytes, kind: 'data', bornNs: nowNs, ack: 0 });
    }
  };
  return {
    kind: 'TCP_STREAM',
    unit: 'Gbit/s',
    udp: false,
    openLoop: false,
    start: fill,
    afterSend: () => [],
    clientRx(flow, pkt, nowNs) {
      if (pkt.kind !== 'ack') return [];
      flow.inFlight -= pkt.ack;
      return fill(flow, nowNs);
    },
    serverRx(pkt, _vm, sink) {
      if (pkt.kind !== 'data') return null;
      sink.delivered(pkt.src, pkt.bytes);
      return { bytes: 0, kind: 'ack', bornNs: pkt.bornNs, ack: pkt.bytes };
    },
    arrival: (nowNs) => ({ bytes: message, kind: 'data', bornNs: nowNs, ack: 0 }),
  };
}

/**
 * UDP_STREAM: the client sends `messageBytes` datagrams as fast as its vCPU can, open loop; nothing
 * comes back. Full rings, NIC queues or sockets drop (counted by reason).
 */
export function udpStream(spec: WorkloadSpec): Workload {
  const message = defaultMessageBytes(spec);
  const datagram = (nowNs: number): Send => ({ bytes: message, kind: 'data', bornNs: nowNs, ack: 0 });
  return {
    kind: 'UDP_STREAM',
    unit: 'Gbit/s',
    udp: true,
    openLoop: false,
    start: (_flow, nowNs) => [datagram(nowNs)],
    afterSend: (_flow, nowNs) => [datagram(nowNs)],
    clientRx: () => [],
    serverRx(pkt, _vm, sink) {
      if (pkt.kind === 'data') sink.delivered(pkt.src, pkt.bytes);
      return null;
    },
    arrival: datagram,
  };
}
