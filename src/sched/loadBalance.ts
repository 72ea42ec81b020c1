import { NICE_0_LOAD, nrRunning, sourceLoad, targetLoad, weightedCpuload } from './cpuLoad.ts';
import type { SchedDomain } from './domains.ts';
import { isIdle } from './runQueue.ts';
import type { SchedState } from './selectCpu.ts';
import { allowedOn, type Task } from './task.ts';

/** SCHED_POWER_SCALE: the power of one full core. */
export const SCHED_POWER_SCALE = 1024;
/** sysctl_sched_nr_migrate: at most this many tasks looked at per pass. */
const NR_MIGRATE = 32;

export type IdleType = 'idle' | 'notIdle';

export interface BalanceRules {
  /** Periodic balancing (rebalance_domains) at every level; off: only wake-up placement and new-idle pulls. */
  periodicBalance: boolean;
  /** can_migrate_task() keeps cache-hot tasks (task_hot) until balancing has failed cache_nice_tries times. */
  cacheHot: boolean;
  /** The domains read the decayed cpu_load[] at their busy_idx / idle_idx (off: the instantaneous load). */
  decayedLoad: boolean;
  /** sysctl_sched_migration_cost: a task that ran this recently is cache hot. */
  migrationCostNs: number;
}

export interface BalanceState extends SchedState {
  readonly balance: BalanceRules;
}

/** What periodic balancing did, for metrics.sched. */
export interface BalanceCounters {
  moves: number;
  cacheHotRefusals: number;
}

/** Move the waiting task at `index` of `from`'s queue to `to` (cfs.moveWaiting with its side effects). */
export type MoveTask = (from: number, index: number, to: number) => void;

/** max_load_balance_interval: HZ / 10 ticks. */
const maxIntervalTicks = (tickNs: number) => Math.max(1, Math.round(100_000_000 / tickNs));

/** The wait before a domain is balanced again: its interval, busy_factor times longer on a busy CPU. */
export function balanceIntervalNs(sd: SchedDomain, idle: IdleType, tickNs: number): number {
  let ms = sd.balanceIntervalMs;
  if (idle !== 'idle') ms *= sd.busyFactor;
  const ticks = Math.min(Math.max(1, Math.round((ms * 1_000_000) / tickNs)), maxIntervalTicks(tickNs));
  return ticks * tickNs;
}

/**
 * rebalance_domains() for one CPU (v3.6 kernel/sched/fair.c), run from its tick's SCHED_SOFTIRQ: each level
 * bottom-up whose interval has passed is balanced by `loadBalance`; a CPU that is not its group's balancing
 * CPU stops there (another CPU of its group balances the levels above). Returns when next to run.
 */
export function rebalanceDomains(cpu: number, s: BalanceState, c: BalanceCounters, move: MoveTask): number {
  const now = s.now();
  let idle: IdleType = isIdle(s.rqs[cpu]) ? 'idle' : 'notIdle';
  let next = Number.POSITIVE_INFINITY;
  for (const sd of s.domains[cpu]) {
    if (!sd.flags.loadBalance) continue;
    const interval = balanceIntervalNs(sd, idle, s.tickNs);
    let balance = true;
    if (now >= sd.lastBalanceNs + interval) {
      const r = loadBalance(cpu, sd, idle, s, c, move);
      balance = r.balance;
      if (r.moved > 0) idle = 'notIdle';
      sd.lastBalanceNs = now;
    }
    next = Math.min(next, sd.lastBalanceNs + balanceIntervalNs(sd, idle, s.tickNs));
    if (!balance) break;
  }
  return next;
}

interface GroupStats {
  cpus: readonly number[];
  /** Sum of source_load / target_load at the domain's index. */
  load: number;
  /** Sum of the instantaneous loads. */
  weightedLoad: number;
  nrRunning: number;
  idleCpus: number;
  power: number;
  avgLoad: number;
  capacity: number;
  hasCapacity: boolean;
  /** group_imb: the group is unbalanced inside (one CPU a task or more above another). */
  imb: boolean;
}

