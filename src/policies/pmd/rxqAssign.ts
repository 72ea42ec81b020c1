/**
 * OVS-DPDK rx queue → PMD thread assignment (`other_config:pmd-rxq-assign`), as pure functions.
 *
 * Sources (openvswitch/ovs):
 * - Documentation/topics/dpdk/pmd.rst, "Automatic Port/Rx Queue assignment to PMD threads".
 * - lib/dpif-netdev.c (OVS ≥ 2.16): sched_numa_list_populate, sched_numa_list_schedule,
 *   sched_pmd_next_rr, sched_pmd_next_noniso_rr, sched_pmd_get_lowest, sched_pmd_new_lowest,
 *   compare_rxq_cycles, compare_poll_thread_list, variance.
 *
 * Rules implemented (each mirrors the OVS code path named in brackets):
 * - PMDs are grouped by NUMA node and sorted by core id inside a node [sched_numa_list_populate,
 *   compare_poll_thread_list]. Every node keeps its own round-robin cursor (index + direction), shared by
 *   all rxqs assigned on that node during one scheduling run.
 * - `roundrobin`: rxqs are taken in the given order (OVS: port order, then queue id); each goes to the next
 *   PMD of its node wrapping around, 1,2,3,1,2,3… [sched_pmd_next_rr(updown=false)]. Measured cycles are
 *   ignored (OVS only logs them for non-roundrobin modes).
 * - `cycles` (the default since OVS 2.9): rxqs are sorted by measured cycles, descending
 *   [compare_rxq_cycles]; each goes to the next PMD of its node in alternating ascending/descending core
 *   order, where the end PMDs repeat: 1,2,3,3,2,1,1,2… [sched_pmd_next_rr(updown=true)]. Per node, rxq
 *   counts per PMD therefore never differ by more than one.
 * - `group` (OVS 2.16): same descending-cycles order; each rxq goes to the PMD of its node with the lowest
 *   running estimated load (sum of the cycles of the rxqs already placed on it). If the rxq has no measured
 *   cycles (0), the PMD with the fewest rxqs is chosen instead [sched_pmd_get_lowest(has_cyc)]. No
 *   equal-count constraint.
 * - NUMA: an rxq goes to a PMD of its own node when that node has PMDs. Otherwise OVS falls back to another
 *   node, rotating through the nodes with PMDs from one such rxq to the next (`last_cross_numa`), and warns
 *   "This may lead to reduced performance" [sched_numa_list_schedule]. That is the default here.
 * - `crossNuma: true` models the per-interface `other_config:cross-numa-polling=true` option (Jan Scheurich,
 *   ovs-dev msg64345: "allow ports to be automatically polled by PMDs on any NUMA node"). Here it means:
 *   all PMDs form one pool sorted by core id, and the mode's rule is applied over that pool. (The exact node
 *   choice of the OVS patch was not verified; this is our model of "any NUMA node".)
 * - If there are no PMDs at all, the rxq is left out of the result (OVS: "This rx queue will not be
 *   polled").
 *
 * Not modelled: `pmd-rxq-affinity` pinning and PMD isolation (`pmd-rxq-isolate`).
 *
 * Deterministic tie-breaks:
 * - Equal cycles (cycles/group sort): the input order of `rxqs` is kept (stable sort). OVS breaks such ties
 *   by port number, then queue id, so pass rxqs in (port, queue) order to match it.
 * - PMDs on one node with the same core id (not possible on real hardware): ordered by PMD id.
 * - `group`, equal lowest load (or count): the PMD with the lowest core id wins (OVS keeps the first PMD
 *   found with a strictly lower value, scanning in core order).
 * - Fallback node for an rxq whose node has no PMD: nodes with PMDs are rotated in ascending NUMA id
 *   (OVS iterates a hash map here, whose order is not specified).
 */

export type AssignMode = 'roundrobin' | 'cycles' | 'group';

export interface RxqLoad {
  /** Unique rxq id. */
  readonly id: number;
  /** Measured processing cycles over the history window (OVS: sum of the last PMD_INTERVAL_MAX intervals). */
  readonly cycles: number;
  /** NUMA node of the rxq's port. */
  readonly numa: number;
}

export interface PmdThread {
  /** Unique PMD id. */
  readonly id: number;
  /** Core the PMD thread is pinned to. */
  readonly core: number;
  /** NUMA node of that core. */
  readonly numa: number;
}

export interface AssignOptions {
  /** Let rxqs be polled by PMDs on any NUMA node (see the module comment). Default false. */
  readonly crossNuma?: boolean;
}

/** rxq id → PMD id. */
export type Assignment = Map<number, number>;

interface PmdSlot {
  readonly pmd: PmdThread;
  load: number;
  count: number;
}

interface NodeSched {
  readonly numa: number;
  readonly slots: PmdSlot[];
  rrIndex: number;
  rrUp: boolean;
}

/** OVS sched_pmd_next_rr: `updown` → 1,2,3,3,2,1,1,2…; otherwise 1,2,3,1,2,3… */
function nextRr(node: NodeSched, updown: boolean): PmdSlot {
  const idx = node.rrIndex;
  const last = node.slots.length - 1;
  if (node.rrUp) {
    if (node.rrIndex === last) {
      if (updown) node.rrUp = false;
      else node.rrIndex = 0;
    } else {
      node.rrIndex++;
    }
  } else if (node.rrIndex === 0) {
    node.rrUp = true;
  } else {
    node.rrIndex--;
  }
  return node.slots[idx];
}

