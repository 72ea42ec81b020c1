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
  writeXmit,
} from '../guest/tcpSender.ts';
import type { WorkloadSpec } from '../model/scenario.ts';
import { defaultMessageBytes, TCP_MSS, tcpAcks } from './stream.ts';
import type { PeerSender, Send, Workload } from './workload.ts';

/** The guest's connect (netperf opening the data connection): it carries no payload; the peer then streams. */
const connect = (nowNs: number): Send => ({ bytes: 0, kind: 'req', bornNs: nowNs, ack: 0, copy: 0 });
const data = (bytes: number, nowNs: number): Send => ({
  bytes,
  kind: 'data',
  bornNs: nowNs,
  ack: 0,
  copy: 0,
});

/**
 * netperf TCP_MAERTS (`workload.kind = TCP_STREAM`, `direction = rx`): the external peer streams to the
 * guest. The guest opens the connection; the peer's data crosses the wire, the host NIC (GRO,
 * `profile.nic.gro`), the bridge and tap, vhost's handle_rx into mergeable RX buffers, and the guest's
 * NAPI; the guest's receiver ACKs back through its TX path, vhost's handle_tx and the NIC, and those
 * ACKs clock the peer's sender. The peer's CPU is not simulated: its stack answers after
 * `profile.nic.peerTurnaroundNs`. Throughput is payload delivered to the guest's application.
 *
 * Not UDP: a UDP peer sends at line rate whatever the guest takes, and one CPU's receive queue then
 * needs more softirq time than the CPU has; Linux survives that by deferring softirq work to the
 * `ksoftirqd` thread (`__do_softirq` after MAX_SOFTIRQ_RESTART rounds, New-B/Linux3.6:kernel/softirq.c),
 * which the model does not have: its softirq would starve every thread on that CPU.
 */
export function rxStream(spec: WorkloadSpec): Workload {
  const message = defaultMessageBytes(spec);
  const acks = tcpAcks();
  return {
    kind: spec.kind,
    unit: 'Gbit/s',
    udp: false,
    openLoop: false,
    start: (_flow, nowNs) => [connect(nowNs)],
    afterSend: () => [],
    clientRx: () => [],
    // The guest's netserver side: data delivered to the application; TCP ACKs as Linux does.
    serverRx(pkt, vm, sink, timer) {
      if (pkt.kind !== 'data') return null;
      sink.delivered(vm, pkt.bytes);
      return acks.onData(pkt, sink, timer);
    },
    delack: acks.delack,
    // An ACK lost on its way out is covered by the next one (ACKs are cumulative).
    lost: () => 0,
    arrival: connect,
    peer: tcpPeer(spec, message),
  };
}

/**
 * The peer's TCP sender (src/guest/tcpSender.ts, the same Linux rules as the guest's): netserver keeps its
 * send buffer full with `message`-byte writes, `tcp_write_xmit` lets out skbs of up to `gsoBytes` (the
 * peer's TSO) as the congestion window and the guest's receive window (`windowBytes`) allow.
 */
function tcpPeer(spec: WorkloadSpec, message: number): PeerSender {
  const senders: TcpSender[] = [];
  const sender = (flow: number): TcpSender => {
    senders[flow] ??= newTcpSender(TCP_MSS, spec.gsoBytes, spec.windowBytes);
    return senders[flow];
  };
  const xmit = (s: TcpSender, nowNs: number): Send[] => {
    while (memoryFree(s)) write(s, message);
    return writeXmit(s).map((bytes) => data(bytes, nowNs));
  };
  return {
    receive(pkt, nowNs) {
      const s = sender(pkt.flow);
      if (pkt.kind === 'ack') onAck(s, pkt.ack);
      else if (pkt.kind !== 'req') return [];
      return xmit(s, nowNs);
    },
    lost(pkt) {
      const s = sender(pkt.flow);
      markLost(s, pkt.bytes);
      return needsRto(s) ? TCP_RTO_MIN_NS : 0;
    },
    rto(flow, nowNs) {
      const s = sender(flow);
      if (!needsRto(s)) return [];
      onRto(s);
      return xmit(s, nowNs);
    },
  };
}
