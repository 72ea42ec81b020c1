import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  contextForPage,
  machineOfActor,
  ratesBetween,
  readTotals,
  type Totals,
} from '../../src/inspector/snapshot.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

function running(
  model: 'per-device' | 'per-cpu',
  vms: number,
  untilNs: number,
  executor: 'fast' | 'xstate' = 'fast',
) {
  const sys = new SimSystem(resolveScenario({ model, vms }), { executor });
  sys.start();
  sys.kernel.run({ untilNs });
  return sys;
}

describe('buildSnapshot', () => {
  it('shows sockets, cores and the thread each core runs from the run queues', () => {
    const sys = running('per-cpu', 4, 1_500_000);
    const snap = buildSnapshot(sys, 'per-cpu');
    expect(snap.sockets.map((s) => s.cores.length)).toEqual(sys.topo.cpusOf.map((c) => c.length));
    for (const core of snap.sockets.flatMap((s) => s.cores)) {
      const rq = sys.host.rqs[core.cpu];
      expect(core.thread).toBe(rq.curr >= 0 ? sys.host.tasks[rq.curr].name : null);
      expect(core.state).toBe(sys.executor.stateOf(sys.host.cpuActor[core.cpu]));
      expect(core.switches).toBe(rq.switches);
      expect(core.queue).toEqual(rq.queue.map((t) => sys.host.tasks[t].name));
    }
    expect(snap.nowNs).toBe(1_500_000);
    expect(snap.events).toBe(sys.kernel.eventsFired);
  });

  it('shows every VM, vCPU, virtqueue and worker with their machine states', () => {
    const sys = running('per-device', 3, 800_000);
    const snap = buildSnapshot(sys, 'per-device');
    expect(snap.vms).toHaveLength(3);
    for (const vm of snap.vms) {
      expect(vm.vcpus.map((v) => v.key)).toEqual([`vm${vm.vm}.vcpu0`]);
      for (const d of vm.devs) {
        expect(['notifying', 'suppressed']).toContain(d.tx.state);
        expect(d.tx.fill).toBeGreaterThanOrEqual(0);
        expect(d.tx.fill).toBeLessThanOrEqual(d.tx.size);
        expect(d.rx.dir).toBe('rx');
      }
    }
    expect(snap.workers).toHaveLength(3);
    for (const w of snap.workers) {
      expect(['sleeping', 'runnable', 'running']).toContain(w.state);
      expect(w.vm).toBeGreaterThanOrEqual(0);
    }
    const perCpu = buildSnapshot(running('per-cpu', 3, 800_000), 'per-cpu');
    expect(perCpu.workers).toHaveLength(8);
    expect(perCpu.workers.every((w) => w.vm === -1)).toBe(true);
  });

  it('is pure, JSON-ready, and gives the same view under both executors', () => {
    const fast = running('per-cpu', 2, 600_000, 'fast');
    const live = running('per-cpu', 2, 600_000, 'xstate');
    const before = fast.kernel.eventsFired;
    const a = buildSnapshot(fast, 'per-cpu');
    const b = buildSnapshot(fast, 'per-cpu');
    expect(b).toEqual(a);
    expect(fast.kernel.eventsFired).toBe(before);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(buildSnapshot(live, 'per-cpu')).toEqual(a);
  });

  it('computes rates from recorder deltas against earlier totals', () => {
    const sys = running('per-device', 2, 2_000_000);
    const base = readTotals(sys);
    sys.kernel.run({ untilNs: 4_000_000 });
    const snap = buildSnapshot(sys, 'per-device', base);
    const r = snap.rates;
    expect(r).not.toBeNull();
    expect(r?.windowNs).toBe(2_000_000);
    const txns = snap.totals.txns - base.txns;
    expect(txns).toBeGreaterThan(0);
    expect(r?.throughput).toBeCloseTo(txns / 0.002, 6);
    expect(r?.switchesPerTxn).toBeGreaterThan(0);
    // Each core's busy share over the same window; together they make the host's utilization.
    const cores = snap.sockets.flatMap((s) => s.cores);
    for (const c of cores) expect(c.busy).toBeGreaterThanOrEqual(0);
    const mean = cores.reduce((a, c) => a + (c.busy ?? 0), 0) / cores.length;
    expect(mean).toBeCloseTo(r?.cpuUtilization ?? -1, 6);
    expect(buildSnapshot(sys, 'per-device').rates).toBeNull();
    expect(buildSnapshot(sys, 'per-device').sockets[0].cores[0].busy).toBeNull();
  });
});

describe('ratesBetween', () => {
  const t = (over: Partial<Totals>): Totals => ({
    atNs: 0,
    events: 0,
    txns: 0,
    busyNs: 0,
    switchNs: 0,
    voluntary: 0,
    involuntary: 0,
    vhostNs: 0,
    vhostRemoteNs: 0,
    coreBusyNs: [],
    ...over,
  });
  it('divides the deltas', () => {
    const r = ratesBetween(
      t({}),
      t({
        atNs: 1e6,
        events: 500,
        txns: 20,
        busyNs: 2e6,
        switchNs: 2e5,
        voluntary: 50,
        involuntary: 10,
        vhostNs: 4e5,
        vhostRemoteNs: 1e5,
      }),
      4,
    );
    expect(r).toEqual({
      windowNs: 1e6,
      throughput: 20_000,
      efficiency: 10_000,
      switchesPerTxn: 3,
      voluntaryPerSec: 50_000,
      involuntaryPerSec: 10_000,
      remoteNodeShare: 0.25,
      switchShare: 0.1,
      cpuUtilization: 0.5,
      eventsPerVirtualMs: 500,
    });
  });
  it('is null for an empty window and zero where nothing happened', () => {
    expect(ratesBetween(t({ atNs: 5 }), t({ atNs: 5 }), 2)).toBeNull();
    const r = ratesBetween(t({}), t({ atNs: 10 }), 2);
    expect(r?.efficiency).toBe(0);
    expect(r?.switchesPerTxn).toBe(0);
    expect(r?.remoteNodeShare).toBe(0);
  });
});

describe('contextForPage and machineOfActor', () => {
  it('cuts long arrays and keeps the rest', () => {
    const ctx = {
      ring: Array.from({ length: 40 }, (_, i) => ({ id: i })),
      n: 3,
      f: Number.POSITIVE_INFINITY,
    };
    const out = contextForPage(ctx) as { ring: unknown[]; n: number; f: string };
    expect(out.ring).toHaveLength(17);
    expect(out.ring[16]).toBe('… 24 more');
    expect(out.n).toBe(3);
    expect(out.f).toBe('Infinity');
  });
  it('names the machine of every actor', () => {
    const sys = running('per-cpu', 2, 0);
    const kinds = sys.keys.map((_k, id) => machineOfActor(sys.host, id));
    expect(kinds.filter((k) => k === 'pcpu')).toHaveLength(sys.topo.cpus);
    expect(kinds.filter((k) => k === 'nic')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'vcpu')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'virtqueue')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'vhostWorker')).toHaveLength(sys.topo.cpus);
    expect(kinds).not.toContain(null);
  });
});
