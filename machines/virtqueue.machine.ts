import type { Packet } from '../src/model/packet.ts';
import { defineMachine, type Recipe } from './define.ts';

/**
 * A virtqueue: the shared-memory ring between the guest driver and vhost, plus (for RX) the tap socket's
 * receive queue that vhost drains into it. Guest and host touch it directly (synchronous calls), as the
 * real ring is memory both sides read and write.
 */
export interface VirtqueueContext {
  vm: number;
  dev: number;
  dir: 'tx' | 'rx';
  size: number;
  /** TX: buffers the guest made available. RX: buffers vhost filled (used) that the guest has not read. */
  ring: Packet[];
  /** When each `ring` entry was added (TX: made available; RX: pushed used), for per-packet sojourn. */
  ringAtNs: number[];
  /** TX: ring slots each `ring` entry takes (src/model/descriptors.ts). */
  ringSlots: number[];
  /**
   * TX: descriptors not in use (vq->num_free). A buffer holds its slots from virtqueue_add_buf until the
   * guest reclaims it after vhost used it (free_old_xmit_skbs), not merely until vhost pops it.
   */
  free: number;
  /** TX: buffers made available and not yet reclaimed by the guest (avail idx - last_used_idx). */
  outstanding: number;
  /** TX: buffers vhost has used that the guest has not reclaimed yet, and their slots. */
  usedBufs: number;
  usedSlots: number;
  /**
   * TX: the guest's used_event (VIRTIO_RING_F_EVENT_IDX), counted from its last reclaim: vhost signals
   * when `usedBufs` passes it; -1 = callbacks disabled (virtqueue_disable_cb).
   */
  usedEvent: number;
  /** The guest kicked since vhost last re-enabled notifications (avail_event already passed: no new kick). */
  kicked: boolean;
  /** RX only: the tap socket's receive queue, and when each packet reached it. */
  sock: Packet[];
  sockAtNs: number[];
  sockLimit: number;
  /** RX only: empty buffers the guest has posted. */
  rxBufs: number;
  /** Host side of VIRTIO_RING_F_EVENT_IDX: does vhost want a kick for new buffers? */
  notify: boolean;
  /** Guest side: does the driver want an interrupt for used buffers (off while NAPI polls)? */
  guestIrq: boolean;
  /** Worker holding vq->mutex (-1 = free): handlers of one vq never overlap. */
  heldBy: number;
  /** Core whose cache holds the backend state (ring indices, vq struct, socket) since vhost last ran it. */
  lastCpu: number;
  drops: { ringFull: number; sockFull: number };
}

export type VirtqueueEvent =
  | { type: 'vq.add'; pkt: Packet; slots: number }
  | { type: 'vq.pop' }
  | { type: 'vq.txUsed'; slots: number }
  | { type: 'vq.reclaim' }
  | { type: 'vq.usedEvent'; event: number }
  | { type: 'vq.kicked' }
  | { type: 'vq.disableNotify' }
  | { type: 'vq.enableNotify' }
  | { type: 'vq.lock'; worker: number }
  | { type: 'vq.unlock'; worker: number }
  | { type: 'vq.touch'; cpu: number }
  | { type: 'sock.enqueue'; pkt: Packet }
  | { type: 'sock.pop' }
  | { type: 'vq.pushUsed'; pkt: Packet; bufs: number }
  | { type: 'vq.popUsed' }
  | { type: 'vq.refill'; bufs: number }
  | { type: 'vq.guestIrqOff' }
  | { type: 'vq.guestIrqOn' };

type A = Recipe<VirtqueueContext, VirtqueueEvent>;

export function virtqueueContext(vm: number, dev: number, dir: 'tx' | 'rx', size: number): VirtqueueContext {
  return {
    vm,
    dev,
    dir,
    size,
    ring: [],
    ringAtNs: [],
    ringSlots: [],
    free: size,
    outstanding: 0,
    usedBufs: 0,
    usedSlots: 0,
    usedEvent: -1,
    kicked: false,
    sock: [],
    sockAtNs: [],
    // tap's default sk_rcvbuf holds a few hundred small packets; assume one ring's worth.
    sockLimit: size,
    rxBufs: dir === 'rx' ? size : 0,
    notify: true,
    guestIrq: true,
    heldBy: -1,
    lastCpu: -1,
    drops: { ringFull: 0, sockFull: 0 },
  };
}

