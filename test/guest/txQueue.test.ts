import { describe, expect, it } from 'vitest';
import type { VcpuContext } from '../../machines/vcpu.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import { STOP_SLOTS } from '../../src/guest/descriptors.ts';
import { truesize, writable } from '../../src/guest/socket.ts';
import { devQueueXmit, type QueuedSkb, type XmitOut, xmitDone } from '../../src/guest/txQueue.ts';
import { txChain } from '../../src/model/descriptors.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { small } from '../runtime/drive.ts';

/** A built (not started) system whose guest driver we call directly, as vCPU actions would. */
function driver(ringSize: number, indirect = true) {
  const s = small('per-device', 1);
  s.ringSize = ringSize;
  s.guest.indirectDesc = indirect;
  s.guest.sndbufBytes = 4 * truesize(1472);
  const sys = new SimSystem(s);
  const vq = sys.host.txVq[0][0];
  const q = sys.host.guest.txq[0][0];
  const out = (): XmitOut => ({ kick: false, woken: [] });
  const skb = (bytes: number, owner = -1): QueuedSkb => ({
    pkt: sys.host.newPacket(0, -1, 0, 0, bytes, 'data', 0, 0),
    slots: txChain(bytes, { headerInline: false, indirectDesc: indirect }).slots,
    charge: owner >= 0 ? truesize(bytes) : 0,
    owner,
  });
  const xmit = (bytes: number, owner = -1) => {
    const o = out();
    devQueueXmit(sys.port, vq, q, skb(bytes, owner), o);
    return o;
  };
  /** vhost takes the head buffer and marks it used (handle_tx + vhost_add_used); true = it would signal. */
  const vhostUse = (): boolean => {
    const v = sys.executor.read<VirtqueueContext>(vq);
    const slots = v.ringSlots[0];
    sys.executor.deliver(vq, { type: 'vq.pop' });
    sys.executor.deliver(vq, { type: 'vq.txUsed', slots });
    const after = sys.executor.read<VirtqueueContext>(vq);
    return after.usedEvent >= 0 && after.usedBufs === after.usedEvent + 1;
  };
  const ring = () => sys.executor.read<VirtqueueContext>(vq);
  return { sys, vq, q, xmit, vhostUse, ring, out };
}

describe('virtio-net TX queue (start_xmit, v3.6)', () => {
  it('stops when fewer than 2 + MAX_SKB_FRAGS slots are free, and the qdisc holds packets meanwhile', () => {
    const d = driver(32);
    expect(STOP_SLOTS).toBe(19);
    for (let i = 0; i < 13; i++) d.xmit(1472);
    expect(d.q.stopped).toBe(false); // 19 slots free
    d.xmit(1472);
    expect(d.q.stopped).toBe(true); // 18 free
    expect(d.ring().free).toBe(18);
    // virtqueue_enable_cb_delayed(): an interrupt once 3/4 of the 14 outstanding buffers are used.
    expect(d.ring().usedEvent).toBe(10);
    d.xmit(1472);
    d.xmit(1472);
    expect(d.q.qdisc).toHaveLength(2);
    expect(d.ring().ring).toHaveLength(14);
  });

  it('vhost signals when the 11th buffer is used; the interrupt wakes the queue, which reclaims and drains the qdisc', () => {
    const d = driver(32);
    for (let i = 0; i < 16; i++) d.xmit(1472);
    const signals = Array.from({ length: 12 }, () => d.vhostUse());
    expect(signals.indexOf(true)).toBe(10);
    expect(signals.filter(Boolean)).toHaveLength(1);
    // Used is not free: the slots come back only when the guest reclaims.
    expect(d.ring().free).toBe(18);
    const o = d.out();
    xmitDone(d.sys.port, d.vq, d.q, o);
    expect(d.q.stopped).toBe(false);
    expect(d.q.qdisc).toHaveLength(0);
    expect(d.ring().usedEvent).toBe(-1);
    // free_old_xmit_skbs() took back 12 buffers; the two queued ones took two slots.
    expect(d.sys.host.recorder.guest.txCompletions).toBe(12);
    expect(d.ring().free).toBe(32 - 14 + 12 - 2);
    expect(d.sys.host.recorder.guest.queueWakes).toBe(1);
  });

  it('without indirect descriptors a GSO packet takes 2 + fragments slots, so the queue stops sooner', () => {
    expect(txChain(65_160, { headerInline: false, indirectDesc: false }).slots).toBe(17);
    expect(txChain(1472, { headerInline: false, indirectDesc: false }).slots).toBe(2);
    const d = driver(256, false);
    let sent = 0;
    while (!d.q.stopped) {
      d.xmit(65_160);
      sent++;
    }
    // 14 x 17 = 238 slots leave 18 < 19.
    expect(sent).toBe(14);
    expect(d.ring().drops.ringFull).toBe(0);
  });

  it('a sender charged to a full sk_sndbuf is woken once half of it is free (sock_def_write_space)', () => {
    const d = driver(32);
    const sock = d.sys.host.guest.socks[0];
    // A running queue orphans at once: nothing stays charged.
    d.xmit(1472, 0);
    expect(sock.wmem).toBe(0);
    for (let i = 0; i < 13; i++) d.xmit(1472);
    expect(d.q.stopped).toBe(true);
    for (let i = 0; i < 4; i++) d.xmit(1472, 0);
    expect(sock.wmem).toBe(4 * 2304);
    expect(writable(sock)).toBe(false);
    sock.blocked = true;
    for (let i = 0; i < 11; i++) d.vhostUse();
    // The interrupt's qdisc run reclaims, sends the four queued packets and releases their charge.
    const o = d.out();
    xmitDone(d.sys.port, d.vq, d.q, o);
    expect(o.woken).toEqual([0]);
    expect(sock.blocked).toBe(false);
  });
});

