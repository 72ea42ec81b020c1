import { LOCAL_DISTANCE, type Topology } from '../model/topology.ts';

/**
 * Scheduling domains as Linux 3.6 builds them (`build_sched_domains()`, kernel/sched/core.c): for every CPU
 * a chain from its SMT siblings up to the whole machine, each level with the parameters and flags of its
 * initializer (`SD_SIBLING_INIT`, `SD_MC_INIT`, `SD_CPU_INIT` in include/linux/topology.h, `sd_numa_init()`
 * in core.c). A level whose span equals its child's is dropped (`sd_parent_degenerate()`), handing its
 * `SD_PREFER_SIBLING` down.
 */
export type DomainLevel = 'SMT' | 'MC' | 'CPU' | 'NUMA';

export interface DomainFlags {
  /** SD_LOAD_BALANCE: periodic balancing runs at this level. */
  loadBalance: boolean;
  /** SD_BALANCE_NEWIDLE */
  balanceNewidle: boolean;
  /** SD_WAKE_AFFINE: a wake-up may move the wakee next to its waker when both CPUs are in this span. */
  wakeAffine: boolean;
  /** SD_SHARE_PKG_RESOURCES: the span shares a last-level cache (the top such level is `sd_llc`). */
  sharePkgResources: boolean;
  /** SD_SHARE_CPUPOWER: the span is one core's SMT threads. */
  shareCpuPower: boolean;
  /** SD_PREFER_SIBLING: the parent level spreads tasks over this level's groups first. */
  preferSibling: boolean;
}

export interface SchedDomain {
  level: DomainLevel;
  /** Its CPUs, ascending. */
  span: readonly number[];
  /** inSpan[cpu] = 1 when cpu is in span (cpumask_test_cpu). */
  inSpan: Uint8Array;
  /** The balancing groups (the child level's spans), starting with the owner CPU's, then in id order. */
  groups: readonly (readonly number[])[];
  flags: DomainFlags;
  minIntervalMs: number;
  maxIntervalMs: number;
  busyFactor: number;
  imbalancePct: number;
  cacheNiceTries: number;
  busyIdx: number;
  idleIdx: number;
  newidleIdx: number;
  wakeIdx: number;
  /** Runtime state of this CPU's domain: `last_balance`, `balance_interval`, `nr_balance_failed`. */
  lastBalanceNs: number;
  balanceIntervalMs: number;
  nrBalanceFailed: number;
}

type Params = Pick<
  SchedDomain,
  | 'minIntervalMs'
  | 'maxIntervalMs'
  | 'busyFactor'
  | 'imbalancePct'
  | 'cacheNiceTries'
  | 'busyIdx'
  | 'idleIdx'
  | 'newidleIdx'
  | 'wakeIdx'
> & { flags: DomainFlags };

const flags = (f: Partial<DomainFlags>): DomainFlags => ({
  loadBalance: true,
  balanceNewidle: true,
  wakeAffine: false,
  sharePkgResources: false,
  shareCpuPower: false,
  preferSibling: false,
  ...f,
});

/** SD_SIBLING_INIT (include/linux/topology.h, 3.6). */
const SIBLING: Params = {
  minIntervalMs: 1,
  maxIntervalMs: 2,
  busyFactor: 64,
  imbalancePct: 110,
  cacheNiceTries: 0,
  busyIdx: 0,
  idleIdx: 0,
  newidleIdx: 0,
  wakeIdx: 0,
  flags: flags({ wakeAffine: true, shareCpuPower: true, sharePkgResources: true }),
};

/** SD_MC_INIT: no idle_idx / newidle_idx given, so 0. */
const MC: Params = {
  minIntervalMs: 1,
  maxIntervalMs: 4,
  busyFactor: 64,
  imbalancePct: 125,
  cacheNiceTries: 1,
  busyIdx: 2,
  idleIdx: 0,
  newidleIdx: 0,
  wakeIdx: 0,
  flags: flags({ wakeAffine: true, sharePkgResources: true }),
};

/** SD_CPU_INIT: the node level above the caches. */
const CPU: Params = {
  minIntervalMs: 1,
  maxIntervalMs: 4,
  busyFactor: 64,
  imbalancePct: 125,
  cacheNiceTries: 1,
  busyIdx: 2,
  idleIdx: 1,
  newidleIdx: 0,
  wakeIdx: 0,
  flags: flags({ wakeAffine: true, preferSibling: true }),
};

