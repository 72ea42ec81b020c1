import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { VcpuContext } from '../../machines/vcpu.machine.ts';
import { streamFor } from '../../src/kernel/random.ts';
import { SimSystem } from '../../src/runtime/system.ts';
import { pairPeers } from '../../src/workloads/pairing.ts';
import { small } from '../runtime/drive.ts';

/** VMs alternate nodes, as the host places their memory. */
const alternating = (n: number, nodes = 2) => Array.from({ length: n }, (_, v) => v % nodes);
const rng = () => streamFor(1, 'pairing');

describe('east-west pairing', () => {
  it('neighbor: v -> v+1, so an even count of alternating VMs crosses nodes in every pair', () => {
    const node = alternating(4);
    const peer = pairPeers('neighbor', node, rng());
    expect(peer).toEqual([1, 2, 3, 0]);
    expect(peer.every((p, v) => node[p] !== node[v])).toBe(true);
  });

  test.prop([fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 4 })])(
    'same-node stays on the node, cross-node leaves it (when there is another), random is one cycle',
    (n, nodes) => {
      const node = alternating(n, nodes);
      const same = pairPeers('same-node', node, rng());
      expect(same.every((p, v) => node[p] === node[v])).toBe(true);
      const used = new Set(node);
      const cross = pairPeers('cross-node', node, rng());
      expect(cross.every((p, v) => used.size === 1 || node[p] !== node[v])).toBe(true);
      const random = pairPeers('random', node, rng());
      // A single cycle: following peers from VM 0 visits every VM once.
      const seen = new Set<number>();
      let v = 0;
      for (let i = 0; i < n; i++) {
        seen.add(v);
        v = random[v];
      }
      expect(seen.size).toBe(n);
      expect(v).toBe(0);
      if (n > 1) expect(random.every((p, w) => p !== w)).toBe(true);
    },
  );

  it('random depends on the seed only', () => {
    const node = alternating(16);
    expect(pairPeers('random', node, streamFor(7, 'pairing'))).toEqual(
      pairPeers('random', node, streamFor(7, 'pairing')),
    );
    expect(pairPeers('random', node, streamFor(7, 'pairing'))).not.toEqual(
      pairPeers('random', node, streamFor(8, 'pairing')),
    );
  });

  it.each(['neighbor', 'same-node', 'cross-node', 'random'] as const)(
    '%s: the simulator gives each client the peer the rule names',
    (pairing) => {
      const s = small('per-device', 6);
      s.workload.peer = 'east-west';
      s.workload.pairing = pairing;
      const sys = new SimSystem(s);
      const want = pairPeers(pairing, sys.host.vmNode, streamFor(s.seed, 'pairing'));
      const got = sys.host.vcpuActor.map((ids) => sys.executor.read<VcpuContext>(ids[0]).flows[0].peer);
      expect(got).toEqual(want);
    },
  );
});
