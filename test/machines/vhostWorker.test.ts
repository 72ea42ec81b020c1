import { describe, expect, it } from 'vitest';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import type { ModelName, Scenario } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { drive, small } from '../runtime/drive.ts';

const models: ModelName[] = ['per-device', 'per-cpu'];

/** A freshly built system whose workload is not started: only what the test queues happens. */
/**
 * One per-device VM whose TX ring holds `pkts` packets before anything runs; its TX work is queued and the
 * system run until `untilNs`.
 */
function txBacklog(pkts: number, untilNs: number, tune: (s: Scenario) => void): SimSystem {
  const s = small('per-device', 1);
  tune(s);
  const sys = new SimSystem(s);
  const h = sys.host;
  for (let i = 0; i < pkts; i++)
    sys.executor.deliver(h.txVq[0][0], {
      type: 'vq.add',
      pkt: h.newPacket(0, -1, 0, 0, 1, 'data', 0, 0),
      slots: 1,
    });
  h.queueWork(h.txWork[0][0], 0);
  sys.kernel.run({ untilNs });
  return sys;
}

function idle(model: ModelName): SimSystem {
  return new SimSystem(small(model, 1));
}

describe('vhost work queueing (vhost_work_queue)', () => {
  it.each(models)('%s: a second queueing before the worker runs coalesces into one run', (model) => {
    const sys = idle(model);
    const h = sys.host;
    const wid = h.txWork[0][0];
    h.queueWork(wid, 0);
    h.queueWork(wid, 0);
    expect(h.recorder.coalesced).toBe(1);
    expect(h.policy.picks).toBe(1);
    expect(h.works[wid].queued).toBe(true);
    sys.kernel.run({ untilNs: 1_000_000 });
    expect(h.recorder.worksRun).toBe(1);
    const worker = h.workerActor[h.works[wid].worker];
    const ctx = sys.executor.read<VhostWorkerContext>(worker);
    expect(ctx.stats.works).toBe(1);
    expect(ctx.stats.wakeups).toBe(1);
    expect(sys.executor.stateOf(worker)).toBe('sleeping');
    expect(h.works[wid].queued).toBe(false);
    // The handler found the ring empty and re-enabled notifications.
    expect(sys.executor.stateOf(h.txVq[0][0])).toBe('notifying');

    // Once it ran, the QUEUED bit is clear: the next kick queues it again.
    h.queueWork(wid, 0);
    expect(h.recorder.coalesced).toBe(1);
    sys.kernel.run({ untilNs: 2_000_000 });
    expect(h.recorder.worksRun).toBe(2);
  });

  it('per-device: one worker serves TX and RX of the device, FIFO', () => {
    const sys = idle('per-device');
    const h = sys.host;
    const order: number[] = [];
    const finished = h.workFinished.bind(h);
    h.workFinished = (worker, wid, pkts) => {
      order.push(wid);
      finished(worker, wid, pkts);
    };
    const tx = h.txWork[0][0];
    const rx = h.rxWork[0][0];
    h.queueWork(rx, 3);
    h.queueWork(tx, 6);
    expect(h.works[tx].worker).toBe(h.works[rx].worker);
    sys.kernel.run({ untilNs: 1_000_000 });
    expect(order).toEqual([rx, tx]);
  });

  it("per-cpu: TX and RX of one device go to two different workers on the queueing CPU's node", () => {
    const sys = idle('per-cpu');
    const h = sys.host;
    const tx = h.txWork[0][0];
    const rx = h.rxWork[0][0];
    h.queueWork(tx, 1);
    h.queueWork(rx, 1);
    const wTx = h.works[tx].worker;
    const wRx = h.works[rx].worker;
    expect(wTx).not.toBe(wRx);
    for (const w of [wTx, wRx]) {
      expect(w).not.toBe(1);
      expect(sys.topo.nodeOf[w]).toBe(sys.topo.nodeOf[1]);
    }
    sys.kernel.run({ untilNs: 1_000_000 });
    expect(h.recorder.worksRun).toBe(2);
    // The default strategy charges the VM without moving the thread: no attach.
    expect(h.recorder.attaches).toBe(0);
  });

  it('per-cpu, per-change attach: each shared worker attaches for its work and detaches when idle, paying each hierarchy', () => {
    const s = small('per-cpu', 1);
    s.policy.cgroupAttach = 'per-change';
    s.profile.cgroup.rcuGraceNs = 0;
    // Shared-line costs off: they would join the attach segments' time (a thread's next segment pays them).
    s.profile.locks.workLock = false;
    s.profile.locks.dispatchLines = false;
    const sys = new SimSystem(s);
    const h = sys.host;
    h.queueWork(h.txWork[0][0], 1);
    h.queueWork(h.rxWork[0][0], 1);
    sys.kernel.run({ untilNs: 1_000_000 });
    expect(h.recorder.worksRun).toBe(2);
    expect(h.recorder.attaches).toBe(4);
    // The two workers attach (and detach) at nearly the same instants: they sleep on cgroup_mutex.
    expect(h.recorder.cgroupMutexWaits).toBeGreaterThan(0);
    expect(h.recorder.vmNs[0]).toBe(4 * s.profile.cgroup.hierarchies * h.costs.cgroupAttachNs);
  });
});

