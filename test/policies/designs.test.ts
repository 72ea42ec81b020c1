import { describe, expect, it } from 'vitest';
import type { VcpuContext } from '../../machines/vcpu.machine.ts';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import { CAT_GUEST, categories } from '../../src/host/categories.ts';
import { modelNames, type Scenario, workloadKinds } from '../../src/model/scenario.ts';
import { buildTopology } from '../../src/model/topology.ts';
import { MultiWorkerPolicy } from '../../src/policies/multiWorker.ts';
import type { PmdPolicy } from '../../src/policies/pmd.ts';
import { census } from '../../src/runtime/census.ts';
import type { SimSystem } from '../../src/runtime/system.ts';
import { drive, small } from '../runtime/drive.ts';

const workers = (sys: SimSystem) =>
  sys.host.workerActor.map((id) => sys.executor.read<VhostWorkerContext>(id));
const vcpus = (sys: SimSystem) => sys.host.vcpuActor.flat().map((id) => sys.executor.read<VcpuContext>(id));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('every design runs every workload and conserves packets', () => {
  for (const model of modelNames) {
    for (const kind of workloadKinds) {
      it(`${model} ${kind}`, () => {
        const s = small(model, 3, { instances: 2, durationS: 0.004, warmupS: 0.001 });
        s.workload.kind = kind;
        s.workload.ratePerSec = 20_000;
        const { sys } = drive(s);
        const r = sys.host.recorder;
        expect(r.consumed).toBeGreaterThan(0);
        expect(r.created).toBe(r.consumed + r.dropsTotal + census(sys).total);
      });
    }
  }
});

describe('busy polling (poll-us)', () => {
  /** Requests every 20 µs: a worker spinning 50 µs on its empty TX ring is still there for the next one. */
  const openLoop = (model: 'per-device' | 'busy-poll'): Scenario => {
    const s = small(model, 1, { durationS: 0.02, warmupS: 0.002 });
    s.workload.kind = 'OPEN_RR';
    s.workload.arrival = 'constant';
    s.workload.ratePerSec = 50_000;
    return s;
  };

  it('a spinning worker takes new buffers without a kick', () => {
    const { sys } = drive(openLoop('busy-poll'));
    const w = workers(sys)[0];
    const sends = sum(vcpus(sys).map((v) => v.stats.sends));
    const kicks = sum(vcpus(sys).map((v) => v.stats.kicks));
    expect(w.stats.spinHits).toBeGreaterThan(0);
    expect(kicks).toBeLessThan(sends / 2);
    // Without busy polling the same load kicks for most requests: a send skips the kick only when it
    // lands while handle_tx runs with notifications off. The VM exits kvm_vcpu_kick costs the running
    // guest for each interrupt delay and so bunch its sends: about 1 in 9 here (1 in 13 with
    // profile.kvm.kickExit off).
    const { sys: plain } = drive(openLoop('per-device'));
    const plainSends = sum(vcpus(plain).map((v) => v.stats.sends));
    const plainKicks = sum(vcpus(plain).map((v) => v.stats.kicks));
    expect(plainKicks).toBeGreaterThan(0.8 * plainSends);
    expect(kicks).toBeLessThan(plainKicks / 4);
  });

  it('the CPU it burns is accounted as vhost time, and it stops when another task waits', () => {
    const busy = drive(openLoop('busy-poll')).sys.host.recorder;
    const plain = drive(openLoop('per-device')).sys.host.recorder;
    expect(busy.pollNs).toBeGreaterThan(0);
    expect(busy.vhostNs).toBeGreaterThan(plain.vhostNs + 0.5 * busy.pollNs);
    // need_resched: 16 busy VMs on 8 cores never let a spinner hold a core that others wait for.
    const crowded = small('busy-poll', 16, { durationS: 0.01, warmupS: 0.002 });
    const { sys } = drive(crowded);
    expect(sys.host.recorder.created).toBeGreaterThan(0);
  });
});

