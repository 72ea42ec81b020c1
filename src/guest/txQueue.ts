import type { ActorId, SimMsg } from '../model/actor.ts';
import type { DropReason, Packet } from '../model/packet.ts';
import type { GuestCounters } from './counters.ts';
import { STOP_SLOTS } from './descriptors.ts';
import type { GuestNet } from './guestNet.ts';
import { release } from './socket.ts';

/** What the driver reads of its TX virtqueue (the virtqueue machine's context has these fields). */
export interface TxRingView {
  notify: boolean;
  kicked: boolean;
  free: number;
  outstanding: number;
  usedBufs: number;
}

/**
 * What the driver needs of the port of the vCPU running it (a machine's Port has all of it): the ring's
 * shared memory, the guest's network state and the counters.
 */
export interface DriverPort {
  read<T>(id: ActorId): T;
  call(id: ActorId, ev: SimMsg): void;
  readonly host: {
    readonly guest: GuestNet;
    readonly recorder: { readonly guest: GuestCounters };
    drop(pkt: Packet, reason: DropReason): void;
  };
}

/** An skb waiting in the guest's qdisc (or going through it), with what it costs its ring and socket. */
export interface QueuedSkb {
  pkt: Packet;
  /** Ring slots it will take (descriptors.ts). */
  slots: number;
  /** truesize charged to the sending socket until the driver orphans it; 0 = not charged. */
  charge: number;
  /** Flow whose socket is charged, or -1. */
  owner: number;
}

/** One TX queue of a guest's virtio-net device: its qdisc (pfifo_fast) and the netif queue state. */
export interface TxQueue {
  qdisc: QueuedSkb[];
  /** netif_stop_queue() was called: the qdisc holds packets until netif_wake_queue(). */
  stopped: boolean;
}

export function newTxQueue(): TxQueue {
  return { qdisc: [], stopped: false };
}

/** What a pass through the driver asks of the vCPU running it. */
export interface XmitOut {
  /** virtqueue_kick() found that vhost wants a notification: a VM exit follows. */
  kick: boolean;
  /** Flows whose sleeping senders sock_def_write_space() wakes. */
  woken: number[];
}

function vqOf(port: DriverPort, vq: ActorId): TxRingView {
  return port.read<TxRingView>(vq);
}

/** free_old_xmit_skbs(): take back every buffer vhost has used. */
function freeOldXmitSkbs(port: DriverPort, vq: ActorId): void {
  const used = vqOf(port, vq).usedBufs;
  if (used === 0) return;
  port.host.recorder.guest.txCompletions += used;
  port.call(vq, { type: 'vq.reclaim' });
}

/**
 * start_xmit() (v3.6 drivers/net/virtio_net.c): reclaim used buffers, add this one, kick if vhost asked,
 * orphan the skb (its socket charge is released here, not at completion), and stop the queue when fewer
 * than 2 + MAX_SKB_FRAGS slots are left, asking for a TX interrupt once 3/4 of the outstanding buffers
 * are used (virtqueue_enable_cb_delayed); if that many already are, reclaim and maybe restart at once.
 */
function startXmit(port: DriverPort, vq: ActorId, q: TxQueue, skb: QueuedSkb, out: XmitOut): void {
  const h = port.host;
  const r = h.recorder.guest;
  freeOldXmitSkbs(port, vq);
  port.call(vq, { type: 'vq.add', pkt: skb.pkt, slots: skb.slots });
  let v = vqOf(port, vq);
  // virtqueue_kick_prepare() with VIRTIO_RING_F_EVENT_IDX: only the first buffer after vhost re-enabled
  // notifications crosses avail_event.
  if (v.notify && !v.kicked) {
    port.call(vq, { type: 'vq.kicked' });
    out.kick = true;
  }
  if (skb.owner >= 0 && release(h.guest.socks[skb.owner], skb.charge)) out.woken.push(skb.owner);
  if (v.free >= STOP_SLOTS) return;
  q.stopped = true;
  r.queueStops++;
  const bufs = Math.floor((v.outstanding * 3) / 4);
  port.call(vq, { type: 'vq.usedEvent', event: bufs });
  v = vqOf(port, vq);
  if (v.usedBufs <= bufs) return;
  freeOldXmitSkbs(port, vq);
  if (vqOf(port, vq).free >= STOP_SLOTS) {
    q.stopped = false;
    r.queueWakes++;
    port.call(vq, { type: 'vq.usedEvent', event: -1 });
  }
}

/** qdisc_run(): hand queued skbs to the driver while its queue runs. */
export function qdiscRun(port: DriverPort, vq: ActorId, q: TxQueue, out: XmitOut): void {
  while (!q.stopped && q.qdisc.length > 0) startXmit(port, vq, q, q.qdisc.shift() as QueuedSkb, out);
}

/**
 * dev_queue_xmit(): charge the sender's socket, enqueue on the qdisc (pfifo_fast drops beyond
 * txqueuelen), then run the qdisc. A packet meeting a running, empty queue goes straight to the driver.
 */
export function devQueueXmit(port: DriverPort, vq: ActorId, q: TxQueue, skb: QueuedSkb, out: XmitOut): void {
  const g = port.host.guest;
  if (q.qdisc.length >= g.tun.txqueuelen) {
    port.host.drop(skb.pkt, 'qdiscFull');
    return;
  }
  if (skb.owner >= 0) g.socks[skb.owner].wmem += skb.charge;
  q.qdisc.push(skb);
  qdiscRun(port, vq, q, out);
}

/**
 * skb_xmit_done(), the TX interrupt: disable further TX callbacks and wake the queue
 * (netif_wake_queue), whose softirq runs the qdisc again.
 */
export function xmitDone(port: DriverPort, vq: ActorId, q: TxQueue, out: XmitOut): void {
  port.call(vq, { type: 'vq.usedEvent', event: -1 });
  if (q.stopped) {
    q.stopped = false;
    port.host.recorder.guest.queueWakes++;
  }
  qdiscRun(port, vq, q, out);
}
