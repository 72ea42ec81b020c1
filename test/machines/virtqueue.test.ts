import { describe, expect, it } from 'vitest';
import type { VcpuContext } from '../../machines/vcpu.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { small } from '../runtime/drive.ts';

/** Run a fresh system from t=0 for `ms` of virtual time (no warm-up reset: stats and recorder agree). */
function run(model: ModelName, instances: number, ms: number): SimSystem {
  const sys = new SimSystem(small(model, 1, { instances }));
  sys.start();
  sys.kernel.run({ untilNs: ms * 1_000_000 });
  return sys;
}

const vcpuStats = (sys: SimSystem) => sys.executor.read<VcpuContext>(sys.host.vcpuActor[0][0]).stats;

describe('virtqueue notification suppression (VIRTIO_RING_F_EVENT_IDX)', () => {
  it.each(['per-device', 'per-cpu'] as const)('%s, 1 instance: a kick per send at most', (model) => {
    const sys = run(model, 1, 20);
    const st = vcpuStats(sys);
    expect(st.sends).toBeGreaterThan(100);
    expect(st.kicks).toBeLessThanOrEqual(st.sends);
    expect(sys.host.recorder.kicks).toBe(st.kicks);
  });

  it.each(['per-device', 'per-cpu'] as const)(
    '%s, 4 instances: the guest adds buffers while vhost drains, so kicks < sends',
    (model) => {
      const sys = run(model, 4, 20);
      const st = vcpuStats(sys);
      expect(st.sends).toBeGreaterThan(100);
      expect(st.kicks).toBeLessThan(st.sends);
      // RX side: NAPI keeps interrupts off while it polls, so fewer interrupts than received packets.
      expect(st.interrupts).toBeLessThan(st.rxPkts);
      expect(sys.host.recorder.irqInjections).toBeLessThan(sys.host.recorder.rxPkts);
    },
  );

  it('the ring machine follows vhost: suppressed while draining, notifying again when found empty', () => {
    const sys = new SimSystem(small('per-device', 1));
    const vq = sys.host.txVq[0][0];
    const ex = sys.executor;
    expect(ex.stateOf(vq)).toBe('notifying');
    ex.deliver(vq, { type: 'vq.disableNotify' });
    expect(ex.stateOf(vq)).toBe('suppressed');
    expect(ex.read<VirtqueueContext>(vq).notify).toBe(false);
    // Disabling twice is harmless; enabling flips it back.
    ex.deliver(vq, { type: 'vq.disableNotify' });
    expect(ex.stateOf(vq)).toBe('suppressed');
    ex.deliver(vq, { type: 'vq.enableNotify' });
    expect(ex.stateOf(vq)).toBe('notifying');
    expect(ex.read<VirtqueueContext>(vq).notify).toBe(true);
  });

  it('a buffer takes its slots until the guest reclaims it, not until vhost pops it; one that does not fit drops', () => {
    const s = small('per-device', 1);
    s.ringSize = 8;
    const sys = new SimSystem(s);
    const vq = sys.host.txVq[0][0];
    const ex = sys.executor;
    const add = (slots: number) =>
      ex.deliver(vq, { type: 'vq.add', pkt: sys.host.newPacket(0, -1, 0, 0, 1, 'req', 0, 0), slots });
    add(3);
    add(3);
    add(3); // 2 slots left: it does not fit (start_xmit's tx_dropped)
    let ctx = ex.read<VirtqueueContext>(vq);
    expect([ctx.ring.length, ctx.free, ctx.drops.ringFull]).toEqual([2, 2, 1]);
    ex.deliver(vq, { type: 'vq.pop' });
    ex.deliver(vq, { type: 'vq.txUsed', slots: 3 });
    ctx = ex.read<VirtqueueContext>(vq);
    expect([ctx.ring.length, ctx.free, ctx.usedBufs, ctx.outstanding]).toEqual([1, 2, 1, 2]);
    ex.deliver(vq, { type: 'vq.reclaim' });
    ctx = ex.read<VirtqueueContext>(vq);
    expect([ctx.free, ctx.usedBufs, ctx.outstanding]).toEqual([5, 0, 1]);
  });

  it('the guest kicks once until vhost re-enables notifications (avail_event)', () => {
    const sys = new SimSystem(small('per-device', 1));
    const vq = sys.host.txVq[0][0];
    const ex = sys.executor;
    ex.deliver(vq, { type: 'vq.kicked' });
    expect(ex.read<VirtqueueContext>(vq).kicked).toBe(true);
    ex.deliver(vq, { type: 'vq.disableNotify' });
    ex.deliver(vq, { type: 'vq.enableNotify' });
    expect(ex.read<VirtqueueContext>(vq).kicked).toBe(false);
  });
});