function groupStats(group: readonly number[], local: boolean, idx: number, s: BalanceState): GroupStats {
  const now = s.now();
  let load = 0;
  let weightedLoad = 0;
  let nr = 0;
  let idleCpus = 0;
  let power = 0;
  let maxLoad = Number.NEGATIVE_INFINITY;
  let minLoad = Number.POSITIVE_INFINITY;
  let maxNr = 0;
  let minNr = Number.POSITIVE_INFINITY;
  for (const cpu of group) {
    const rq = s.rqs[cpu];
    const l = local ? targetLoad(rq, idx, now, s.tickNs) : sourceLoad(rq, idx, now, s.tickNs);
    if (!local) {
      maxLoad = Math.max(maxLoad, l);
      minLoad = Math.min(minLoad, l);
    }
    const n = nrRunning(rq);
    maxNr = Math.max(maxNr, n);
    minNr = Math.min(minNr, n);
    load += l;
    weightedLoad += weightedCpuload(rq);
    nr += n;
    if (isIdle(rq)) idleCpus++;
    power += s.power[cpu];
  }
  const avgLoadPerTask = nr > 0 ? weightedLoad / nr : 0;
  // DIV_ROUND_CLOSEST(power, SCHED_POWER_SCALE); a group of SMT threads has at least one task's room.
  const capacity = Math.max(1, Math.round(power / SCHED_POWER_SCALE));
  return {
    cpus: group,
    load,
    weightedLoad,
    nrRunning: nr,
    idleCpus,
    power,
    avgLoad: (load * SCHED_POWER_SCALE) / power,
    capacity,
    hasCapacity: capacity > nr,
    imb: !local && maxLoad - minLoad >= avgLoadPerTask && maxNr - minNr > 1,
  };
}

/** What find_busiest_group() decided: the busiest group and how much load to move, or null (balanced). */
interface Busiest {
  group: GroupStats;
  imbalance: number;
}

/**
 * find_busiest_group() (v3.6): group statistics at the domain's load index (idle_idx when this CPU is
 * idle, busy_idx otherwise); the busiest group is the non-local one with the highest average load that is
 * over its capacity or unbalanced inside (update_sd_pick_busiest). With SD_PREFER_SIBLING on the child
 * level, a remote group counts as full at one task while the local group has room. Balanced when the
 * local group is at least as loaded as the busiest or as the domain average; an idle CPU further needs
 * the busiest group to have more tasks than CPUs or at least two idle CPUs fewer; a busy one needs the
 * busiest group above imbalance_pct of its own load. `balanceCpu` is false when another CPU of the local
 * group (its first idle one, else its first) should do the balancing.
 */
export function findBusiestGroup(
  cpu: number,
  sd: SchedDomain,
  child: SchedDomain | undefined,
  idle: IdleType,
  s: BalanceState,
): { balanceCpu: boolean; busiest: Busiest | null } {
  const localGroup = sd.groups[0];
  const firstIdle = localGroup.find((c) => isIdle(s.rqs[c]));
  if ((firstIdle ?? localGroup[0]) !== cpu) return { balanceCpu: false, busiest: null };
  const idx = s.balance.decayedLoad ? (idle === 'idle' ? sd.idleIdx : sd.busyIdx) : 0;
  const preferSibling = child?.flags.preferSibling ?? false;
  const local = groupStats(localGroup, true, idx, s);
  let totalLoad = local.load;
  let totalPower = local.power;
  let busiest: GroupStats | null = null;
  for (let g = 1; g < sd.groups.length; g++) {
    const st = groupStats(sd.groups[g], false, idx, s);
    totalLoad += st.load;
    totalPower += st.power;
    if (preferSibling && local.hasCapacity) st.capacity = Math.min(st.capacity, 1);
    const pick = st.avgLoad > (busiest?.avgLoad ?? 0) && (st.nrRunning > st.capacity || st.imb);
    if (pick) busiest = st;
  }
  const none = { balanceCpu: true, busiest: null };
  if (busiest === null || busiest.nrRunning === 0) return none;
  const avgLoad = (totalLoad * SCHED_POWER_SCALE) / totalPower;
  if (!busiest.imb) {
    if (local.avgLoad >= busiest.avgLoad || local.avgLoad >= avgLoad) return none;
    if (idle === 'idle') {
      if (local.idleCpus <= busiest.idleCpus + 1 && busiest.nrRunning <= busiest.cpus.length) return none;
    } else if (100 * busiest.avgLoad <= sd.imbalancePct * local.avgLoad) return none;
  }
  return {
    balanceCpu: true,
    busiest: { group: busiest, imbalance: calculateImbalance(local, busiest, avgLoad) },
  };
}

