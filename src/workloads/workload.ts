import type { Packet } from '../model/packet.ts';

/**
 * A netperf-like workload: what the guest-side instances send and do with what they receive, and what the
 * peer answers. The machines call these hooks; the workload never sees threads or cores.
 */
export interface Workload {
  /** Payload bytes of the first message an instance sends. */
  firstMessage(flow: number): { bytes: number; kind: Packet['kind'] };
  /**
   * The guest application received `pkt` at `nowNs`; return the message the instance sends next (or null).
   * Completed transactions are reported through `done`.
   */
  onGuestRx(
    pkt: Packet,
    nowNs: number,
    done: (vm: number, latencyNs: number) => void,
  ): { bytes: number; kind: Packet['kind']; bornNs: number } | null;
  /** The peer received `pkt`; return its reply, if any. */
  peerReply(pkt: Packet): { bytes: number; kind: Packet['kind'] } | null;
}