/** OVS sched_pmd_get_lowest: lowest load if the rxq has cycles, else fewest rxqs; first (lowest core) on ties. */
function lowest(node: NodeSched, byCycles: boolean): PmdSlot {
  let best = node.slots[0];
  for (let i = 1; i < node.slots.length; i++) {
    const s = node.slots[i];
    const v = byCycles ? s.load : s.count;
    const b = byCycles ? best.load : best.count;
    if (v < b) best = s;
  }
  return best;
}

function byCore(a: PmdThread, b: PmdThread): number {
  return a.core - b.core || a.id - b.id;
}

function validate(rxqs: readonly RxqLoad[], pmds: readonly PmdThread[]): void {
  const rxqIds = new Set<number>();
  for (const q of rxqs) {
    if (rxqIds.has(q.id)) throw new Error(`assignRxqs: duplicate rxq id ${q.id}`);
    rxqIds.add(q.id);
    if (!Number.isFinite(q.cycles) || q.cycles < 0) {
      throw new Error(`assignRxqs: rxq ${q.id} has invalid cycles ${q.cycles}`);
    }
  }
  const pmdIds = new Set<number>();
  for (const p of pmds) {
    if (pmdIds.has(p.id)) throw new Error(`assignRxqs: duplicate pmd id ${p.id}`);
    pmdIds.add(p.id);
  }
}

/**
 * Assign every rxq to a PMD following OVS's `pmd-rxq-assign` rules (see the module comment).
 * Returns rxq id → PMD id; rxqs are absent only when `pmds` is empty.
 */
export function assignRxqs(
  rxqs: readonly RxqLoad[],
  pmds: readonly PmdThread[],
  mode: AssignMode,
  opts: AssignOptions = {},
): Assignment {
  validate(rxqs, pmds);
  const out: Assignment = new Map();
  if (pmds.length === 0) return out;

  const mkNode = (numa: number, members: PmdThread[]): NodeSched => ({
    numa,
    slots: [...members].sort(byCore).map((pmd) => ({ pmd, load: 0, count: 0 })),
    rrIndex: 0,
    rrUp: true,
  });

  const nodes = new Map<number, NodeSched>();
  let pool: NodeSched | undefined;
  if (opts.crossNuma) {
    pool = mkNode(-1, [...pmds]);
  } else {
    const byNuma = new Map<number, PmdThread[]>();
    for (const p of pmds) {
      const list = byNuma.get(p.numa);
      if (list) list.push(p);
      else byNuma.set(p.numa, [p]);
    }
    for (const numa of [...byNuma.keys()].sort((a, b) => a - b)) {
      nodes.set(numa, mkNode(numa, byNuma.get(numa) ?? []));
    }
  }
  const nodeOrder = [...nodes.values()];

  // Stable sort: equal cycles keep input order.
  const order = mode === 'roundrobin' ? [...rxqs] : [...rxqs].sort((a, b) => b.cycles - a.cycles);

  let lastCross = -1;
  for (const q of order) {
    let node = pool ?? nodes.get(q.numa);
    if (!node) {
      // No PMD on the rxq's node: rotate through the nodes that have PMDs (OVS last_cross_numa).
      lastCross = (lastCross + 1) % nodeOrder.length;
      node = nodeOrder[lastCross];
    }
    const slot = mode === 'group' ? lowest(node, q.cycles > 0) : nextRr(node, mode === 'cycles');
    slot.load += q.cycles;
    slot.count++;
    out.set(q.id, slot.pmd.id);
  }
  return out;
}

/**
 * Per-PMD sum of the cycles of the rxqs assigned to it. With `pmds`, every PMD appears (idle ones with 0),
 * in the given order; otherwise only PMDs that have at least one rxq. Rxqs missing from `assignment` are
 * skipped.
 */
export function pmdLoads(
  assignment: ReadonlyMap<number, number>,
  rxqs: readonly RxqLoad[],
  pmds?: readonly PmdThread[],
): Map<number, number> {
  const loads = new Map<number, number>();
  for (const p of pmds ?? []) loads.set(p.id, 0);
  for (const q of rxqs) {
    const pmd = assignment.get(q.id);
    if (pmd === undefined) continue;
    loads.set(pmd, (loads.get(pmd) ?? 0) + q.cycles);
  }
  return loads;
}

/** Number of assigned rxqs for each PMD of `pmds` (idle ones with 0; other PMDs are not counted). */
export function pmdRxqCounts(
  assignment: ReadonlyMap<number, number>,
  pmds: readonly PmdThread[],
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of pmds) counts.set(p.id, 0);
  for (const pmd of assignment.values()) {
    const n = counts.get(pmd);
    if (n !== undefined) counts.set(pmd, n + 1);
  }
  return counts;
}

/**
 * Population variance (divide by n) of the loads, as OVS's `variance()` in dpif-netdev.c; 0 when empty.
 * OVS computes it in integer arithmetic on whole percentages; this is the exact real-valued version.
 */
export function variance(loads: ReadonlyMap<number, number> | readonly number[]): number {
  const xs = Array.isArray(loads)
    ? (loads as readonly number[])
    : [...(loads as ReadonlyMap<number, number>).values()];
  if (xs.length === 0) return 0;
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let sq = 0;
  for (const x of xs) sq += (x - mean) * (x - mean);
  return sq / xs.length;
}
