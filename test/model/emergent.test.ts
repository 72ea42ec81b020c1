import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/metrics/summary.ts';
import type { Costs, SchedTunables } from '../../src/model/profile.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';

/**
 * Mechanisms, not the talk's outcome: each test changes one cost (or removes a set of costs) and checks
 * that the result moves the way that cost's mechanism implies — never which model wins, which is an
 * output of assumed costs (`vhost-sim sensitivity`, docs/sensitivity.md). Default profile, 1-byte
 * TCP_RR, one instance per VM, 0.2 s measured after 0.05 s of warm-up; every variant keeps the seed, so
 * a difference is the cost's doing, not noise.
 */
const cache = new Map<string, Metrics>();

function metrics(
  model: ModelName,
  vms: number,
  costs: Partial<Costs> = {},
  sched: Partial<SchedTunables> = {},
): Metrics {
  const key = `${model}/${vms}/${JSON.stringify(costs)}/${JSON.stringify(sched)}`;
  let m = cache.get(key);
  if (m === undefined) {
    const s = defaultScenario();
    s.model = model;
    s.vms = vms;
    s.durationS = 0.2;
    s.warmupS = 0.05;
    Object.assign(s.profile.costs, costs);
    Object.assign(s.profile.sched, sched);
    m = runScenario(s).metrics;
    cache.set(key, m);
  }
  return m;
}

const tps = (m: Metrics) => m.throughput.value;

// Runs of up to 32 VMs on a shared machine: more than the default minute per test when it is busy.
describe('results move the way the mechanisms imply', { timeout: 240_000 }, () => {
  it('calibration: 1 VM, per-device lands in 10k-17k transactions/s (the fitted target)', () => {
    expect(tps(metrics('per-device', 1))).toBeGreaterThanOrEqual(10_000);
    expect(tps(metrics('per-device', 1))).toBeLessThanOrEqual(17_000);
  });

  it('per-device: with more threads than cores (16 VMs), switches per transaction rise over 1 VM', () => {
    expect(metrics('per-device', 16).contextSwitchesPerTransaction).toBeGreaterThan(
      metrics('per-device', 1).contextSwitchesPerTransaction,
    );
  });

  it('a dearer context switch lowers throughput where threads share cores (per-device, 16 VMs)', () => {
    expect(tps(metrics('per-device', 16, { ctxSwitchNs: 4_500 }))).toBeLessThan(
      tps(metrics('per-device', 16)),
    );
  });

  it('cgroup attach is paid by shared workers only, and not at all with the default charge strategy', () => {
    expect(metrics('per-device', 8).vhost.cgroupAttachesPerSec).toBe(0);
    // policy.cgroupAttach = charge: the VM is charged without moving the thread (test/host/cgroup.test.ts
    // covers the attaching strategies).
    expect(metrics('per-cpu', 8).vhost.cgroupAttachesPerSec).toBe(0);
    expect(metrics('per-device', 8, { cgroupAttachNs: 5_000 })).toEqual(metrics('per-device', 8));
    expect(metrics('per-cpu', 8, { cgroupAttachNs: 5_000 })).toEqual(metrics('per-cpu', 8));
  });

  it('remote NUMA is paid for work off the VM node: the model running more of it pays more per transaction when it costs more', () => {
    // Wake-up placement near the previous CPU only (no wake_affine): per-device's threads, placed by a
    // scheduler that does not know the VM's node, then run part of their work off it.
    const near = { wakeAffine: false };
    // vhost CPU per transaction: where threads land shifts with any cost, but each packet run off the
    // VM's node costs the penalty, so the model with the off-node work pays it per transaction.
    const vhostPerTxn = (m: Metrics) => m.cpuBreakdown.vhost / tps(m);
    const rise = (model: ModelName) =>
      vhostPerTxn(metrics(model, 16, { remoteNumaPenalty: 1.5 }, near)) /
        vhostPerTxn(metrics(model, 16, {}, near)) -
      1;
    const share = (model: ModelName) => metrics(model, 16, {}, near).remoteNodeWorkShare;
    // per-cpu dispatches to a worker on the kicking CPU's node.
    expect(share('per-cpu')).toBeLessThan(0.02);
    expect(share('per-device')).toBeGreaterThan(share('per-cpu'));
    expect(rise('per-device')).toBeGreaterThan(rise('per-cpu'));
  });

  it("wake_affine() moves a woken vhost thread toward its waker: off, per-device's off-node share rises", () => {
    const share = (wakeAffine: boolean) => metrics('per-device', 16, {}, { wakeAffine }).remoteNodeWorkShare;
    expect(share(false)).toBeGreaterThan(share(true));
  });

  it("without switch, refill and remote-NUMA costs, per-cpu's ratio to per-device at 32 VMs falls", () => {
    const free = { ctxSwitchNs: 0, cacheRefillNs: 0, memRefillNs: 0, tlbRefillNs: 0, remoteNumaPenalty: 0 };
    const ratio = (c: Partial<Costs>) => tps(metrics('per-cpu', 32, c)) / tps(metrics('per-device', 32, c));
    expect(ratio(free)).toBeLessThan(ratio({}));
  });
});