describe('vhost weight (vhost_exceeds_weight)', () => {
  it.each(models)('%s: weightPkts = 1 with 4 instances makes handlers requeue themselves', (model) => {
    const s = small(model, 1, { instances: 4, durationS: 0.02 });
    s.vhost.weightPkts = 1;
    const { sys } = drive(s);
    const r = sys.host.recorder;
    expect(r.requeues).toBeGreaterThan(0);
    // No handler run moves more than one packet.
    expect(r.workPkts).toBeLessThanOrEqual(r.worksRun);
    const workerReq = sys.host.workerActor.reduce(
      (n, id) => n + sys.executor.read<VhostWorkerContext>(id).stats.requeues,
      0,
    );
    expect(workerReq).toBeGreaterThanOrEqual(r.requeues);
  });

  it.each(models)('%s: with the default weight a single TCP_RR instance never requeues', (model) => {
    const m = runScenario(small(model, 1, { durationS: 0.02 })).metrics;
    expect(m.vhost.requeuesPerSec).toBe(0);
    expect(m.throughput.value).toBeGreaterThan(0);
  });

  it('a requeued TX work drains the ring over several runs, one packet per run', () => {
    const sys = txBacklog(3, 2_000_000, (s) => {
      s.vhost.weightPkts = 1;
    });
    const h = sys.host;
    const vq = h.txVq[0][0];
    expect(sys.executor.read<VirtqueueContext>(vq).ring).toHaveLength(0);
    expect(h.recorder.txPkts).toBe(3);
    expect(h.recorder.requeues).toBe(3);
    // Three one-packet runs and a final run that found the ring empty.
    expect(h.recorder.worksRun).toBe(4);
    expect(h.recorder.workPkts).toBe(3);
  });
});

describe('weight requeue keeps the worker on the CPU', () => {
  /** One TX work over a preloaded ring of 2,560 packets with the default weight (256): 10 requeues. */
  function drain(): { sys: SimSystem; ctx: VhostWorkerContext; nvcsw: number } {
    const sys = txBacklog(2560, 100_000_000, (s) => {
      s.ringSize = 4096;
    });
    const h = sys.host;
    const ctx = sys.executor.read<VhostWorkerContext>(h.workerActor[0]);
    return { sys, ctx, nvcsw: h.tasks[ctx.tid].nvcsw };
  }

  it('per-device: the handler requeues every 256 packets and drains the whole ring', () => {
    const { sys, ctx } = drain();
    expect(sys.host.recorder.txPkts).toBe(2560);
    expect(sys.host.recorder.requeues).toBe(10);
    expect(ctx.stats.requeues).toBe(10);
    expect(ctx.stats.works).toBe(11);
    expect(sys.executor.stateOf(sys.host.workerActor[0])).toBe('sleeping');
  });

  /**
   * vhost_exceeds_weight() requeues with vhost_poll_queue() -> vhost_work_queue(), which puts the work on
   * the running worker's own list; vhost_worker() finds it at once and keeps running: no sleep, no wake-up.
   */
  it('per-device: 10 requeues, yet one wake-up and one voluntary switch', () => {
    const { ctx, nvcsw } = drain();
    expect({ wakeups: ctx.stats.wakeups, nvcsw }).toEqual({ wakeups: 1, nvcsw: 1 });
  });
});