/**
 * calculate_imbalance() with fix_small_imbalance() (v3.6): move no more than brings the busiest group down
 * to the domain average (and not below its capacity), nor the local group above it; when that is less than
 * one of the busiest group's tasks, move one task if doing so raises the throughput the two groups can get.
 */
function calculateImbalance(local: GroupStats, busiest: GroupStats, avgLoad: number): number {
  let busiestLoadPerTask = busiest.weightedLoad / busiest.nrRunning;
  if (busiest.imb) busiestLoadPerTask = Math.min(busiestLoadPerTask, avgLoad);
  if (busiest.avgLoad >= avgLoad) {
    let aboveCapacity = Number.POSITIVE_INFINITY;
    if (!busiest.imb) {
      aboveCapacity =
        ((busiest.nrRunning - busiest.capacity) * NICE_0_LOAD * SCHED_POWER_SCALE) / busiest.power;
    }
    const maxPull = Math.min(busiest.avgLoad - avgLoad, aboveCapacity);
    const imbalance =
      Math.min(maxPull * busiest.power, (avgLoad - local.avgLoad) * local.power) / SCHED_POWER_SCALE;
    if (imbalance >= busiestLoadPerTask) return imbalance;
  }
  // fix_small_imbalance()
  let imbn = 2;
  const thisLoadPerTask = local.nrRunning > 0 ? local.weightedLoad / local.nrRunning : 0;
  if (thisLoadPerTask > busiestLoadPerTask) imbn = 1;
  const scaledBusy = (busiestLoadPerTask * SCHED_POWER_SCALE) / busiest.power;
  if (busiest.avgLoad - local.avgLoad + scaledBusy >= scaledBusy * imbn) return busiestLoadPerTask;
  let pwrNow = busiest.power * Math.min(busiestLoadPerTask, busiest.avgLoad);
  pwrNow += local.power * Math.min(thisLoadPerTask, local.avgLoad);
  pwrNow /= SCHED_POWER_SCALE;
  let pwrMove = 0;
  let tmp = (busiestLoadPerTask * SCHED_POWER_SCALE) / busiest.power;
  if (busiest.avgLoad > tmp) pwrMove += busiest.power * Math.min(busiestLoadPerTask, busiest.avgLoad - tmp);
  tmp =
    busiest.avgLoad * busiest.power < busiestLoadPerTask * SCHED_POWER_SCALE
      ? (busiest.avgLoad * busiest.power) / local.power
      : (busiestLoadPerTask * SCHED_POWER_SCALE) / local.power;
  pwrMove += local.power * Math.min(thisLoadPerTask, local.avgLoad + tmp);
  pwrMove /= SCHED_POWER_SCALE;
  return pwrMove > pwrNow ? busiestLoadPerTask : 0;
}

/**
 * find_busiest_queue() (v3.6): the CPU of the group with the highest load per unit of power, passing over a
 * CPU whose single task is heavier than the imbalance (moving it would only move the imbalance).
 */
