/**
 * A guest socket's send-buffer accounting (`sk_wmem_alloc` against `sk_sndbuf`), which is what makes a
 * sender sleep instead of overrunning the queues below it.
 */
export interface SockState {
  /** Bytes of skbs still charged to the socket (truesize): until the driver orphans them. */
  wmem: number;
  sndbuf: number;
  /** The application sleeps in sock_wait_for_wmem(). */
  blocked: boolean;
}

export function newSock(sndbuf: number): SockState {
  return { wmem: 0, sndbuf, blocked: false };
}

/** sizeof(struct sk_buff) and of struct skb_shared_info on x86-64 3.x, cache-aligned (assumption: 256 and 320). */
const SKB_STRUCT = 256;
const SHINFO = 320;
/** Ethernet + IP + UDP headers and the reserved headroom ip_make_skb allocates in front of the payload. */
const HEADROOM = 64;

/**
 * skb->truesize of a datagram of `bytes`: __alloc_skb() kmallocs the data and the shared info together,
 * rounded up to a power of two (kmalloc's size classes), plus the sk_buff itself (SKB_TRUESIZE).
 * A 1,472-byte datagram costs 2,304 bytes of sndbuf.
 */
export function truesize(bytes: number): number {
  const data = Math.min(bytes, 4096) + HEADROOM + SHINFO;
  // Payload beyond a page goes in page fragments, each charged a whole page.
  const frags = Math.max(0, Math.ceil((bytes - 4096) / 4096)) * 4096;
  return 2 ** Math.ceil(Math.log2(data)) + SKB_STRUCT + frags;
}

/** sock_alloc_send_pskb(): a send may allocate its skb only while wmem is below sndbuf; else it sleeps. */
export function writable(sock: SockState): boolean {
  return sock.wmem < sock.sndbuf;
}

/**
 * skb_orphan() / sock_wfree(): the skb's charge is released. Returns true when a sleeping sender is to be
 * woken: sock_def_write_space() wakes it only once at least half the buffer is free ("significant
 * progress", v3.6 net/core/sock.c).
 */
export function release(sock: SockState, size: number): boolean {
  sock.wmem -= size;
  if (sock.blocked && sock.wmem * 2 <= sock.sndbuf) {
    sock.blocked = false;
    return true;
  }
  return false;
}
