import { describe, expect, it } from 'vitest';
import { RoundRobinPerNodePolicy } from '../../docs/examples/roundRobinPerNode.ts';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import { CAT_GUEST, CAT_VHOST, categories } from '../../src/host/categories.ts';
import { resolveScenario, runScenario, type Scenario } from '../../src/index.ts';
import { census } from '../../src/runtime/census.ts';
import { SimSystem } from '../../src/runtime/system.ts';

/** The example policy of docs/guide/write-a-policy.md, run the way a library user would run it. */

const K = categories.length;

/** 4 VMs on the default x3650-m2 host (2 nodes x 4 cores): VMs 0 and 2 live on node 0, 1 and 3 on node 1. */
const scenario = (kind: 'TCP_RR' | 'TCP_STREAM'): Scenario =>
  resolveScenario({ vms: 4, durationS: 0.01, warmupS: 0.002, workload: { kind, instances: 2 } });

/** Drive a system built with the policy exactly as runScenario does, keeping it for inspection. */
function drive(s: Scenario, policy: RoundRobinPerNodePolicy): SimSystem {
  const sys = new SimSystem(s, { policy });
  const warmupNs = Math.round(s.warmupS * 1e9);
  sys.start();
  sys.kernel.run({ untilNs: warmupNs });
  sys.flushAccounting();
  sys.host.recorder.reset(sys.kernel.nowNs);
  sys.kernel.run({ untilNs: warmupNs + Math.round(s.durationS * 1e9) });
  sys.flushAccounting();
  return sys;
}

describe('docs/examples/roundRobinPerNode.ts', () => {
  it('creates K pinned shared workers per node, on the first K cores (recorded placement)', () => {
    const sys = new SimSystem(scenario('TCP_RR'), { policy: new RoundRobinPerNodePolicy(2) });
    const placed = sys.host.workerActor.map((id) => {
      const ctx = sys.executor.read<VhostWorkerContext>(id);
      const task = sys.host.tasks[ctx.tid];
      return { name: task.name, allowed: task.allowed, vm: ctx.vm, mode: ctx.mode };
    });
    expect(placed).toEqual([
      { name: 'rr-node0-cpu0', allowed: [0], vm: -1, mode: 'sleep' },
      { name: 'rr-node0-cpu1', allowed: [1], vm: -1, mode: 'sleep' },
      { name: 'rr-node1-cpu4', allowed: [4], vm: -1, mode: 'sleep' },
      { name: 'rr-node1-cpu5', allowed: [5], vm: -1, mode: 'sleep' },
    ]);
    // K larger than a node is capped at the node's cores; K < 1 is refused.
    expect(
      new SimSystem(scenario('TCP_RR'), { policy: new RoundRobinPerNodePolicy(9) }).host.workerActor,
    ).toHaveLength(8);
    expect(() => new RoundRobinPerNodePolicy(0)).toThrow(RangeError);
  });

  it('is deterministic, and the XState executor gives the same metrics as the fast one', () => {
    const s = resolveScenario({ vms: 2, durationS: 0.004, warmupS: 0.001 });
    const fast = runScenario(s, { policy: new RoundRobinPerNodePolicy(2) }).metrics;
    expect(runScenario(s, { policy: new RoundRobinPerNodePolicy(2) }).metrics).toEqual(fast);
    const live = runScenario(s, { policy: new RoundRobinPerNodePolicy(2), executor: 'xstate' }).metrics;
    expect(live).toEqual(fast);
  });

  for (const kind of ['TCP_RR', 'TCP_STREAM'] as const) {
    it(`${kind}: runScenario with the policy object gives throughput`, () => {
      const policy = new RoundRobinPerNodePolicy(2);
      const { metrics } = runScenario(scenario(kind), { policy });
      expect(metrics.throughput.unit).toBe(kind === 'TCP_RR' ? 'transactions/s' : 'Gbit/s');
      expect(metrics.throughput.value).toBeGreaterThan(0);
      for (const vm of metrics.perVm) expect(vm.throughput, `vm${vm.vm}`).toBeGreaterThan(0);
      // Every queueing was a pick of this policy, and every work ran on its VM's node.
      expect(policy.picks).toBeGreaterThan(0);
      expect(metrics.vhost.dispatchPicksPerSec).toBeGreaterThan(0);
      expect(metrics.remoteNodeWorkShare).toBe(0);
      // The default policy.cgroupAttach (charge) charges the VM without moving the shared thread.
      expect(metrics.vhost.cgroupAttachesPerSec).toBe(0);
    });

    it(`${kind}: with policy.cgroupAttach per-change the shared workers attach (the worker machine does it, not the policy)`, () => {
      const s = scenario(kind);
      s.policy.cgroupAttach = 'per-change';
      s.profile.cgroup.rcuGraceNs = 0; // no grace-period sleep, so attaches complete inside the short run
      const { metrics } = runScenario(s, { policy: new RoundRobinPerNodePolicy(2) });
      expect(metrics.vhost.cgroupAttachesPerSec).toBeGreaterThan(0);
      // Each worker is pinned (kthread_bind-like): cpuset_can_attach() refuses it.
      expect(metrics.hostCosts.cgroupAttachesRefusedPerSec).toBeGreaterThan(0);
      expect(metrics.throughput.value).toBeGreaterThan(0);
    });

    it(`${kind}: vhost time only on the workers' cores, each work on its home node, packets conserved`, () => {
      const s = scenario(kind);
      const sys = drive(s, new RoundRobinPerNodePolicy(2));
      const r = sys.host.recorder;
      const workerCpus = new Set([0, 1, 4, 5]);
      for (let cpu = 0; cpu < sys.topo.cpus; cpu++) {
        const vhostNs = r.cpuNs[cpu * K + CAT_VHOST];
        if (workerCpus.has(cpu)) expect(vhostNs, `cpu${cpu}`).toBeGreaterThan(0);
        else expect(vhostNs, `cpu${cpu}`).toBe(0);
      }
      // The last worker each work was queued on is one of its home node's workers.
      const nodeOfWorker = [0, 0, 1, 1];
      for (const work of sys.host.works) {
        expect(work.worker, `work ${work.wid}`).toBeGreaterThanOrEqual(0);
        expect(nodeOfWorker[work.worker]).toBe(sys.host.vmNode[work.vm]);
      }
      // Round-robin: every worker ran works, for VMs of its own node only (no remote vhost time).
      for (const id of sys.host.workerActor) {
        expect(sys.executor.read<VhostWorkerContext>(id).stats.works).toBeGreaterThan(0);
      }
      expect(r.vhostRemoteNs).toBe(0);
      // Per-VM cgroups are charged exactly the guest and vhost time (the attach included).
      let guestVhost = 0;
      for (let cpu = 0; cpu < sys.topo.cpus; cpu++)
        guestVhost += r.cpuNs[cpu * K + CAT_GUEST] + r.cpuNs[cpu * K + CAT_VHOST];
      expect(r.vmNs.reduce((a, b) => a + b, 0)).toBe(guestVhost);
      // Conservation: created = consumed + dropped + in flight right now.
      expect(r.created).toBeGreaterThan(0);
      expect(r.created).toBe(r.consumed + r.dropsTotal + census(sys).total);
    });
  }
});
