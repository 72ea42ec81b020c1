import type { Packet } from '../model/packet.ts';
import type { Costs, NicSpec } from '../model/profile.ts';

/** Wire frames a received packet came in: the sender's TSO cut its payload into MSS-sized frames. */
export function rxFrames(pkt: Packet, nic: NicSpec): number {
  return Math.max(1, Math.ceil(pkt.bytes / nic.mssBytes));
}

/**
 * Softirq time a received packet costs its CPU (the hard interrupt is apart, `nicIrqNs`). Its first frame
 * takes the whole path (`nicRxIrqNs`: ixgbe_clean_rx_irq, netif_receive_skb, the bridge, the tap enqueue
 * and the vhost wake-up). With GRO on, each further frame of a TCP packet is merged into the skb GRO
 * holds (`napi_gro_receive` -> `tcp_gro_receive` -> `skb_gro_receive`, New-B/Linux3.6:net/core/dev.c,
 * net/ipv4/tcp.c, net/core/skbuff.c) and costs `groFrameNs`; the stack above runs once for the merged
 * skb. Without GRO, or for UDP (3.6 has no UDP GRO: IP fragments go up one by one), every frame pays it all.
 */
export function rxPacketNs(pkt: Packet, nic: NicSpec, costs: Costs, udp: boolean): number {
  const frames = rxFrames(pkt, nic);
  const further = nic.gro && !udp ? costs.groFrameNs : costs.nicRxIrqNs;
  return costs.nicRxIrqNs + (frames - 1) * further;
}
