import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/metrics/summary.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';

/**
 * The talk's findings, which must emerge from the mechanisms (MODEL.md: no result is written in).
 * Default profile, 1-byte TCP_RR, one instance per VM, 0.2 s measured after 0.05 s of warm-up.
 */
const cache = new Map<string, Metrics>();

function metrics(model: ModelName, vms: number, free = false): Metrics {
  const key = `${model}/${vms}/${free}`;
  let m = cache.get(key);
  if (m === undefined) {
    const s = defaultScenario();
    s.model = model;
    s.vms = vms;
    s.durationS = 0.2;
    s.warmupS = 0.05;
    if (free) {
      // Remove the three costs the per-CPU model saves on: switches, cache refills, remote NUMA.
      s.profile.costs.ctxSwitchNs = 0;
      s.profile.costs.cacheRefillNs = 0;
      s.profile.costs.remoteNumaPenalty = 0;
    }
    m = runScenario(s).metrics;
    cache.set(key, m);
  }
  return m;
}

const switchesPerSec = (m: Metrics) =>
  m.contextSwitchesPerSec.voluntary + m.contextSwitchesPerSec.involuntary;

describe("the talk's claims emerge from the mechanisms", () => {
  it('calibration: 1 VM, per-device lands in 10k-17k transactions/s', () => {
    const tps = metrics('per-device', 1).throughput.value;
    expect(tps).toBeGreaterThanOrEqual(10_000);
    expect(tps).toBeLessThanOrEqual(17_000);
  });

  it('per-device: context switches per transaction rise from 1 VM to 16 VMs', () => {
    expect(metrics('per-device', 16).contextSwitchesPerTransaction).toBeGreaterThan(
      metrics('per-device', 1).contextSwitchesPerTransaction,
    );
  });

  it('1 VM: per-device beats per-cpu in throughput', () => {
    expect(metrics('per-device', 1).throughput.value).toBeGreaterThan(metrics('per-cpu', 1).throughput.value);
  });

  it('32 VMs: per-cpu beats per-device in throughput and in efficiency', () => {
    const pd = metrics('per-device', 32);
    const pc = metrics('per-cpu', 32);
    expect(pc.throughput.value).toBeGreaterThan(pd.throughput.value);
    expect(pc.efficiency.value).toBeGreaterThan(pd.efficiency.value);
  });

  it('32 VMs: per-device switches more and runs vhost work off the VM node; per-cpu stays local', () => {
    const pd = metrics('per-device', 32);
    const pc = metrics('per-cpu', 32);
    expect(switchesPerSec(pd)).toBeGreaterThan(switchesPerSec(pc));
    expect(pd.remoteNodeWorkShare).toBeGreaterThan(0.1);
    expect(pc.remoteNodeWorkShare).toBeLessThan(0.02);
  });

  it("mechanism: without switch, refill and remote-NUMA costs, per-cpu's advantage at 32 VMs shrinks", () => {
    const ratio = (free: boolean) =>
      metrics('per-cpu', 32, free).throughput.value / metrics('per-device', 32, free).throughput.value;
    expect(ratio(true)).toBeLessThan(ratio(false));
  });
});
