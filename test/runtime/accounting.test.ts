import { describe, expect, it } from 'vitest';
import { CAT_GUEST, CAT_VHOST, categories } from '../../src/host/categories.ts';
import type { ModelName } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import type { SimSystem } from '../../src/runtime/system.ts';
import type { TraceEvent } from '../../src/runtime/trace.ts';
import { checkScheduler } from '../invariants/checks.ts';
import { drive, small } from './drive.ts';

const K = categories.length;

const cases: [ModelName, number][] = [
  ['per-device', 1],
  ['per-device', 4],
  ['per-device', 12],
  ['per-cpu', 1],
  ['per-cpu', 4],
  ['per-cpu', 12],
];

describe('CPU accounting and scheduler invariants', () => {
  it.each(cases)('%s, %i VMs', (model, vms) => {
    const s = small(model, vms, { instances: vms === 4 ? 2 : 1, durationS: 0.02, warmupS: 0.005 });
    const box: { sys: SimSystem | null } = { sys: null };
    let violation: string | null = null;
    let backwards: string | null = null;
    let checks = 0;
    let lastNs = 0;
    const onTrace = (ev: TraceEvent) => {
      if (ev.atNs < lastNs && backwards === null) backwards = `${ev.atNs} after ${lastNs} (${ev.actor})`;
      lastNs = ev.atNs;
      if (violation !== null || box.sys === null) return;
      checks++;
      const v = checkScheduler(box.sys);
      if (v !== null) violation = `at ${ev.atNs} ns after ${ev.actor} <- ${ev.event}: ${v}`;
    };
    const { sys, windowNs } = drive(s, { onTrace }, (built) => {
      box.sys = built;
    });

    // A core never runs two threads; no thread is in two places; time never goes backwards.
    expect(checks).toBeGreaterThan(1000);
    expect(violation).toBeNull();
    expect(backwards).toBeNull();
    expect(sys.kernel.nowNs).toBe(Math.round((s.warmupS + s.durationS) * 1e9));

    // Every nanosecond of every core lands in exactly one category: integers, exact sums.
    const r = sys.host.recorder;
    const cpus = sys.topo.cpus;
    let total = 0;
    for (let cpu = 0; cpu < cpus; cpu++) {
      let core = 0;
      for (let k = 0; k < K; k++) {
        const ns = r.cpuNs[cpu * K + k];
        expect(Number.isInteger(ns), `cpu${cpu} ${categories[k]} = ${ns}`).toBe(true);
        expect(ns).toBeGreaterThanOrEqual(0);
        core += ns;
      }
      expect(core, `cpu${cpu}`).toBe(windowNs);
      total += core;
    }
    expect(total).toBe(cpus * windowNs);

    // The VMs' cgroups are charged exactly the guest and vhost time, nothing else and nothing twice.
    let guestVhost = 0;
    for (let cpu = 0; cpu < cpus; cpu++)
      guestVhost += r.cpuNs[cpu * K + CAT_GUEST] + r.cpuNs[cpu * K + CAT_VHOST];
    const cgroups = Array.from(r.vmNs).reduce((a, b) => a + b, 0);
    expect(cgroups).toBe(guestVhost);
    let vhost = 0;
    for (let cpu = 0; cpu < cpus; cpu++) vhost += r.cpuNs[cpu * K + CAT_VHOST];
    expect(r.vhostNs).toBe(vhost);
    expect(r.vhostRemoteNs).toBeLessThanOrEqual(r.vhostNs);
    for (let vm = 0; vm < vms; vm++) {
      expect(r.vmTxns[vm], `vm${vm} transactions`).toBeGreaterThan(0);
      expect(r.vmNs[vm], `vm${vm} cgroup`).toBeGreaterThan(0);
    }
  });
});

describe('reported CPU use per core', () => {
  it('each core sums to its whole time and the cores average to the host breakdown', () => {
    const { metrics: m } = runScenario(small('per-device', 6, { durationS: 0.02, warmupS: 0.005 }));
    expect(m.perCpu).toHaveLength(8);
    expect(m.perCpu.map((c) => c.node)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    for (const c of m.perCpu) {
      const sum = categories.reduce((a, k) => a + c[k], 0);
      expect(sum, `cpu${c.cpu}`).toBeCloseTo(1, 3);
    }
    for (const k of categories) {
      const mean = m.perCpu.reduce((a, c) => a + c[k], 0) / m.perCpu.length;
      expect(mean, k).toBeCloseTo(m.cpuBreakdown[k], 3);
    }
    // Six per-device VMs on eight cores: some cores work, and not all alike.
    const busy = m.perCpu.map((c) => 1 - c.idle);
    expect(Math.max(...busy)).toBeGreaterThan(Math.min(...busy));
  });
});