function findBusiestQueue(
  group: GroupStats,
  imbalance: number,
  excluded: Set<number>,
  s: BalanceState,
): number {
  let best = -1;
  let bestLoad = 0;
  for (const cpu of group.cpus) {
    if (excluded.has(cpu)) continue;
    const rq = s.rqs[cpu];
    const wl = weightedCpuload(rq);
    if (nrRunning(rq) === 1 && wl > imbalance) continue;
    const scaled = (wl * SCHED_POWER_SCALE) / s.power[cpu];
    if (scaled > bestLoad) {
      bestLoad = scaled;
      best = cpu;
    }
  }
  return best;
}

/** task_hot() (v3.6): the task ran within sysctl_sched_migration_cost (its cache is likely still warm). */
export function taskHot(task: Task, nowNs: number, migrationCostNs: number): boolean {
  if (migrationCostNs === 0) return false;
  return nowNs - task.lastRanNs < migrationCostNs;
}

/**
 * load_balance() (v3.6) of one domain for `cpu`: find the busiest group and its busiest run queue, then pull
 * waiting tasks from it (move_tasks: most recently queued first, each task's load against the imbalance
 * left) that `can_migrate_task()` allows: not running, allowed on `cpu`, and not cache hot unless this
 * domain's balancing has failed more than cache_nice_tries times in a row. A run queue whose tasks are all
 * pinned elsewhere is skipped for the next busiest. Moving resets `nr_balance_failed` and the interval to
 * `min_interval`; finding an imbalance and moving nothing counts a failure; a balanced domain doubles its
 * interval up to `max_interval`. Active balancing (pushing a running task through the migration thread)
 * is not modelled: running tasks never move.
 */
export function loadBalance(
  cpu: number,
  sd: SchedDomain,
  idle: IdleType,
  s: BalanceState,
  c: BalanceCounters,
  move: MoveTask,
): { moved: number; balance: boolean } {
  const chain = s.domains[cpu];
  const child = chain[chain.indexOf(sd) - 1];
  const balanced = (balance: boolean) => {
    sd.nrBalanceFailed = 0;
    if (sd.balanceIntervalMs < sd.maxIntervalMs) sd.balanceIntervalMs *= 2;
    return { moved: 0, balance };
  };
  const found = findBusiestGroup(cpu, sd, child, idle, s);
  if (!found.balanceCpu) return balanced(false);
  if (found.busiest === null) return balanced(true);
  const now = s.now();
  const excluded = new Set<number>();
  let moved = 0;
  for (;;) {
    const from = findBusiestQueue(found.busiest.group, found.busiest.imbalance, excluded, s);
    if (from < 0) return balanced(true);
    const rq = s.rqs[from];
    if (nrRunning(rq) <= 1) break;
    let imbalance = found.busiest.imbalance;
    let allPinned = true;
    const loopMax = Math.min(NR_MIGRATE, nrRunning(rq));
    // cfs_tasks lists the most recently enqueued first; the running task is never a candidate.
    for (let i = rq.queue.length - 1, looked = 0; i >= 0 && looked < loopMax; i--, looked++) {
      const task = s.tasks[rq.queue[i]];
      if (NICE_0_LOAD / 2 > imbalance) continue;
      if (!allowedOn(task, cpu)) continue;
      allPinned = false;
      const hot = s.balance.cacheHot && taskHot(task, now, s.balance.migrationCostNs);
      if (hot && sd.nrBalanceFailed <= sd.cacheNiceTries) {
        c.cacheHotRefusals++;
        continue;
      }
      move(from, i, cpu);
      c.moves++;
      moved++;
      imbalance -= NICE_0_LOAD;
      if (imbalance <= 0) break;
    }
    if (moved > 0 || !allPinned) break;
    excluded.add(from); // LBF_ALL_PINNED: try the next busiest run queue
  }
  sd.nrBalanceFailed = moved > 0 ? 0 : sd.nrBalanceFailed + 1;
  sd.balanceIntervalMs = sd.minIntervalMs;
  return { moved, balance: true };
}
