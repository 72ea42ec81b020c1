/**
 * The sending side of a TCP connection as Linux 3.6 runs it, reduced to what shapes the packets a guest
 * hands to virtio: the write queue (`tcp_sendmsg` appends to the tail skb up to the GSO size), what
 * `tcp_write_xmit` lets out (congestion window, receive window, TSO deferral, Nagle), the send buffer
 * the application sleeps on, and the window's reaction to ACKs (slow start, then additive increase) and
 * to a loss (multiplicative decrease: Reno's halving; 3.6's default CUBIC backs off by 0.3 instead, an
 * accepted simplification). Byte counts, not sequence numbers: an ACK says how many bytes it covers.
 */
export interface TcpSender {
  /** Sender maximum segment size (1,500-byte MTU: 1,448 with timestamps). */
  mss: number;
  /** Largest skb tcp_sendmsg builds (size_goal: sk_gso_max_size rounded to whole segments). */
  sizeGoal: number;
  /** Congestion window and slow-start threshold, in segments. */
  cwnd: number;
  ssthresh: number;
  /** Segments ACKed in congestion avoidance since cwnd last grew (snd_cwnd_cnt). */
  cwndCnt: number;
  /** The receiver's advertised window, bytes. */
  rwnd: number;
  /** Bytes written by the application, not yet sent (the write queue from tcp_send_head). */
  unsent: number;
  /** Bytes sent and not yet acknowledged or found lost. */
  inFlight: number;
  /** Bytes sent that a queue dropped, not yet noticed (the duplicate ACKs or the RTO will tell). */
  lost: number;
  /** Fast recovery: bytes in flight at the loss still to be acknowledged before the window may drop again. */
  recoverLeft: number;
  /** The application sleeps in sk_stream_wait_memory(). */
  appBlocked: boolean;
  /** Cumulative bytes the receiver has acknowledged (snd_una, counted from 0). */
  acked: number;
}

/** Initial window: 10 segments (RFC 6928, Linux 2.6.39+ TCP_INIT_CWND). */
export const TCP_INIT_CWND = 10;
/** Initial send buffer: tcp_wmem[1]; autotuning may grow it to tcp_wmem[2] (v3.6 net/ipv4/tcp.c). */
export const TCP_WMEM_DEFAULT = 16_384;
export const TCP_WMEM_MAX = 4_194_304;
/** Per-segment memory besides the payload in tcp_new_space(): MAX_TCP_HEADER + 16 + sizeof(struct sk_buff) (x86-64, assumption ~592). */
const SEG_OVERHEAD = 592;

export function newTcpSender(mss: number, gsoBytes: number, rwnd: number): TcpSender {
  return {
    mss,
    sizeGoal: Math.max(mss, Math.floor(gsoBytes / mss) * mss),
    cwnd: TCP_INIT_CWND,
    ssthresh: Number.POSITIVE_INFINITY,
    cwndCnt: 0,
    rwnd,
    unsent: 0,
    inFlight: 0,
    lost: 0,
    recoverLeft: 0,
    appBlocked: false,
    acked: 0,
  };
}

/**
 * sk_sndbuf as tcp_new_space() grows it: room for two congestion windows of segments with their overhead,
 * between tcp_wmem[1] and tcp_wmem[2]. Counted here against payload bytes queued (the kernel counts skb
 * truesize; the two differ by a few per cent for GSO-sized skbs).
 */
export function sndbuf(s: TcpSender): number {
  return Math.min(TCP_WMEM_MAX, Math.max(TCP_WMEM_DEFAULT, 2 * s.cwnd * (s.mss + SEG_OVERHEAD)));
}

/** sk_stream_memory_free(): may the application queue another write? */
export function memoryFree(s: TcpSender): boolean {
  return s.unsent + s.inFlight < sndbuf(s);
}

/** sk_stream_write_space(): wake a sleeping writer once a third of the queued memory is free again. */
export function writeSpace(s: TcpSender): boolean {
  const queued = s.unsent + s.inFlight;
  return sndbuf(s) - queued >= queued / 2;
}

/** tcp_sendmsg(): the written bytes join the write queue (the tail skb grows up to size_goal). */
export function write(s: TcpSender, bytes: number): void {
  s.unsent += bytes;
}

