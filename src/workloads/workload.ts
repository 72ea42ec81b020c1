import type { Packet } from '../model/packet.ts';
import type { WorkloadKind } from '../model/scenario.ts';

/** Client-side state of one netperf instance (a flow), kept in its vCPU's context. */
export interface FlowState {
  flow: number;
  /** Queue slot (device and queue pair) the flow uses. */
  dev: number;
  /** Server: -1 for the external peer, else the VM index (east-west). */
  peer: number;
}

/**
 * A packet the guest stack sends, or (`write`) an application write into a TCP socket that sends
 * nothing by itself. `copy`: bytes copied from the application at this step (the per-byte cost).
 */
export interface Send {
  bytes: number;
  kind: Packet['kind'];
  bornNs: number;
  ack: number;
  copy: number;
  write?: boolean;
}

/** A receiver asks for its delayed-ACK timer (generation `gen`) to fire after `delayNs`. */
export type DelackTimer = (flow: number, gen: number, delayNs: number) => void;

/** What a workload reports as it runs (the recorder implements it). */
export interface WorkloadSink {
  transaction(vm: number, latencyNs: number): void;
  delivered(vm: number, bytes: number): void;
  /** A TCP receiver sent an ACK, at once or on its delayed-ACK timer. */
  ack(delayed: boolean): void;
  /** A TCP writer went to sleep on its full send buffer, or was woken. */
  senderSleep(): void;
  senderWake(): void;
}

/**
 * The external peer as a sender (RX streams, `workload.direction = rx`): the NIC hands it what the guest
 * transmits and puts what it returns on the wire toward the guest. Its CPU is not simulated.
 */
export interface PeerSender {
  /** The guest's packet `pkt` (the connection's first, or an ACK) reached the peer: the skbs it sends now. */
  receive(pkt: Packet, nowNs: number): Send[];
  /** A queue dropped `pkt` from the peer: after how long its retransmission timer fires (0: never). */
  lost(pkt: Packet): number;
  /** The peer's retransmission timer fired for `flow`: what it resends. */
  rto(flow: number, nowNs: number): Send[];
}

/**
 * A netperf-like workload: what a client instance sends and does with what it receives, and what the
 * server (the external peer or a VM) answers. The machines call these hooks; a workload never sees
 * threads or cores.
 */
export interface Workload {
  readonly kind: WorkloadKind;
  /** Unit of the run's throughput figure. */
  readonly unit: 'transactions/s' | 'Gbit/s';
  /** UDP workloads pay the profile's udpStackFactor on per-packet stack costs. */
  readonly udp: boolean;
  /** Open loop: requests come from an arrival process instead of the previous response. */
  readonly openLoop: boolean;
  /**
   * Block I/O: requests end in the host's block backend, which the vhost handler submits them to and
   * which completes them onto the same queue (no NIC, no peer); guest and vhost pay the block costs.
   */
  readonly storage?: boolean;
  /** Messages an instance sends when it starts. */
  start(flow: FlowState, nowNs: number): Send[];
  /** A send of the instance reached its driver: messages to send next (streams keep going). */
  afterSend(flow: FlowState, nowNs: number): Send[];
  /** The instance received `pkt`: messages to send next. */
  clientRx(flow: FlowState, pkt: Packet, nowNs: number, sink: WorkloadSink): Send[];
  /** A TCP write of the instance was copied into its socket: what the stack sends next. */
  afterWrite?(flow: FlowState, nowNs: number, sink: WorkloadSink): Send[];
  /** A server received `pkt` (on VM `vm`, -1 = the external peer): its reply, if any. */
  serverRx(pkt: Packet, vm: number, sink: WorkloadSink, timer: DelackTimer): Send | null;
  /** The server's delayed-ACK timer of generation `gen` fired for `flow`: the ACK, if one is due. */
  delack?(flow: number, gen: number, nowNs: number, sink: WorkloadSink): Send | null;
  /** A queue dropped `pkt`: returns after how long the sender's retransmission timer must fire (0: never). */
  lost?(pkt: Packet): number;
  /** The sender's retransmission timer fired for the instance: what it sends. */
  rto?(flow: FlowState, nowNs: number): Send[];
  /** Open loop: the next request of an arrival. */
  arrival(nowNs: number): Send;
  /** RX streams: the external peer sends the data and the guest receives it. */
  readonly peer?: PeerSender;
}
