import { describe, expect, it } from 'vitest';
import { type FollowedTxn, type STAGES, TxnFollower } from '../../src/inspector/follow.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

/** Follow `vm` in a fresh system until `n` transactions complete; also the recorder's latencies. */
function follow(opts: Parameters<typeof resolveScenario>[0], vm: number, n: number, sets: string[] = []) {
  const done: FollowedTxn[] = [];
  let follower: TxnFollower | null = null;
  let sys: SimSystem | null = null;
  let lastTxns = 0;
  const latencies: number[] = [];
  sys = new SimSystem(resolveScenario(opts, sets), {
    onTrace: (ev) => {
      if (follower === null || sys === null) return;
      follower.observe(ev);
      const last = follower.view().last;
      if (last !== null && done.at(-1) !== last) done.push(last);
      // The recorder's own latency of each of this VM's transactions, as it records them.
      const r = sys.host.recorder;
      if (r.vmTxns[vm] !== lastTxns) {
        lastTxns = r.vmTxns[vm];
        latencies.push(r.latenciesNs[r.latenciesNs.length - 1]);
      }
    },
  });
  follower = new TxnFollower(sys, vm);
  sys.start();
  let t = 0;
  while (done.length < n && t < 50_000_000) {
    t += 100_000;
    sys.kernel.run({ untilNs: t });
  }
  return { done, latencies, follower };
}

describe('TxnFollower', () => {
  it('stages partition each transaction, and its length is the latency the recorder records', () => {
    for (const model of ['per-device', 'per-cpu'] as const) {
      const { done, latencies } = follow({ vms: 2, model, seed: 2 }, 1, 5);
      expect(done.length).toBeGreaterThanOrEqual(5);
      for (const txn of done) {
        expect(txn.stages[0].fromNs).toBe(txn.bornNs);
        for (let i = 1; i < txn.stages.length; i++) expect(txn.stages[i].fromNs).toBe(txn.stages[i - 1].toNs);
        expect(txn.stages.at(-1)?.toNs).toBe(txn.endNs);
        for (const s of txn.stages) expect((s.toNs as number) >= s.fromNs).toBe(true);
        // One instance per VM: the VM's transactions are the followed flow's.
        expect(latencies).toContain((txn.endNs as number) - txn.bornNs);
      }
    }
  });

  it('an external-peer request crosses guest, vhost, NIC, peer, the interrupt and the injection, in order', () => {
    const { done } = follow({ vms: 2, model: 'per-device', seed: 1 }, 0, 3);
    const txn = done[1];
    const order = txn.stages.map((s) => s.stage);
    expect(order[0]).toBe('guest');
    expect(order.at(-1)).toBe('guest');
    const at = (st: string) => order.indexOf(st as (typeof STAGES)[number]);
    for (const st of ['vhost run', 'NIC', 'peer', 'interrupt', 'injection'])
      expect(at(st)).toBeGreaterThan(0);
    expect(at('vhost run')).toBeLessThan(at('NIC'));
    expect(at('NIC')).toBeLessThan(at('peer'));
    expect(at('peer')).toBeLessThan(at('interrupt'));
    expect(order.lastIndexOf('vhost run')).toBeLessThan(at('injection'));
    // Each stage names the actor and the event that moved the transaction there.
    const run = txn.stages.find((s) => s.stage === 'vhost run');
    expect(run?.actor).toMatch(/^vhost-vm0/);
    expect(txn.stages.find((s) => s.stage === 'interrupt')?.actor).toMatch(/^cpu\d+$/);
    for (const s of txn.stages.slice(1)) expect(s.cause.length).toBeGreaterThan(0);
  });

  it('east-west: the request crosses the server VM and comes back with its response', () => {
    const { done } = follow({ vms: 2, model: 'per-cpu', seed: 1 }, 0, 2, ['workload.peer=east-west']);
    const actors = new Set(done[1].stages.map((s) => s.actor));
    expect([...actors].some((a) => a.startsWith('vm1.vcpu'))).toBe(true);
    expect(done[1].stages.some((s) => s.stage === 'NIC')).toBe(false);
  });

  it('says when the workload has no transactions', () => {
    const sys = new SimSystem(resolveScenario({ vms: 1 }, ['workload.kind=TCP_STREAM']));
    expect(new TxnFollower(sys, 0).view().unsupported).toMatch(/TCP_STREAM/);
  });
});
