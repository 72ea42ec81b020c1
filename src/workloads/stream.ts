import {
  newTcpReceiver,
  onData,
  onDelackTimer,
  TCP_DELACK_MIN_NS,
  type TcpReceiver,
} from '../guest/tcpReceiver.ts';
import {
  markLost,
  memoryFree,
  needsRto,
  newTcpSender,
  onAck,
  onRto,
  TCP_RTO_MIN_NS,
  type TcpSender,
  write,
  writeSpace,
  writeXmit,
} from '../guest/tcpSender.ts';
import type { Packet } from '../model/packet.ts';
import type { WorkloadSpec } from '../model/scenario.ts';
import type { DelackTimer, Send, Workload, WorkloadSink } from './workload.ts';

/** netperf's default send size when none is given (the socket buffer size it reads, capped for UDP). */
export function defaultMessageBytes(spec: WorkloadSpec): number {
  if (spec.messageBytes > 0) return spec.messageBytes;
  return spec.kind === 'UDP_STREAM' ? 1_472 : 16_384;
}

/** TCP payload per 1,500-byte frame with timestamps: 1500 - 20 (IP) - 32 (TCP + timestamp option). */
export const TCP_MSS = 1_448;

/**
 * The receiving ends of a stream's TCP connections (one src/guest/tcpReceiver.ts state per flow): each
 * data skb is ACKed as Linux decides, at once or on the delayed-ACK timer.
 */
export function tcpAcks(): {
  onData(pkt: Packet, sink: WorkloadSink, timer: DelackTimer): Send | null;
  delack(flow: number, gen: number, nowNs: number, sink: WorkloadSink): Send | null;
} {
  const receivers: TcpReceiver[] = [];
  const receiver = (flow: number): TcpReceiver => {
    receivers[flow] ??= newTcpReceiver(TCP_MSS);
    return receivers[flow];
  };
  const ackOf = (cumulative: number, nowNs: number): Send => ({
    bytes: 0,
    kind: 'ack',
    bornNs: nowNs,
    ack: cumulative,
    copy: 0,
  });
  return {
    onData(pkt, sink, timer) {
      const r = receiver(pkt.flow);
      const d = onData(r, pkt.bytes);
      if (d.arm) timer(pkt.flow, r.gen, TCP_DELACK_MIN_NS);
      if (d.ack === 0) return null;
      sink.ack(false);
      return ackOf(d.ack, pkt.bornNs);
    },
    delack(flow, gen, nowNs, sink) {
      const ack = onDelackTimer(receiver(flow), gen);
      if (ack === 0) return null;
      sink.ack(true);
      return ackOf(ack, nowNs);
    },
  };
}

/**
 * TCP_STREAM: the client writes `messageBytes` at a time into its socket while the send buffer has
 * room (else it sleeps); the guest's TCP (src/guest/tcpSender.ts) sends skbs of up to `gsoBytes` as the
 * congestion and receive windows (`windowBytes`) allow; the server ACKs as Linux does
 * (src/guest/tcpReceiver.ts); ACKs grow the window and reopen it. Throughput is payload delivered to
 * the server's application. A drop is noticed at the next ACK (fast retransmit) or by the RTO.
 */
export function tcpStream(spec: WorkloadSpec): Workload {
  const message = defaultMessageBytes(spec);
  const senders: TcpSender[] = [];
  const acks = tcpAcks();
  const sender = (flow: number): TcpSender => {
    senders[flow] ??= newTcpSender(TCP_MSS, spec.gsoBytes, spec.windowBytes);
    return senders[flow];
  };
  const appWrite = (nowNs: number): Send => ({
    bytes: message,
    kind: 'data',
    bornNs: nowNs,
    ack: 0,
    copy: message,
    write: true,
  });
  // The stack's skbs: their data was copied at the write, so they cost per packet only.
  const xmit = (s: TcpSender, nowNs: number): Send[] =>
    writeXmit(s).map((bytes) => ({ bytes, kind: 'data', bornNs: nowNs, ack: 0, copy: 0 }));
  return {
    kind: 'TCP_STREAM',
    unit: 'Gbit/s',
    udp: false,
    openLoop: false,
    start: (_flow, nowNs) => [appWrite(nowNs)],
    afterSend: () => [],
    afterWrite(flow, nowNs, sink) {
      const s = sender(flow.flow);
      write(s, message);
      const out = xmit(s, nowNs);
      if (memoryFree(s)) out.push(appWrite(nowNs));
      else {
        s.appBlocked = true;
        sink.senderSleep();
      }
      return out;
    },
    clientRx(flow, pkt, nowNs, sink: WorkloadSink) {
      if (pkt.kind !== 'ack') return [];
      const s = sender(flow.flow);
      onAck(s, pkt.ack);
      const out = xmit(s, nowNs);
      if (s.appBlocked && writeSpace(s)) {
        s.appBlocked = false;
        sink.senderWake();
        out.push(appWrite(nowNs));
      }
      return out;
    },
    serverRx(pkt, _vm, sink, timer) {
      if (pkt.kind !== 'data') return null;
      sink.delivered(pkt.src, pkt.bytes);
      return acks.onData(pkt, sink, timer);
    },
    delack: acks.delack,
    lost(pkt) {
      if (pkt.kind !== 'data' || pkt.src < 0) return 0;
      const s = sender(pkt.flow);
      markLost(s, pkt.bytes);
      return needsRto(s) ? TCP_RTO_MIN_NS : 0;
    },
    rto(flow, nowNs) {
      const s = sender(flow.flow);
      if (!needsRto(s)) return [];
      onRto(s);
      return xmit(s, nowNs);
    },
    arrival: (nowNs) => ({ bytes: message, kind: 'data', bornNs: nowNs, ack: 0, copy: message }),
  };
}

/**
 * UDP_STREAM: the client sends `messageBytes` datagrams as fast as its vCPU can, open loop, sleeping
 * only while its socket's send buffer is full; nothing comes back. Drops are counted by reason.
 */
export function udpStream(spec: WorkloadSpec): Workload {
  const message = defaultMessageBytes(spec);
  const datagram = (nowNs: number): Send => ({
    bytes: message,
    kind: 'data',
    bornNs: nowNs,
    ack: 0,
    copy: message,
  });
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
