/** What the guests' network stacks did in the measured window (counts; the summary makes rates). */
export interface GuestCounters {
  /** TX buffers the guest driver reclaimed after vhost used them (free_old_xmit_skbs). */
  txCompletions: number;
  /** netif_stop_queue() and the queue starting again (netif_wake_queue / netif_start_queue). */
  queueStops: number;
  queueWakes: number;
  /** TX interrupts (skb_xmit_done) the guest took. */
  txInterrupts: number;
  /** Senders that went to sleep on a full sk_sndbuf, and were woken. */
  senderSleeps: number;
  senderWakes: number;
  /** TCP ACKs receivers sent, and how many of them the delayed-ACK timer sent. */
  acks: number;
  delayedAcks: number;
}

export function newGuestCounters(): GuestCounters {
  return {
    txCompletions: 0,
    queueStops: 0,
    queueWakes: 0,
    txInterrupts: 0,
    senderSleeps: 0,
    senderWakes: 0,
    acks: 0,
    delayedAcks: 0,
  };
}
