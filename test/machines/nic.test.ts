import { describe, expect, it } from 'vitest';
import { atrSample, nicContext } from '../../machines/nic.machine.ts';
import { napiRepolls } from '../../machines/pcpu.machine.ts';
import type { Scenario } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { small } from '../runtime/drive.ts';

describe('Flow Director ATR (ixgbe_atr)', () => {
  it("programs a flow's filter on its first packet, then every 20th packet of the TX queue", () => {
    const ctx = nicContext();
    atrSample(ctx, 7, 3, 20); // the SYN
    expect(ctx.flowCpu[7]).toBe(3);
    for (let i = 0; i < 19; i++) atrSample(ctx, 7, 5, 20); // the flow moved to cpu5: not sampled yet
    expect(ctx.flowCpu[7]).toBe(3);
    atrSample(ctx, 7, 5, 20);
    expect(ctx.flowCpu[7]).toBe(5);
  });
});

describe('interrupt moderation (ixgbe ITR) and NAPI', () => {
  /** Per-device TCP_RR with every receive interrupt on CPU 0: load on one queue grows with the VMs. */
  const oneQueue = (vms: number, tweak: (s: Scenario) => void = () => {}) => {
    const s = small('per-device', vms, { durationS: 0.02 });
    s.profile.nic.steering = 'fixed';
    s.profile.nic.irqCpus = [0];
    tweak(s);
    return runScenario(s).metrics;
  };

  it('interrupts per frame fall as load rises', () => {
    const light = oneQueue(1).hostCosts.nicInterruptsPerFrame;
    const heavy = oneQueue(16).hostCosts.nicInterruptsPerFrame;
    expect(light).toBe(1);
    expect(heavy).toBeLessThan(0.8);
  });

  it('without moderation a busy queue still shares interrupts with the running poll, but more of them', () => {
    const itr = oneQueue(16).hostCosts.nicInterruptsPerFrame;
    const none = oneQueue(16, (s) => {
      s.profile.nic.itrIntervalNs = 0;
    }).hostCosts.nicInterruptsPerFrame;
    expect(none).toBeGreaterThan(itr);
  });

  it('UDP is not learned by ATR: its interrupts are RSS-hashed over the CPUs by flow', () => {
    const udp = small('per-device', 4, { durationS: 0.02 });
    udp.workload.kind = 'UDP_RR';
    // Flows 0..3 hash to receive queues (CPUs) 0..3, wherever their vhost threads transmit from.
    const irq = runScenario(udp).metrics.perCpu.map((c) => c.irq > 0);
    expect(irq).toEqual([true, true, true, true, false, false, false, false]);
  });
});

describe('kvm_vcpu_kick: an interrupt for a vCPU running on another CPU', () => {
  const run = (tweak: (s: Scenario) => void = () => {}) => {
    // Two vCPUs per VM, four instances: guests are often running when an interrupt or guest IPI comes.
    const s = small('per-device', 8, { durationS: 0.02, instances: 4 });
    s.vcpusPerVm = 2;
    tweak(s);
    return runScenario(s).metrics.hostCosts.kickExitsPerSec;
  };
  it('forces an exit (a reschedule IPI); none when switched off or with posted interrupts', () => {
    expect(run()).toBeGreaterThan(0);
    expect(
      run((s) => {
        s.profile.kvm.kickExit = false;
      }),
    ).toBe(0);
    expect(
      run((s) => {
        s.profile.kvm.postedInterrupts = true;
      }),
    ).toBe(0);
  });
});

describe('NAPI budget (ixgbe_poll, net_rx_action)', () => {
  it('a batch needs one more poll round each time a round used the whole budget', () => {
    // By definition: frames 1..64 are the first round, 65 starts the second, 129 the third.
    expect(napiRepolls(0, 64, 64)).toBe(0);
    expect(napiRepolls(0, 65, 64)).toBe(1);
    expect(napiRepolls(64, 65, 64)).toBe(1);
    expect(napiRepolls(65, 128, 64)).toBe(0);
    expect(napiRepolls(0, 129, 64)).toBe(2);
    expect(napiRepolls(0, 1_000, 0)).toBe(0); // no budget
    for (let n = 1; n < 300; n++) expect(napiRepolls(0, n, 64)).toBe(Math.ceil(n / 64) - 1);
  });

  it('a queue flooded under long moderation repolls, and not without a budget', () => {
    // 16 VMs of open-loop requests (800k replies/s) into one receive queue with the 8K interrupts/s
    // setting, and a cheap softirq so that core keeps up: ~100 frames an interrupt.
    const flood = (budget: number) => {
      const s = small('per-device', 16, { durationS: 0.005, warmupS: 0.002 });
      s.workload.kind = 'OPEN_RR';
      s.workload.ratePerSec = 50_000;
      s.profile.nic.steering = 'fixed';
      s.profile.nic.irqCpus = [0];
      s.profile.nic.itrIntervalNs = 125_000;
      s.profile.costs.nicRxIrqNs = 500;
      s.profile.nic.napiBudget = budget;
      return runScenario(s).metrics;
    };
    const budget = flood(64);
    expect(budget.hostCosts.napiRepollsPerSec).toBeGreaterThan(0);
    expect(budget.hostCosts.nicInterruptsPerFrame).toBeLessThan(1 / 64);
    expect(flood(0).hostCosts.napiRepollsPerSec).toBe(0);
  });
});
