/**
 * The receiving side's acknowledgements (v3.6 net/ipv4/tcp_input.c): __tcp_ack_snd_check() ACKs at once
 * when more than one full segment arrived since the last ACK, or in quick-ACK mode (the start of a
 * connection); otherwise tcp_send_delayed_ack() arms the delayed-ACK timer.
 */
export interface TcpReceiver {
  /** Receiver MSS estimate (icsk_ack.rcv_mss). */
  rcvMss: number;
  /** Bytes received since the last ACK (rcv_nxt - rcv_wup). */
  unacked: number;
  /** ACKs still to send at once (icsk_ack.quick). */
  quick: number;
  /** The delayed-ACK timer is armed, and its generation (a timer message of an older one is stale). */
  timerArmed: boolean;
  gen: number;
  /** Bytes received in all: ACKs are cumulative, so a lost ACK is covered by the next. */
  total: number;
}

/** TCP_MAX_QUICKACKS: quick-ACK mode at the start ACKs up to 16 segments at once (include/net/tcp.h). */
export const TCP_MAX_QUICKACKS = 16;
/** TCP_DELACK_MIN: HZ/25, 40 ms (include/net/tcp.h); the timer's ato starts at TCP_ATO_MIN, also 40 ms. */
export const TCP_DELACK_MIN_NS = 40_000_000;

export function newTcpReceiver(rcvMss: number): TcpReceiver {
  return { rcvMss, unacked: 0, quick: TCP_MAX_QUICKACKS, timerArmed: false, gen: 0, total: 0 };
}

/** After a data skb: `ack` > 0 sends an ACK now (cumulative: bytes received in all); `arm` starts the timer. */
export type AckDecision = { ack: number; arm: boolean };

/** __tcp_ack_snd_check() after `bytes` of in-order data. */
export function onData(r: TcpReceiver, bytes: number): AckDecision {
  r.unacked += bytes;
  r.total += bytes;
  if (r.unacked > r.rcvMss || r.quick > 0) {
    if (r.quick > 0) r.quick--;
    return { ack: takeAck(r), arm: false };
  }
  if (r.timerArmed) return { ack: 0, arm: false };
  r.timerArmed = true;
  r.gen++;
  return { ack: 0, arm: true };
}

/** tcp_delack_timer(): the timer of generation `gen` fired; ACK what is still unacknowledged (0: nothing). */
export function onDelackTimer(r: TcpReceiver, gen: number): number {
  if (!r.timerArmed || gen !== r.gen || r.unacked === 0) return 0;
  return takeAck(r);
}

function takeAck(r: TcpReceiver): number {
  r.unacked = 0;
  // An ACK sent for any reason covers the pending data: the timer has nothing left (tcp_send_ack clears it).
  r.timerArmed = false;
  return r.total;
}