const actions: Record<string, A> = {
  /**
   * virtqueue_add_buf(): the buffer takes its slots, or fails when they are not free (start_xmit then
   * drops it: tx_dropped). The guest driver stops its queue early enough that this should not happen.
   */
  add(ctx, ev, port) {
    if (ev.type !== 'vq.add') return;
    if (ev.slots <= ctx.free) {
      ctx.ring.push(ev.pkt);
      ctx.ringSlots.push(ev.slots);
      ctx.free -= ev.slots;
      ctx.ringAtNs.push(port.nowNs);
      port.host.recorder.vhostQueue(port.nowNs, 1, 0);
      ctx.outstanding++;
    } else {
      ctx.drops.ringFull++;
      port.host.drop(ev.pkt, 'txRingFull');
    }
  },
  /** vhost takes the head buffer: it leaves the waiting packets and enters service. */
  pop(ctx, _ev, port) {
    ctx.ring.shift();
    ctx.ringAtNs.shift();
    port.host.recorder.vhostQueue(port.nowNs, -1, 1);
    ctx.ringSlots.shift();
  },
  /** vhost_add_used(): vhost is done with a TX buffer; its slots stay taken until the guest reclaims them. */
  txUsed(ctx, ev) {
    if (ev.type !== 'vq.txUsed') return;
    ctx.usedBufs++;
    ctx.usedSlots += ev.slots;
  },
  /** free_old_xmit_skbs(): the guest takes back every used buffer (virtqueue_get_buf until none). */
  reclaim(ctx) {
    ctx.free += ctx.usedSlots;
    ctx.outstanding -= ctx.usedBufs;
    ctx.usedBufs = 0;
    ctx.usedSlots = 0;
  },
  setUsedEvent(ctx, ev) {
    if (ev.type === 'vq.usedEvent') ctx.usedEvent = ev.event;
  },
  kicked(ctx) {
    ctx.kicked = true;
  },
  disableNotify(ctx) {
    ctx.notify = false;
  },
  /** vhost_enable_notify(): avail_event moves to vhost's position, so the guest's next buffer kicks. */
  enableNotify(ctx) {
    ctx.notify = true;
    ctx.kicked = false;
  },
  lock(ctx, ev) {
    if (ev.type === 'vq.lock') ctx.heldBy = ev.worker;
  },
  /** mutex_unlock(&vq->mutex): only the holder releases it; anyone else's unlock is a bug, refused. */
  unlock(ctx, ev) {
    if (ev.type === 'vq.unlock' && ev.worker === ctx.heldBy) ctx.heldBy = -1;
  },
  touch(ctx, ev) {
    if (ev.type === 'vq.touch') ctx.lastCpu = ev.cpu;
  },
  sockEnqueue(ctx, ev, port) {
    if (ev.type !== 'sock.enqueue') return;
    if (ctx.sock.length < ctx.sockLimit) {
      ctx.sock.push(ev.pkt);
      ctx.sockAtNs.push(port.nowNs);
      port.host.recorder.vhostQueue(port.nowNs, 1, 0);
    } else {
      ctx.drops.sockFull++;
      port.host.drop(ev.pkt, 'sockFull');
    }
  },
  sockPop(ctx, _ev, port) {
    ctx.sock.shift();
    ctx.sockAtNs.shift();
    port.host.recorder.vhostQueue(port.nowNs, -1, 1);
  },
  pushUsed(ctx, ev, port) {
    if (ev.type !== 'vq.pushUsed') return;
    ctx.ring.push(ev.pkt);
    ctx.ringAtNs.push(port.nowNs);
    ctx.rxBufs -= ev.bufs;
  },
  popUsed(ctx) {
    ctx.ring.shift();
    ctx.ringAtNs.shift();
  },
  /** try_fill_recv(): the guest posts as many buffers as the packet it took used. */
  refill(ctx, ev) {
    if (ev.type === 'vq.refill') ctx.rxBufs += ev.bufs;
  },
  guestIrqOff(ctx) {
    ctx.guestIrq = false;
  },
  guestIrqOn(ctx) {
    ctx.guestIrq = true;
  },
};

const shared = {
  'vq.add': { actions: ['add'] },
  'vq.pop': { actions: ['pop'] },
  'vq.txUsed': { actions: ['txUsed'] },
  'vq.reclaim': { actions: ['reclaim'] },
  'vq.usedEvent': { actions: ['setUsedEvent'] },
  'vq.kicked': { actions: ['kicked'] },
  'vq.lock': { actions: ['lock'] },
  'vq.unlock': { actions: ['unlock'] },
  'vq.touch': { actions: ['touch'] },
  'sock.enqueue': { actions: ['sockEnqueue'] },
  'sock.pop': { actions: ['sockPop'] },
  'vq.pushUsed': { actions: ['pushUsed'] },
  'vq.popUsed': { actions: ['popUsed'] },
  'vq.refill': { actions: ['refill'] },
  'vq.guestIrqOff': { actions: ['guestIrqOff'] },
  'vq.guestIrqOn': { actions: ['guestIrqOn'] },
};

export const virtqueueMachine = defineMachine<VirtqueueContext, VirtqueueEvent>({
  id: 'virtqueue',
  description: 'A virtio ring shared by guest and vhost, with event-index notification suppression',
  initial: 'notifying',
  states: {
    notifying: {
      description: 'vhost is not draining: the guest kicks (a VM exit) when it adds buffers',
      tags: ['idle'],
      on: { ...shared, 'vq.disableNotify': { target: 'suppressed', actions: ['disableNotify'] } },
    },
    suppressed: {
      description: 'vhost is draining the ring: notifications are off, the guest adds buffers without exits',
      tags: ['busy'],
      on: { ...shared, 'vq.enableNotify': { target: 'notifying', actions: ['enableNotify'] } },
    },
  },
  actions,
  guards: {},
});
