import { MAX_SKB_FRAGS } from '../model/descriptors.ts';

/**
 * start_xmit() stops the queue when fewer than this many ring slots are free: the most one skb can need
 * (virtio header, linear part, every fragment), so the next packet always fits (v3.6
 * drivers/net/virtio_net.c: `capacity < 2+MAX_SKB_FRAGS`). A packet's slots: `txChain` in
 * src/model/descriptors.ts.
 */
export const STOP_SLOTS = 2 + MAX_SKB_FRAGS;
