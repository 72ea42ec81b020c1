import type { RandomStream } from '../kernel/random.ts';
import type { WorkloadSpec } from '../model/scenario.ts';

/** How east-west netperf pairs are formed: which VM's netserver each VM's client talks to. */
export type Pairing = WorkloadSpec['pairing'];

/**
 * The server VM of each VM's client. `vmNode[v]` is VM v's memory node.
 * - `neighbor`: VM v talks to VM (v+1) mod n. VMs alternate nodes, so with an even n every pair crosses.
 * - `same-node`: to the next VM on its own node (itself if it is alone there).
 * - `cross-node`: to the VM of the same rank on the next node.
 * - `random`: a seeded random cycle through all VMs (each VM serves exactly one client; no VM serves
 *   itself when n > 1), so whether a pair crosses sockets is left to chance, as on a host where nobody
 *   placed the VMs on purpose.
 */
export function pairPeers(pairing: Pairing, vmNode: number[], rng: RandomStream): number[] {
  const n = vmNode.length;
  const nodes = Math.max(...vmNode) + 1;
  const onNode = Array.from({ length: nodes }, (_, k) =>
    vmNode.flatMap((node, v) => (node === k ? [v] : [])),
  );
  const rank = vmNode.map((node, v) => onNode[node].indexOf(v));
  switch (pairing) {
    case 'neighbor':
      return vmNode.map((_, v) => (v + 1) % n);
    case 'same-node':
      return vmNode.map((node, v) => onNode[node][(rank[v] + 1) % onNode[node].length]);
    case 'cross-node':
      return vmNode.map((node, v) => {
        // The next node that has VMs (the same node only when every VM is on it).
        let k = (node + 1) % nodes;
        while (onNode[k].length === 0) k = (k + 1) % nodes;
        return onNode[k][rank[v] % onNode[k].length];
      });
    case 'random': {
      const order = vmNode.map((_, v) => v);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const peer = new Array<number>(n);
      for (let i = 0; i < n; i++) peer[order[i]] = order[(i + 1) % n];
      return peer;
    }
  }
}