describe('UDP_STREAM with backpressure', () => {
  const udp = (tune: (s: ReturnType<typeof small>) => void = () => {}) => {
    const s = small('per-device', 1, { durationS: 0.02, warmupS: 0.005 });
    s.workload.kind = 'UDP_STREAM';
    tune(s);
    return s;
  };

  it('a sender faster than vhost sleeps on its socket and is woken by TX completions; nothing is dropped', () => {
    // vhost slower than the guest: its per-packet cost tripled.
    const s = udp((x) => (x.profile.costs.vhostTxPktNs *= 3));
    const { metrics: m } = runScenario(s);
    expect(m.guestTx.queueStopsPerSec).toBeGreaterThan(0);
    expect(m.guestTx.senderSleepsPerSec).toBeGreaterThan(0);
    expect(Math.abs(m.guestTx.senderWakesPerSec - m.guestTx.senderSleepsPerSec)).toBeLessThanOrEqual(
      1 / s.durationS,
    );
    expect(m.guestTx.txInterruptsPerSec).toBeGreaterThan(0);
    expect(Object.values(m.drops).reduce((a, b) => a + b, 0)).toBe(0);
    // The sending vCPU's thread sleeps: it halts and gives its core up voluntarily.
    expect(m.contextSwitchesPerSec.voluntary).toBeGreaterThan(0);
  });

  it('a sender that never fills its socket overruns the qdisc instead: drops there, no sleeps', () => {
    const { metrics: m } = runScenario(
      udp((x) => {
        x.profile.costs.vhostTxPktNs *= 3;
        x.guest.sndbufBytes = 1 << 30;
        x.guest.txqueuelen = 10;
      }),
    );
    expect(m.guestTx.senderSleepsPerSec).toBe(0);
    expect(m.drops.qdiscFull).toBeGreaterThan(0);
    expect(m.drops.txRingFull).toBe(0);
  });

  it('vCPU stats: the halted sender is not busy all the time', () => {
    const sys = new SimSystem(udp((x) => (x.profile.costs.vhostTxPktNs *= 3)));
    sys.start();
    sys.kernel.run({ untilNs: 20_000_000 });
    expect(sys.executor.read<VcpuContext>(sys.host.vcpuActor[0][0]).stats.halts).toBeGreaterThan(0);
  });
});
