/**
 * OVS-DPDK PMD automatic load balancing (`other_config:pmd-auto-lb=true`) as a small pure state machine.
 *
 * Sources (openvswitch/ovs):
 * - Documentation/topics/dpdk/pmd.rst, "PMD Automatic Load Balance".
 * - lib/dpif-netdev.c: ALB_* defaults, PMD_INTERVAL_LEN / PMD_INTERVAL_MAX, dp_netdev_pmd_try_optimize
 *   (overload counting), dpif_netdev_run (rebalance timer), pmd_rebalance_dry_run_needed,
 *   pmd_rebalance_dry_run, sched_numa_variance, sched_numa_list_cross_numa_polling.
 *
 * Defaults and where they come from:
 * - intervalNs = 10 s: pmd.rst "utilization is greater than the load threshold every 10 secs for 1 minute";
 *   dpif-netdev.c up to OVS 3.0 `PMD_INTERVAL_LEN 10000000LL` (µs). (OVS ≥ 3.1 samples every 5 s and keeps
 *   12 intervals: the same 1-minute window. Pass intervalNs = 5 s and overloadSamples = 12 to model that.)
 * - overloadSamples = 6 = 1 min / 10 s: pmd.rst "for 1 minute"; the code requires
 *   `pmd_overloaded >= PMD_INTERVAL_MAX` (6 at 10 s intervals). Derived as round(60 s / intervalNs) when
 *   only intervalNs is given.
 * - loadThreshold = 0.95: pmd.rst "If not set, the default load threshold is 95%"; `ALB_LOAD_THRESHOLD 95`
 *   (`pmd-auto-lb-load-threshold`).
 * - improvementThreshold = 0.25: pmd.rst "the default variance improvement threshold is 25%";
 *   `ALB_IMPROVEMENT_THRESHOLD 25` (`pmd-auto-lb-improvement-threshold`).
 * - rebalIntervalNs = 60 s: pmd.rst "The default interval is 1 minute"; `ALB_REBALANCE_INTERVAL 1` (min)
 *   (`pmd-auto-lb-rebal-interval`).
 * - mode = 'cycles': pmd.rst "By default, ``cycles`` assignment is used".
 *
 * Rules (one `sample()` call = one measuring interval ending at `nowNs`):
 * 1. Overload counting [dp_netdev_pmd_try_optimize]: per PMD, if busy ≥ loadThreshold the PMD's counter
 *    is incremented, else reset to 0. The code compares with `>=` on whole percentages; pmd.rst says
 *    "greater than". We follow the code (busy fraction ≥ threshold).
 * 2. Check timer [dpif_netdev_run]: the timer starts at `startNs` or, if not given, at the first sample.
 *    A check happens when at least rebalIntervalNs has passed since the last check (OVS: strictly more, in
 *    ms, but it polls continuously; with discrete samples `>=` avoids losing a whole sample period). The
 *    timer restarts at every check, whether or not a rebalance follows — so rebalIntervalNs is the minimum
 *    time between two rebalances and also between two checks.
 * 3. At a check, a rebalance is considered only if some PMD's counter ≥ overloadSamples.
 * 4. Preconditions [pmd_rebalance_dry_run_needed; pmd.rst pre-requisites]: mode is not `roundrobin`; at least
 *    two PMDs; at least one PMD polls more than one rxq in the current assignment.
 * 5. Dry run [pmd_rebalance_dry_run]: assign with the configured mode using the measured rxq cycles. If the
 *    estimate polls some rxq from another NUMA node and PMDs exist on more than one node, give up (pmd.rst:
 *    "will not operate if Rx queues are assigned to PMD cores on a different NUMA ... The only exception is
 *    when all PMD threads are running on cores from a single NUMA node").
 * 6. For each NUMA node with PMDs: variance of the per-PMD loads (summed rxq cycles) under the current and
 *    the estimated assignment; improvement = (current − estimate) / current when the estimate is lower, else
 *    0. Rebalance if ANY node's improvement ≥ improvementThreshold (pmd.rst: "If any numa's estimated
 *    dry-run variance is improved from the current one by the variance threshold").
 * 7. After a rebalance the PMDs reload, which resets every overload counter [pmd_thread_main: reload →
 *    `atomic_count_init(&pmd->pmd_overloaded, 0)`]; the estimate becomes the current assignment.
 *
 * Simplifications: OVS computes the variance on integer percentages of each PMD's cycles in the window
 * and the improvement in integer percent; here both are real numbers (the ratio does not depend on the
 * scale). Pinning/isolation is not modelled.
 */

import {
  type AssignMode,
  type Assignment,
  assignRxqs,
  type PmdThread,
  pmdLoads,
  type RxqLoad,
  variance,
} from './rxqAssign.ts';

const SECOND_NS = 1_000_000_000;

/** Defaults, see the module comment for their sources. */
export const AUTO_LB_DEFAULTS = {
  intervalNs: 10 * SECOND_NS,
  overloadWindowNs: 60 * SECOND_NS,
  loadThreshold: 0.95,
  improvementThreshold: 0.25,
  rebalIntervalNs: 60 * SECOND_NS,
  mode: 'cycles' as AssignMode,
} as const;

