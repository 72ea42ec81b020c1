import type { Costs } from './profile.ts';

/** Guest page size: the linear part of an skb holds up to one page, the rest goes in page fragments. */
const PAGE = 4_096;
/** MAX_SKB_FRAGS with 4 KiB pages (v3.6 include/linux/skbuff.h: 65536 / PAGE_SIZE + 1). */
export const MAX_SKB_FRAGS = 17;

/** The descriptor layout virtio-net uses for a guest TX packet. */
export interface TxLayout {
  /** The virtio-net header in the packet's own head room (VIRTIO_F_ANY_LAYOUT), not a descriptor of its own. */
  headerInline: boolean;
  /** VIRTIO_RING_F_INDIRECT_DESC negotiated. */
  indirectDesc: boolean;
}

/** What one TX packet puts on the ring. */
export interface DescriptorChain {
  /** Descriptors describing the packet (virtio-net header, linear part, page fragments). */
  descs: number;
  /** The descriptors sit in an indirect table (a kmalloc'ed array the ring's one slot points to). */
  indirect: boolean;
  /** Ring slots taken: 1 for an indirect table, else one per descriptor. */
  slots: number;
}

/**
 * The descriptor chain of a TX packet of `bytes`. xmit_skb() (v3.6 drivers/net/virtio_net.c) puts the
 * virtio-net header in an s/g entry of its own, then the skb (skb_to_sgvec: the linear part and one entry
 * per page fragment); with the header inline ("virtio-net: put virtio net header inline with data",
 * torvalds/linux commit e7428e95a06f, 3.12) the header is pushed into the skb's head room and shares the
 * first entry. virtqueue_add_buf() (drivers/virtio/virtio_ring.c) goes indirect when the host offers
 * indirect descriptors and the chain has more than one entry (vring_add_indirect), else uses one ring
 * slot per entry. Assumption: the payload fills the linear part up to a page, the rest page fragments
 * (tcp_sendmsg in 3.6 copies into single pages, sk_sndmsg_page).
 */
export function txChain(bytes: number, layout: TxLayout): DescriptorChain {
  const frags = Math.min(MAX_SKB_FRAGS, Math.max(0, Math.ceil((bytes - PAGE) / PAGE)));
  const descs = (layout.headerInline ? 0 : 1) + 1 + frags;
  const indirect = layout.indirectDesc && descs > 1;
  return { descs, indirect, slots: indirect ? 1 : descs };
}

/** struct virtio_net_hdr_mrg_rxbuf: the header at the front of a mergeable RX buffer (12 bytes). */
const MRG_HDR = 12;

/**
 * RX buffers a received packet of `bytes` takes. With VIRTIO_NET_F_MRG_RXBUF each buffer is one page
 * (add_recvbuf_mergeable, v3.6 drivers/net/virtio_net.c); vhost gathers as many as the packet needs
 * (get_rx_bufs, drivers/vhost/net.c) and tells the guest their number in the header's num_buffers, which
 * receive_mergeable() takes back one by one. Without it a buffer is big enough for any packet (the
 * `big_packets` layout of MAX_SKB_FRAGS + 2 pages, or MAX_PACKET_LEN for small ones): one per packet.
 */
export function rxBufs(bytes: number, mergeable: boolean): number {
  return mergeable ? Math.max(1, Math.ceil((bytes + MRG_HDR) / PAGE)) : 1;
}

/** Guest CPU for a chain in virtqueue_add_buf: each descriptor written, an indirect table allocated and freed. */
export function guestChainNs(chain: DescriptorChain, c: Costs): number {
  return chain.descs * c.guestDescNs + (chain.indirect ? c.guestIndirectNs : 0);
}

/** vhost CPU for a chain in vhost_get_vq_desc: each descriptor translated, an indirect table fetched (get_indirect). */
export function vhostChainNs(chain: DescriptorChain, c: Costs): number {
  return chain.descs * c.vhostDescNs + (chain.indirect ? c.vhostIndirectNs : 0);
}