describe('sidecore polling (ELVIS)', () => {
  it('guests never kick, and vCPUs never run on the I/O cores', () => {
    const { sys } = drive(small('sidecore', 4, { durationS: 0.01, warmupS: 0.002 }));
    expect(sum(vcpus(sys).map((v) => v.stats.kicks))).toBe(0);
    expect(sys.host.recorder.created).toBeGreaterThan(0);
    const reserved = sys.host.policy.reservedCpus?.(sys.topo) ?? [];
    expect(reserved).toEqual([3, 7]);
    for (const cpu of reserved) expect(sys.host.recorder.cpuNs[cpu * categories.length + CAT_GUEST]).toBe(0);
  });

  it('pollers never sleep', () => {
    const { sys } = drive(small('sidecore', 2, { durationS: 0.01, warmupS: 0.002 }));
    for (const [w, ctx] of workers(sys).entries()) {
      expect(ctx.mode).toBe('poll');
      expect(sys.host.tasks[ctx.tid].nvcsw).toBe(0);
      expect(sys.executor.stateOf(sys.host.workerActor[w])).not.toBe('sleeping');
    }
  });
});

describe('OVS-DPDK PMD threads', () => {
  it('a PMD never sleeps and owns its queues; the NIC raises no interrupts', () => {
    const { sys } = drive(small('pmd', 4, { durationS: 0.01, warmupS: 0.002 }));
    const pmds = workers(sys);
    expect(pmds).toHaveLength(2);
    for (const ctx of pmds) {
      expect(sys.host.tasks[ctx.tid].nvcsw).toBe(0);
      expect(ctx.stats.pollPasses).toBeGreaterThan(0);
    }
    // Every queue is polled by exactly one PMD.
    const owned = pmds.flatMap((p) => p.polls).sort((a, b) => a - b);
    expect(owned).toEqual(sys.host.works.map((w) => w.wid));
    expect(sys.host.recorder.nicIrqs).toBe(0);
    expect(sum(vcpus(sys).map((v) => v.stats.kicks))).toBe(0);
  });

  it('auto load balancing reassigns queues from measured load when a PMD stays overloaded', () => {
    const s = small('pmd', 6, { durationS: 0.02, warmupS: 0.001 });
    s.policy.autoLb = true;
    s.policy.rxqAssign = 'cycles';
    s.policy.autoLbIntervalS = 0.001;
    s.policy.autoLbRebalIntervalS = 0.004;
    // Every sample counts as overloaded and any improvement is enough: the dry run decides.
    s.policy.autoLbLoadThreshold = 0;
    s.policy.autoLbImprovementThreshold = 0;
    // Both PMDs on node 0, so the rebalance may move queues freely between them.
    s.policy.pmdCores = [2, 3];
    const { sys } = drive(s);
    const policy = sys.host.policy as PmdPolicy;
    expect(policy.rebalances).toBeGreaterThan(0);
    const r = sys.host.recorder;
    expect(r.created).toBe(r.consumed + r.dropsTotal + census(sys).total);
  });
});

describe('multi-worker devices', () => {
  const mw = (edit: (s: Scenario) => void) => {
    const s = small('multi-worker', 2, { durationS: 0.01, warmupS: 0.002 });
    edit(s);
    return drive(s).sys;
  };

  it('per-vq: TX and RX of a device run on two workers at once possible; shared: one worker', () => {
    const perVq = mw((s) => (s.policy.vqMap = 'per-vq'));
    expect(perVq.host.workerActor).toHaveLength(4);
    const [tx, rx] = [perVq.host.works[0], perVq.host.works[1]];
    expect(perVq.host.policy.selectWorker(tx, 0, 0)).not.toBe(perVq.host.policy.selectWorker(rx, 0, 0));
    const shared = mw((s) => (s.policy.vqMap = 'shared'));
    expect(shared.host.workerActor).toHaveLength(2);
  });

  it('kthread workers cannot be added (VHOST_NEW_WORKER fails without fork_owner)', () => {
    const sys = mw((s) => (s.policy.taskMode = 'kthread'));
    const policy = sys.host.policy as MultiWorkerPolicy;
    expect(policy.workersPerDevice).toBe(1);
    expect(policy.createFailures).toBe(2);
  });

  it('vhost_task workers count against the VM process limit', () => {
    const policy = new MultiWorkerPolicy();
    const s = small('multi-worker', 1);
    s.queuePairs = 4;
    s.policy.workersPerDevice = 8;
    s.policy.nprocLimit = 5; // 1 vCPU + 4 workers
    const topo = buildTopology({ sockets: 2, coresPerSocket: 4 });
    const specs = policy.createWorkers({ topo, scenario: s, slots: 4 });
    expect(specs).toHaveLength(4);
    expect(policy.createFailures).toBe(4);
  });
});
