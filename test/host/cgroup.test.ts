import { describe, expect, it } from 'vitest';
import { attachCost, lockCgroup, newCgroupMutex, unlockCgroup } from '../../src/host/cgroup.ts';
import type { Scenario } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';

describe('cgroup_mutex (src/host/cgroup.ts)', () => {
  it('is handed to waiters in arrival order; only the holder unlocks', () => {
    const m = newCgroupMutex();
    expect(lockCgroup(m, 1)).toBe(true);
    expect(lockCgroup(m, 2)).toBe(false);
    expect(lockCgroup(m, 3)).toBe(false);
    expect(() => unlockCgroup(m, 2)).toThrow(/held by 1/);
    expect(unlockCgroup(m, 1)).toBe(2);
    expect(m.holder).toBe(2);
    expect(unlockCgroup(m, 2)).toBe(3);
    expect(unlockCgroup(m, 3)).toBe(-1);
    expect(lockCgroup(m, 4)).toBe(true);
  });
});

describe('cgroup_attach_task_all cost', () => {
  const spec = { hierarchies: 8, cpuset: true, rcuGraceNs: 3_000_000, globalMutex: true };
  it('pays every hierarchy, and a grace period in each that attaches', () => {
    expect(attachCost(spec, 1_000, false)).toEqual({ cpuNs: 8_000, graceNs: 24_000_000, refused: false });
  });
  it("a bound kthread's cpuset cannot change: that hierarchy is refused before its grace period", () => {
    expect(attachCost(spec, 1_000, true)).toEqual({ cpuNs: 8_000, graceNs: 21_000_000, refused: true });
    expect(attachCost({ ...spec, cpuset: false }, 1_000, true).refused).toBe(false);
  });
});

describe('cgroup strategies in a run (per-CPU, 8 VMs)', () => {
  const perCpu = (attach: Scenario['policy']['cgroupAttach'], tweak: (s: Scenario) => void = () => {}) => {
    const s = defaultScenario();
    s.model = 'per-cpu';
    s.vms = 8;
    s.durationS = 0.02;
    s.warmupS = 0.005;
    s.policy.cgroupAttach = attach;
    tweak(s);
    return runScenario(s).metrics;
  };
  const noRcu = (s: Scenario) => {
    s.profile.cgroup.rcuGraceNs = 0;
  };

  it('charge moves no thread: no attaches, no mutex', () => {
    const m = perCpu('charge');
    expect(m.vhost.cgroupAttachesPerSec).toBe(0);
    expect(m.hostCosts.cgroupMutexWaitsPerSec).toBe(0);
  });

  it('attaching from many workers contends on the global mutex; without it, nobody waits', () => {
    const m = perCpu('per-change', noRcu);
    expect(m.vhost.cgroupAttachesPerSec).toBeGreaterThan(0);
    expect(m.hostCosts.cgroupMutexWaitsPerSec).toBeGreaterThan(0);
    expect(m.hostCosts.cgroupMutexWaitUsMean).toBeGreaterThan(0);
    expect(m.hostCosts.cgroupAttachesRefusedPerSec).toBe(m.vhost.cgroupAttachesPerSec);
    const free = perCpu('per-change', (s) => {
      noRcu(s);
      s.profile.cgroup.globalMutex = false;
    });
    expect(free.hostCosts.cgroupMutexWaitsPerSec).toBe(0);
  });

  it('lazy never detaches, so it attaches less often per work than per-change', () => {
    const perWork = (m: ReturnType<typeof perCpu>) => m.vhost.cgroupAttachesPerSec / m.vhost.worksPerSec;
    expect(perWork(perCpu('lazy', noRcu))).toBeLessThan(perWork(perCpu('per-change', noRcu)));
  });

  it('grace periods slept holding the mutex cost throughput', () => {
    const without = perCpu('per-change', noRcu);
    const withRcu = perCpu('per-change');
    expect(withRcu.hostCosts.rcuGraceWaitsPerSec).toBeGreaterThan(0);
    expect(withRcu.throughput.value).toBeLessThan(without.throughput.value);
  });
});