/** The distance above which `sd_local_flags()` leaves a NUMA level without SD_WAKE_AFFINE. */
export const NUMA_AFFINE_DISTANCE = {
  /** RECLAIM_DISTANCE (30 on x86): what the 3.6 tree compares with (Alex Shi's 2012 fix). */
  reclaim: 30,
  /** REMOTE_DISTANCE (20): the first 3.5 NUMA rewrite, which turned wake-affine off on Nehalem-EP. */
  remote: 20,
} as const;

export type NumaAffineDistance = keyof typeof NUMA_AFFINE_DISTANCE;

/**
 * sd_numa_init(): `min_interval = sd_weight` ms, `max_interval = 2 * sd_weight`, `busy_factor 32`,
 * `imbalance_pct 125` (the 3.6 tree; the first rewrite scaled it by distance), `cache_nice_tries 2`,
 * `busy_idx 3`, `idle_idx 2`; flags SD_LOAD_BALANCE | SD_BALANCE_NEWIDLE | SD_SERIALIZE plus
 * `sd_local_flags(level)`: SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE unless the level's distance
 * exceeds the threshold.
 */
function numaParams(weight: number, distance: number, threshold: number): Params {
  return {
    minIntervalMs: weight,
    maxIntervalMs: 2 * weight,
    busyFactor: 32,
    imbalancePct: 125,
    cacheNiceTries: 2,
    busyIdx: 3,
    idleIdx: 2,
    newidleIdx: 0,
    wakeIdx: 0,
    flags: flags({ wakeAffine: distance <= threshold }),
  };
}

/** Distinct distances above the local one, ascending, from node 0's row (as sched_init_numa() reads them). */
export function numaLevels(topo: Topology): number[] {
  const row = topo.distance[0] ?? [];
  return [...new Set(row.filter((d) => d > LOCAL_DISTANCE))].sort((a, b) => a - b);
}

/** The domain chain of every CPU, bottom-up. */
export function buildDomains(topo: Topology, affineDistance: NumaAffineDistance): SchedDomain[][] {
  const threshold = NUMA_AFFINE_DISTANCE[affineDistance];
  const levels = numaLevels(topo);
  return topo.nodeOf.map((node, cpu) => {
    const chain: { level: DomainLevel; span: number[]; groups: number[][]; params: Params }[] = [];
    const add = (level: DomainLevel, span: number[], groups: number[][], params: Params) => {
      const child = chain[chain.length - 1];
      if (span.length <= 1) return; // a single CPU balances with nobody
      if (child !== undefined && child.span.length === span.length) {
        // sd_parent_degenerate(): same CPUs as the child; SD_PREFER_SIBLING transfers down.
        if (params.flags.preferSibling)
          child.params = { ...child.params, flags: { ...child.params.flags, preferSibling: true } };
        return;
      }
      chain.push({ level, span, groups, params });
    };
    const core = topo.threadsOf[topo.coreOf[cpu]];
    const llc = topo.cpusOfLlc[topo.llcOf[cpu]];
    add(
      'SMT',
      core,
      core.map((t) => [t]),
      SIBLING,
    );
    const llcCores = [...new Set(llc.map((c) => topo.coreOf[c]))].map((k) => topo.threadsOf[k]);
    add('MC', llc, llcCores, MC);
    const nodeLlcs = [...new Set(topo.cpusOf[node].map((c) => topo.llcOf[c]))].map((l) => topo.cpusOfLlc[l]);
    add('CPU', topo.cpusOf[node], nodeLlcs, CPU);
    for (const d of levels) {
      const nodes = topo.distance[node].map((v, j) => (v <= d ? j : -1)).filter((j) => j >= 0);
      const span = nodes.flatMap((j) => topo.cpusOf[j]);
      add(
        'NUMA',
        span,
        nodes.map((j) => topo.cpusOf[j]),
        numaParams(span.length, d, threshold),
      );
    }
    return chain.map(({ level, span, groups, params }) => {
      const inSpan = new Uint8Array(topo.cpus);
      for (const c of span) inSpan[c] = 1;
      // The owner's group first, then the others in the span's order after it (circular), as sd->groups.
      const own = groups.findIndex((g) => g.includes(cpu));
      const ordered = [...groups.slice(own), ...groups.slice(0, own)];
      return {
        level,
        span,
        inSpan,
        groups: ordered,
        ...params,
        lastBalanceNs: 0,
        balanceIntervalMs: params.minIntervalMs,
        nrBalanceFailed: 0,
      };
    });
  });
}

/** The CPU's last-level-cache domain (`sd_llc`: the highest level with SD_SHARE_PKG_RESOURCES), or null. */
export function llcDomainIndex(chain: readonly SchedDomain[]): number {
  let idx = -1;
  for (let i = 0; i < chain.length; i++) if (chain[i].flags.sharePkgResources) idx = i;
  return idx;
}
