import { describe, expect, it } from 'vitest';
import type { NicContext } from '../../machines/nic.machine.ts';
import { workloadKinds } from '../../src/model/scenario.ts';
import { census } from '../../src/runtime/census.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { drive, small } from '../runtime/drive.ts';

function scenario(
  kind: (typeof workloadKinds)[number],
  vms: number,
  extra: (s: ReturnType<typeof defaultScenario>) => void = () => {},
) {
  const s = defaultScenario();
  s.workload.kind = kind;
  s.vms = vms;
  s.durationS = 0.05;
  s.warmupS = 0.01;
  extra(s);
  return s;
}

describe('conservation: every packet created is consumed, dropped with a reason, or in flight', () => {
  for (const kind of workloadKinds) {
    for (const peer of ['external', 'east-west'] as const) {
      for (const model of ['per-device', 'per-cpu'] as const) {
        it(`${kind} ${peer} ${model}`, () => {
          const s = small(model, 3, { instances: 2, durationS: 0.01, warmupS: 0.002 });
          s.workload.kind = kind;
          s.workload.peer = peer;
          s.workload.ratePerSec = 20_000;
          const { sys } = drive(s);
          const r = sys.host.recorder;
          const inFlight = census(sys).total;
          expect(r.created).toBeGreaterThan(0);
          expect(r.created).toBe(r.consumed + r.dropsTotal + inFlight);
        });
      }
    }
  }
});

describe('TCP_STREAM', () => {
  it('1 VM on the default profile: between 3 and 9.5 Gbit/s (early vhost-net: above 4-5 Gbit/s)', () => {
    const m = runScenario(scenario('TCP_STREAM', 1)).metrics;
    expect(m.throughput.unit).toBe('Gbit/s');
    expect(m.throughput.value).toBeGreaterThanOrEqual(3);
    expect(m.throughput.value).toBeLessThanOrEqual(9.5);
  });

  it('never above line rate, at any VM count', () => {
    for (const vms of [1, 4, 16]) {
      const m = runScenario(scenario('TCP_STREAM', vms, (s) => (s.workload.instances = 2))).metrics;
      // Payload rate can never exceed 10 Gbit/s of wire time (headers take their share too).
      expect(m.throughput.value).toBeLessThan(10);
    }
  });

  it('segmenting in the guest (GSO off) costs CPU per byte moved', () => {
    const gso = runScenario(scenario('TCP_STREAM', 1)).metrics;
    const mss = runScenario(scenario('TCP_STREAM', 1, (s) => (s.workload.gsoBytes = 1448))).metrics;
    expect(mss.efficiency.value).toBeLessThan(gso.efficiency.value);
  });
});

describe('UDP_STREAM', () => {
  it('sent >= received, and drops are counted by reason', () => {
    const m = runScenario(scenario('UDP_STREAM', 8)).metrics;
    expect(m.app.sentGbps).toBeGreaterThanOrEqual(m.app.receivedGbps);
    const dropped = Object.values(m.drops).reduce((a, b) => a + b, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(Object.keys(m.drops).sort()).toEqual([
      'nicRxFull',
      'nicTxFull',
      'qdiscFull',
      'sockFull',
      'txRingFull',
    ]);
  });
});

describe('UDP_RR', () => {
  it("is cheaper per transaction than TCP_RR (UDP's per-packet stack cost)", () => {
    const tcp = runScenario(scenario('TCP_RR', 1)).metrics;
    const udp = runScenario(scenario('UDP_RR', 1)).metrics;
    expect(udp.throughput.value).toBeGreaterThan(tcp.throughput.value);
  });
});

describe('east-west', () => {
  for (const kind of workloadKinds) {
    it(`${kind}: traffic stays in the host, the NIC is never used`, () => {
      const s = small('per-device', 4, { durationS: 0.01, warmupS: 0.002 });
      s.workload.kind = kind;
      s.workload.peer = 'east-west';
      s.workload.ratePerSec = 20_000;
      const { sys } = drive(s);
      const nic = sys.executor.read<NicContext>(sys.host.nicActor);
      expect(nic.stats.txPkts + nic.stats.rxPkts).toBe(0);
      expect(sys.host.recorder.nicIrqs).toBe(0);
      expect(sys.host.recorder.consumed).toBeGreaterThan(0);
    });
  }
});

describe('open loop', () => {
  it('completes about the offered rate when the host is not saturated', () => {
    const m = runScenario(
      scenario('OPEN_RR', 2, (s) => {
        s.workload.ratePerSec = 2_000;
        s.durationS = 0.5;
      }),
    ).metrics;
    // 2 VMs x 1 instance x 2,000/s, Poisson: within 10 %.
    expect(m.throughput.value).toBeGreaterThan(3_600);
    expect(m.throughput.value).toBeLessThan(4_400);
  });

  it('constant arrivals with every overhead at zero give exactly the offered rate', () => {
    const m = runScenario(
      scenario('OPEN_RR', 1, (s) => {
        s.workload.arrival = 'constant';
        s.workload.ratePerSec = 1_000;
        s.durationS = 0.2;
        for (const k of Object.keys(s.profile.costs) as (keyof typeof s.profile.costs)[]) {
          if (k.endsWith('Ns')) s.profile.costs[k] = 0;
        }
      }),
    ).metrics;
    expect(m.throughput.value).toBe(1_000);
  });

  it('random cost distributions keep the mean and change the run', () => {
    const base = scenario('TCP_RR', 1);
    const expo = scenario('TCP_RR', 1, (s) => (s.costDistribution = { kind: 'exponential', cv: 1 }));
    const a = runScenario(base).metrics;
    const b = runScenario(expo).metrics;
    const spread = (m: typeof a) => (m.latencyUs.p99 ?? Number.NaN) - (m.latencyUs.p50 ?? Number.NaN);
    expect(spread(b)).toBeGreaterThan(spread(a));
    expect(Math.abs(b.throughput.value - a.throughput.value) / a.throughput.value).toBeLessThan(0.15);
  });
});

describe('guest shapes', () => {
  it('several vCPUs, devices and queue pairs per VM run and conserve packets', () => {
    const s = small('per-device', 2, { instances: 4, durationS: 0.01, warmupS: 0.002 });
    s.vcpusPerVm = 2;
    s.devicesPerVm = 2;
    s.queuePairs = 2;
    const { sys } = drive(s);
    // One vhost worker per queue pair of each device: 2 VMs x 2 devices x 2 pairs.
    expect(sys.host.workerActor.length).toBe(8);
    const r = sys.host.recorder;
    expect(r.created).toBe(r.consumed + r.dropsTotal + census(sys).total);
    expect(r.vmTxns[0]).toBeGreaterThan(0);
  });

  it('fixed receive-interrupt steering puts every NIC interrupt on the given CPUs', () => {
    const s = small('per-device', 4, { durationS: 0.01, warmupS: 0.002 });
    s.profile.nic.steering = 'fixed';
    s.profile.nic.irqCpus = [5];
    const { sys } = drive(s);
    const irqNs = (cpu: number) => sys.host.recorder.cpuNs[cpu * 5 + 2];
    expect(irqNs(5)).toBeGreaterThan(0);
    for (const cpu of [0, 1, 2, 3, 4, 6, 7]) expect(irqNs(cpu)).toBe(0);
  });
});
