import type { CpuSpec } from './profile.ts';

/** ACPI SLIT distance of a node to itself (`LOCAL_DISTANCE`, include/linux/topology.h). */
export const LOCAL_DISTANCE = 10;
/**
 * Distance between two sockets when a profile gives no matrix: the SLIT of two-socket Nehalem-EP, which has
 * "just 2 kinds distance, 10 21" (Alex Shi, "sched/numa: do load balance between remote nodes", LKML, 2012).
 */
export const DEFAULT_REMOTE_DISTANCE = 21;

/**
 * The host's CPUs as the scheduler sees them: sockets are NUMA nodes; each socket's cores are split into
 * last-level-cache groups (`cpu_coregroup_mask`: one L3 per Nehalem socket, several core complexes per
 * node on a modern part); each core has `threadsPerCore` SMT siblings (`cpu_smt_mask`). CPU ids are
 * numbered node by node, then LLC, core and thread, so every group is a run of consecutive ids.
 */
export interface Topology {
  cpus: number;
  nodes: number;
  /** nodeOf[cpu] */
  nodeOf: number[];
  /** cpusOf[node] */
  cpusOf: number[][];
  /** llcOf[cpu]: the last-level cache the CPU shares (a global id). */
  llcOf: number[];
  /** cpusOfLlc[llc] */
  cpusOfLlc: number[][];
  /** coreOf[cpu]: the physical core (a global id); its SMT siblings share it. */
  coreOf: number[];
  /** threadsOf[core]: the core's hardware threads. */
  threadsOf: number[][];
  /** distance[node][node]: SLIT node distances (10 = local). */
  distance: number[][];
}

/** A topology's shape; the optional parts default to SMT off, one LLC per socket and the Nehalem SLIT. */
export type TopologySpec = Omit<CpuSpec, 'ghz'> & { ghz?: number };

/** Number of CPUs (hardware threads) a CPU spec describes. */
export function cpuCount(spec: TopologySpec): number {
  return spec.sockets * spec.coresPerSocket * (spec.threadsPerCore ?? 1);
}

export function buildTopology(spec: TopologySpec): Topology {
  const threads = spec.threadsPerCore ?? 1;
  const perLlc = Math.min(spec.coresPerLlc ?? spec.coresPerSocket, spec.coresPerSocket);
  const nodeOf: number[] = [];
  const cpusOf: number[][] = [];
  const llcOf: number[] = [];
  const cpusOfLlc: number[][] = [];
  const coreOf: number[] = [];
  const threadsOf: number[][] = [];
  for (let node = 0; node < spec.sockets; node++) {
    const cpus: number[] = [];
    for (let c = 0; c < spec.coresPerSocket; c++) {
      // A socket whose cores do not divide evenly ends with a smaller cache group (a partial complex).
      if (c % perLlc === 0) cpusOfLlc.push([]);
      const llc = cpusOfLlc.length - 1;
      const core = threadsOf.length;
      threadsOf.push([]);
      for (let t = 0; t < threads; t++) {
        const cpu = nodeOf.length;
        nodeOf.push(node);
        llcOf.push(llc);
        coreOf.push(core);
        cpus.push(cpu);
        cpusOfLlc[llc].push(cpu);
        threadsOf[core].push(cpu);
      }
    }
    cpusOf.push(cpus);
  }
  const distance =
    spec.nodeDistance?.map((row) => [...row]) ??
    Array.from({ length: spec.sockets }, (_, i) =>
      Array.from({ length: spec.sockets }, (_, j) => (i === j ? LOCAL_DISTANCE : DEFAULT_REMOTE_DISTANCE)),
    );
  return {
    cpus: nodeOf.length,
    nodes: spec.sockets,
    nodeOf,
    cpusOf,
    llcOf,
    cpusOfLlc,
    coreOf,
    threadsOf,
    distance,
  };
}
