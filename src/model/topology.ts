import type { CpuSpec } from './profile.ts';

/** The host's CPUs: sockets are NUMA nodes; CPU ids are numbered socket by socket. */
export interface Topology {
  cpus: number;
  nodes: number;
  /** nodeOf[cpu] */
  nodeOf: number[];
  /** cpusOf[node] */
  cpusOf: number[][];
}

export function buildTopology(spec: CpuSpec): Topology {
  const nodeOf: number[] = [];
  const cpusOf: number[][] = [];
  for (let node = 0; node < spec.sockets; node++) {
    const cpus: number[] = [];
    for (let c = 0; c < spec.coresPerSocket; c++) {
      cpus.push(nodeOf.length);
      nodeOf.push(node);
    }
    cpusOf.push(cpus);
  }
  return { cpus: nodeOf.length, nodes: spec.sockets, nodeOf, cpusOf };
}
