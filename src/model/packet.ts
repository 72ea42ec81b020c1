/**
 * A packet is plain, immutable data travelling between actors. `flow` identifies the netperf
 * connection (one per instance), which NIC flow steering hashes on.
 */
export interface Packet {
  readonly id: number;
  readonly vm: number;
  readonly dev: number;
  readonly flow: number;
  readonly bytes: number;
  /** What the packet carries for the workload: a request, a response, data or an ACK. */
  readonly kind: 'req' | 'resp' | 'data' | 'ack';
  /** Virtual time the workload created the message (for latency). */
  readonly bornNs: number;
}
