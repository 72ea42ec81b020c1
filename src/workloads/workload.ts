import type { Packet } from '../model/packet.ts';
import type { WorkloadKind } from '../model/scenario.ts';

/** Client-side state of one netperf instance (a flow), kept in its vCPU's context. */
export interface FlowState {
  flow: number;
  /** Queue slot (device and queue pair) the flow uses. */
  dev: number;
  /** Server: -1 for the external peer, else the VM index (east-west). */
  peer: number;
  /** TCP_STREAM: bytes sent and not yet acknowledged. */
  inFlight: number;
  /** TCP_STREAM: bytes of the current send() not yet handed to the driver. */
  msgLeft: number;
}

/** A message the guest application hands to its stack. */
export interface Send {
  bytes: number;
  kind: Packet['kind'];
  bornNs: number;
  ack: number;
}

/** What a workload reports as it runs (the recorder implements it). */
export interface WorkloadSink {
  transaction(vm: number, latencyNs: number): void;
  delivered(vm: number, bytes: number): void;
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
  /** Messages an instance sends when it starts. */
  start(flow: FlowState, nowNs: number): Send[];
  /** A send of the instance reached its driver: messages to send next (streams keep going). */
  afterSend(flow: FlowState, nowNs: number): Send[];
  /** The instance received `pkt`: messages to send next. */
  clientRx(flow: FlowState, pkt: Packet, nowNs: number, sink: WorkloadSink): Send[];
  /** A server received `pkt` (on VM `vm`, -1 = the external peer): its reply, if any. */
  serverRx(pkt: Packet, vm: number, sink: WorkloadSink): Send | null;
  /** Open loop: the next request of an arrival. */
  arrival(nowNs: number): Send;
}