/**
 * tcp_write_xmit(): the skbs the stack sends now, in bytes each. An skb goes when the congestion window
 * (tcp_cwnd_test) and the receive window (tcp_snd_wnd_test) leave room, split to what fits in whole
 * segments (tcp_mss_split_point); a partial GSO skb waits while a third of the window is still in flight
 * and more data may come (tcp_tso_should_defer, sysctl_tcp_tso_win_divisor = 3); a sub-MSS tail waits for
 * the ACKs of what is in flight (Nagle, tcp_nagle_test).
 */
export function writeXmit(s: TcpSender): number[] {
  const sent: number[] = [];
  const wnd = () => Math.min(s.cwnd * s.mss, s.rwnd);
  while (s.unsent > 0) {
    const room = wnd() - s.inFlight;
    if (room < Math.min(s.mss, s.unsent) && s.inFlight > 0) break;
    const skb = Math.min(s.unsent, s.sizeGoal);
    if (skb < s.mss && s.inFlight > 0) break;
    let len = skb;
    if (skb > s.mss) {
      const limit = Math.max(room, s.mss);
      const isTail = s.unsent <= s.sizeGoal;
      const sendNow =
        s.inFlight === 0 || limit >= s.sizeGoal || (!isTail && limit >= skb) || limit >= wnd() / 3;
      if (!sendNow) break;
      if (limit < skb) len = Math.max(s.mss, Math.floor(limit / s.mss) * s.mss);
    }
    s.unsent -= len;
    s.inFlight += len;
    sent.push(len);
  }
  return sent;
}

/**
 * An ACK up to `cumulative` bytes arrived (tcp_ack); an old or duplicate one acknowledges nothing new. Losses noticed meanwhile are handled first, as the duplicate
 * ACKs before it would have (tcp_fastretrans_alert: retransmit, halve the window once per recovery).
 * Then the window grows: one segment per segment acknowledged below ssthresh (tcp_slow_start), one per
 * window above it (tcp_cong_avoid_ai).
 */
export function onAck(s: TcpSender, cumulative: number): void {
  const bytes = cumulative - s.acked;
  if (s.lost > 0) enterRecovery(s);
  if (bytes <= 0) return;
  s.acked = cumulative;
  s.inFlight = Math.max(0, s.inFlight - bytes);
  if (s.recoverLeft > 0) {
    s.recoverLeft = Math.max(0, s.recoverLeft - bytes);
    return;
  }
  let segs = Math.max(1, Math.round(bytes / s.mss));
  while (segs > 0 && s.cwnd < s.ssthresh) {
    s.cwnd++;
    segs--;
  }
  s.cwndCnt += segs;
  while (s.cwndCnt >= s.cwnd) {
    s.cwndCnt -= s.cwnd;
    s.cwnd++;
  }
}

/** A queue dropped `bytes` of this connection: the sender will notice on its next ACK or its RTO. */
export function markLost(s: TcpSender, bytes: number): void {
  s.lost += bytes;
}

/** Nothing in flight but lost bytes: no ACK will come, only the retransmission timer will. */
export function needsRto(s: TcpSender): boolean {
  return s.lost > 0 && s.inFlight <= s.lost;
}

function enterRecovery(s: TcpSender): void {
  s.inFlight -= s.lost;
  s.unsent += s.lost;
  s.lost = 0;
  if (s.recoverLeft > 0) return;
  s.ssthresh = Math.max(2, Math.floor(s.cwnd / 2));
  s.cwnd = s.ssthresh;
  s.cwndCnt = 0;
  s.recoverLeft = s.inFlight;
}

/** The retransmission timer fired with the lost bytes unanswered (tcp_retransmit_timer): back to one segment. */
export function onRto(s: TcpSender): void {
  if (s.lost === 0) return;
  s.inFlight -= s.lost;
  s.unsent += s.lost;
  s.lost = 0;
  s.ssthresh = Math.max(2, Math.floor(s.cwnd / 2));
  s.cwnd = 1;
  s.cwndCnt = 0;
  s.recoverLeft = 0;
}

/** TCP_RTO_MIN: 200 ms (v3.6 include/net/tcp.h); the RTO of a LAN connection sits at the minimum. */
export const TCP_RTO_MIN_NS = 200_000_000;
