/**
 * A packet is plain, immutable data travelling between actors. `flow` identifies the netperf
 * connection (one per instance), which NIC flow steering hashes on; `dev` is the queue slot (device and
 * queue pair) it uses at both ends.
 */
export interface Packet {
  readonly id: number;
  /** Sending VM, or -1 for the external peer. */
  readonly src: number;
  /** Receiving VM, or -1 for the external peer. */
  readonly dst: number;
  readonly dev: number;
  readonly flow: number;
  /** Payload bytes (headers are the NIC's frame overhead). */
  readonly bytes: number;
  /** What the packet carries for the workload: a request, a response, stream data or an ACK. */
  readonly kind: 'req' | 'resp' | 'data' | 'ack';
  /** Bytes an ACK acknowledges. */
  readonly ack: number;
  /** Virtual time the workload created the message (for latency). */
  readonly bornNs: number;
}

/**
 * Why a packet was dropped, where Linux drops: `qdiscFull` the guest's qdisc beyond txqueuelen,
 * `txRingFull` virtqueue_add_buf failing in start_xmit (tx_dropped; the queue stop makes it rare),
 * `nicTxFull` the host NIC's transmit queue, `nicRxFull` its receive ring (a CPU's softirq fell behind),
 * `sockFull` a tap socket's receive queue. Every packet created is consumed, dropped for one of these, or
 * in flight. The keys of `metrics.drops`.
 *
 * @example
 * ```ts
 * import { dropReasons, resolveScenario, runScenario } from 'vhost-sim';
 *
 * // A UDP stream offers more than the path carries: the drops say where it overflows.
 * const scenario = resolveScenario({ vms: 2, durationS: 0.005, warmupS: 0.002, workload: { kind: 'UDP_STREAM' } });
 * const { metrics } = runScenario(scenario);
 * for (const reason of dropReasons) console.log(reason, metrics.drops[reason]);
 * ```
 */
export const dropReasons = ['qdiscFull', 'txRingFull', 'nicTxFull', 'nicRxFull', 'sockFull'] as const;
export type DropReason = (typeof dropReasons)[number];