export interface AutoLbOptions {
  /** PMD threads (busy fractions passed to `sample` as an array follow this order). */
  readonly pmds: readonly PmdThread[];
  /** Current rxq → PMD assignment. */
  readonly assignment: ReadonlyMap<number, number>;
  /** Assignment mode used for the dry run (`pmd-rxq-assign`). Default 'cycles'. */
  readonly mode?: AssignMode;
  /** Passed to the dry run's `assignRxqs`. */
  readonly crossNuma?: boolean;
  /** Sample period. Default 10 s. */
  readonly intervalNs?: number;
  /** Busy fraction at or above which a sample counts as overloaded. Default 0.95. */
  readonly loadThreshold?: number;
  /** Consecutive overloaded samples needed. Default round(60 s / intervalNs) = 6. */
  readonly overloadSamples?: number;
  /** Minimum relative variance improvement on some NUMA node. Default 0.25. */
  readonly improvementThreshold?: number;
  /** Minimum time between two checks (and so two rebalances). Default 60 s. */
  readonly rebalIntervalNs?: number;
  /** Start of the check timer; default: the time of the first sample. */
  readonly startNs?: number;
}

export type AutoLbReason =
  | 'timer-started'
  | 'interval-not-elapsed'
  | 'no-overload'
  | 'roundrobin'
  | 'not-enough-pmds-or-rxqs'
  | 'cross-numa'
  | 'below-improvement-threshold'
  | 'rebalanced';

export interface NumaVariance {
  readonly numa: number;
  readonly current: number;
  readonly estimate: number;
  /** (current − estimate) / current, or 0 when the estimate is not lower. */
  readonly improvement: number;
}

export interface AutoLbDecision {
  readonly rebalance: boolean;
  /** Present only when `rebalance` is true. */
  readonly newAssignment?: Assignment;
  /** Whether the check timer fired on this sample. */
  readonly checked: boolean;
  readonly reason: AutoLbReason;
  /** PMD ids whose overload counter reached `overloadSamples` (before any reset). */
  readonly overloadedPmds: readonly number[];
  /** Per-NUMA variances of the dry run, when one was done. */
  readonly variances?: readonly NumaVariance[];
}

export interface AutoLbState {
  readonly assignment: ReadonlyMap<number, number>;
  /** Consecutive overloaded samples per PMD id. */
  readonly overloadCount: ReadonlyMap<number, number>;
  readonly lastCheckNs: number | undefined;
  readonly lastSampleNs: number | undefined;
  readonly rebalances: number;
}

export interface AutoLb {
  /**
   * Feed one measuring interval ending at `nowNs`: each PMD's busy fraction (array in `pmds` order, or a
   * map by PMD id) and the rxqs' measured cycles over the history window.
   */
  sample(
    nowNs: number,
    pmdBusyFraction: readonly number[] | ReadonlyMap<number, number>,
    rxqCycles: readonly RxqLoad[],
  ): AutoLbDecision;
  /** Replace the current assignment after an external reconfiguration (PMDs reload: counters reset). */
  setAssignment(assignment: ReadonlyMap<number, number>): void;
  /** Read-only snapshot of the internal state. */
  state(): AutoLbState;
}

/** Per-NUMA variances of per-PMD loads under `current` and `estimate`, NUMA ids ascending. */
export function numaVariances(
  pmds: readonly PmdThread[],
  rxqs: readonly RxqLoad[],
  current: ReadonlyMap<number, number>,
  estimate: ReadonlyMap<number, number>,
): NumaVariance[] {
  const curLoads = pmdLoads(current, rxqs, pmds);
  const estLoads = pmdLoads(estimate, rxqs, pmds);
  const numas = [...new Set(pmds.map((p) => p.numa))].sort((a, b) => a - b);
  return numas.map((numa) => {
    const members = pmds.filter((p) => p.numa === numa);
    const cur = variance(members.map((p) => curLoads.get(p.id) ?? 0));
    const est = variance(members.map((p) => estLoads.get(p.id) ?? 0));
    const improvement = est < cur && cur > 0 ? (cur - est) / cur : 0;
    return { numa, current: cur, estimate: est, improvement };
  });
}

/** True if some rxq is polled by a PMD on another NUMA node (OVS sched_numa_list_cross_numa_polling). */
export function hasCrossNumaPolling(
  assignment: ReadonlyMap<number, number>,
  rxqs: readonly RxqLoad[],
  pmds: readonly PmdThread[],
): boolean {
  const numaOf = new Map(pmds.map((p) => [p.id, p.numa]));
  return rxqs.some((q) => {
    const pmd = assignment.get(q.id);
    return pmd !== undefined && numaOf.get(pmd) !== q.numa;
  });
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`createAutoLb: ${name} must be > 0, got ${v}`);
  return v;
}

export function createAutoLb(opts: AutoLbOptions): AutoLb {
  const pmds = [...opts.pmds];
  const mode = opts.mode ?? AUTO_LB_DEFAULTS.mode;
  const intervalNs = positive('intervalNs', opts.intervalNs ?? AUTO_LB_DEFAULTS.intervalNs);
  const loadThreshold = opts.loadThreshold ?? AUTO_LB_DEFAULTS.loadThreshold;
  const overloadSamples = positive(
    'overloadSamples',
    opts.overloadSamples ?? Math.max(1, Math.round(AUTO_LB_DEFAULTS.overloadWindowNs / intervalNs)),
  );
  const improvementThreshold = opts.improvementThreshold ?? AUTO_LB_DEFAULTS.improvementThreshold;
  const rebalIntervalNs = opts.rebalIntervalNs ?? AUTO_LB_DEFAULTS.rebalIntervalNs;

  let assignment: Map<number, number> = new Map(opts.assignment);
  let overload = new Map<number, number>(pmds.map((p) => [p.id, 0]));
  let lastCheckNs: number | undefined = opts.startNs;
  let lastSampleNs: number | undefined;
  let rebalances = 0;

  const resetCounters = (): void => {
    overload = new Map(pmds.map((p) => [p.id, 0]));
  };

  const busyOf = (busy: readonly number[] | ReadonlyMap<number, number>, i: number): number => {
    if (Array.isArray(busy)) return (busy as readonly number[])[i] ?? 0;
    return (busy as ReadonlyMap<number, number>).get(pmds[i].id) ?? 0;
  };

  function sample(
    nowNs: number,
    pmdBusyFraction: readonly number[] | ReadonlyMap<number, number>,
    rxqCycles: readonly RxqLoad[],
  ): AutoLbDecision {
    if (lastSampleNs !== undefined && nowNs < lastSampleNs) {
      throw new Error(`autoLb.sample: time went backwards (${nowNs} < ${lastSampleNs})`);
    }
    if (Array.isArray(pmdBusyFraction) && pmdBusyFraction.length !== pmds.length) {
      throw new Error(`autoLb.sample: ${pmdBusyFraction.length} busy fractions for ${pmds.length} PMDs`);
    }
    lastSampleNs = nowNs;

    // 1. Overload counting.
    const next = new Map<number, number>();
    pmds.forEach((p, i) => {
      next.set(p.id, busyOf(pmdBusyFraction, i) >= loadThreshold ? (overload.get(p.id) ?? 0) + 1 : 0);
    });
    overload = next;
    const overloadedPmds = pmds.filter((p) => (overload.get(p.id) ?? 0) >= overloadSamples).map((p) => p.id);

    // 2. Check timer.
    if (lastCheckNs === undefined) {
      lastCheckNs = nowNs;
      return { rebalance: false, checked: false, reason: 'timer-started', overloadedPmds };
    }
    if (nowNs - lastCheckNs < rebalIntervalNs) {
      return { rebalance: false, checked: false, reason: 'interval-not-elapsed', overloadedPmds };
    }
    lastCheckNs = nowNs;

    // 3. Some PMD overloaded for long enough.
    if (overloadedPmds.length === 0) {
      return { rebalance: false, checked: true, reason: 'no-overload', overloadedPmds };
    }

    // 4. Preconditions.
    if (mode === 'roundrobin') {
      return { rebalance: false, checked: true, reason: 'roundrobin', overloadedPmds };
    }
    const perPmd = new Map<number, number>();
    for (const pmd of assignment.values()) perPmd.set(pmd, (perPmd.get(pmd) ?? 0) + 1);
    if (pmds.length < 2 || ![...perPmd.values()].some((n) => n > 1)) {
      return { rebalance: false, checked: true, reason: 'not-enough-pmds-or-rxqs', overloadedPmds };
    }

    // 5. Dry run.
    const estimate = assignRxqs(rxqCycles, pmds, mode, { crossNuma: opts.crossNuma });
    const numaCount = new Set(pmds.map((p) => p.numa)).size;
    if (numaCount > 1 && hasCrossNumaPolling(estimate, rxqCycles, pmds)) {
      return { rebalance: false, checked: true, reason: 'cross-numa', overloadedPmds };
    }

    // 6. Variance improvement on any NUMA node.
    const variances = numaVariances(pmds, rxqCycles, assignment, estimate);
    if (!variances.some((v) => v.improvement >= improvementThreshold)) {
      return {
        rebalance: false,
        checked: true,
        reason: 'below-improvement-threshold',
        overloadedPmds,
        variances,
      };
    }

    // 7. Apply.
    assignment = estimate;
    resetCounters();
    rebalances++;
    return {
      rebalance: true,
      newAssignment: new Map(estimate),
      checked: true,
      reason: 'rebalanced',
      overloadedPmds,
      variances,
    };
  }

  return {
    sample,
    setAssignment(a) {
      assignment = new Map(a);
      resetCounters();
    },
    state() {
      return {
        assignment: new Map(assignment),
        overloadCount: new Map(overload),
        lastCheckNs,
        lastSampleNs,
        rebalances,
      };
    },
  };
}
