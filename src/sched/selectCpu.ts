import type { Topology } from '../model/topology.ts';
import { cpuAvgLoadPerTask, NICE_0_LOAD, sourceLoad, targetLoad } from './cpuLoad.ts';
import { llcDomainIndex, type SchedDomain } from './domains.ts';
import { isIdle, type RunQueue } from './runQueue.ts';
import { allowedOn, type Task } from './task.ts';

/** What wake-up placement reads: run queues, domains, CPU power and the rules that are switched on. */
export interface SchedState {
  readonly rqs: readonly RunQueue[];
  readonly tasks: readonly Task[];
  readonly topo: Topology;
  /** domains[cpu]: the CPU's domain chain, bottom-up. */
  readonly domains: readonly (readonly SchedDomain[])[];
  /** cpu_power of each CPU (SCHED_POWER_SCALE = 1024 for a full core). */
  readonly power: readonly number[];
  /** Length of a scheduler tick (1 / HZ). */
  readonly tickNs: number;
  /** Virtual time now (the decayed loads catch up to it). */
  now(): number;
  readonly rules: WakeRules;
}

export interface WakeRules {
  /** wake_affine() may move the wakee to its waker's CPU (off: the target is always the previous CPU). */
  wakeAffine: boolean;
  /** select_idle_sibling() looks for an idle CPU in the target's last-level cache (off: the target it is). */
  selectIdleSibling: boolean;
}

/** Where a wake-up landed and by which rule. */
export interface Placement {
  cpu: number;
  /** wake_affine() moved the target from the previous CPU to the waker's. */
  affine: boolean;
  /** select_idle_sibling() moved it from that target to another idle CPU of its cache. */
  idleSibling: boolean;
}

/**
 * select_task_rq_fair() for a wake-up (v3.6 kernel/sched/fair.c), from the waker's CPU (`this_cpu`,
 * -1 for a timer: the CPU that armed it, the previous one). A task allowed on one CPU stays there. Walking
 * the waker's domains bottom-up, the first with SD_WAKE_AFFINE that also spans the previous CPU is
 * `affine_sd`; with one, `wake_affine()` may retarget the wakee to the waker's CPU, and then
 * `select_idle_sibling()` looks near the target. Without one (the NUMA level lacks SD_WAKE_AFFINE, or the
 * rule is off) the wakee returns to its previous CPU, idle or not: no level sets SD_BALANCE_WAKE in 3.6,
 * so the slow path (find_idlest_group) never runs for a wake-up.
 */
export function selectTaskRqFair(task: Task, wakerCpu: number, sync: boolean, s: SchedState): Placement {
  const prev = allowedOn(task, task.cpu) ? task.cpu : fallbackCpu(task, s.rqs);
  const placed = { cpu: prev, affine: false, idleSibling: false };
  if (task.allowed !== null && task.allowed.length === 1) return placed;
  const cpu = wakerCpu >= 0 ? wakerCpu : prev;
  if (!allowedOn(task, cpu)) return placed; // want_affine = 0
  const chain = s.domains[cpu];
  let affineSd: SchedDomain | null = null;
  for (const sd of chain) {
    if (sd.flags.loadBalance && sd.flags.wakeAffine && sd.inSpan[prev] === 1) {
      affineSd = sd;
      break;
    }
  }
  if (affineSd === null) return placed;
  let target = prev;
  if (s.rules.wakeAffine && cpu !== prev && wakeAffine(affineSd, cpu, prev, sync, s)) {
    target = cpu;
    placed.affine = true;
  }
  placed.cpu = s.rules.selectIdleSibling ? selectIdleSibling(task, target, cpu, prev, s) : target;
  placed.idleSibling = placed.cpu !== target;
  return placed;
}

/**
 * wake_affine() (v3.6, without group scheduling: effective_load() is the weight itself). With the sync hint
 * the waker is about to sleep, so its own weight leaves the waker's load. The wakee may come to the waker's
 * CPU when that leaves the two CPUs balanced within half the domain's imbalance_pct
 * (100 * power(prev) * (this_load + w) <= (100 + (imbalance_pct - 100) / 2) * power(this) * load, or the
 * waker's CPU is empty), or when the waker's CPU is no busier and both together carry no more than one
 * average task of the waker's CPU.
 */
export function wakeAffine(
  sd: SchedDomain,
  thisCpu: number,
  prevCpu: number,
  sync: boolean,
  s: SchedState,
): boolean {
  const idx = sd.wakeIdx;
  const thisRq = s.rqs[thisCpu];
  const prevRq = s.rqs[prevCpu];
  const tNs = s.now();
  const load = sourceLoad(prevRq, idx, tNs, s.tickNs);
  let thisLoad = targetLoad(thisRq, idx, tNs, s.tickNs);
  if (sync && thisRq.curr >= 0) {
    // effective_load(tg, this_cpu, -weight, -weight); the prev_cpu term is 0 without group scheduling.
    thisLoad -= NICE_0_LOAD;
  }
  const weight = NICE_0_LOAD;
  let balanced = true;
  if (thisLoad > 0) {
    const thisEff = 100 * s.power[prevCpu] * (thisLoad + weight);
    const prevEff = (100 + Math.trunc((sd.imbalancePct - 100) / 2)) * s.power[thisCpu] * load;
    balanced = thisEff <= prevEff;
  }
  if (sync && balanced) return true;
  const tlPerTask = cpuAvgLoadPerTask(thisRq);
  return balanced || (thisLoad <= load && thisLoad + targetLoad(prevRq, idx, tNs, s.tickNs) <= tlPerTask);
}

/**
 * select_idle_sibling() (v3.6): the target itself when it is the waker's or the previous CPU and idle;
 * otherwise, from the target's last-level-cache domain down, the first group (a core at the LLC level, a
 * hardware thread at the SMT level), starting at the target's own and going round, whose CPUs are all
 * idle and one of which the task may use: its first allowed CPU. Else the target. Only the LLC is
 * scanned, but all of it when none is idle (8 cores on the `2x64` host's core complexes), as most
 * wake-ups on a busy host find it.
 *
 * So the scan is skipped when the LLC's exact idle count (runQueue.ts) is zero: no group can then be all
 * idle, and the answer is the target, as the scan's. 3.6 keeps no such count (it scans); the kernel has
 * kept a hint for the same purpose since v4.9 (commit 10e2f1acd010, "sched/core: Rewrite and improve
 * select_idle_siblings()"): `sd_llc_shared->has_idle_cores`, read by `test_idle_cores()` in
 * kernel/sched/fair.c before select_idle_core() scans. That one is a flag of idle cores, set when a core
 * goes idle and cleared by a scan that fails; ours counts CPUs exactly, so skipping never changes the result.
 */
export function selectIdleSibling(
  task: Task,
  target: number,
  thisCpu: number,
  prevCpu: number,
  s: SchedState,
): number {
  if (target === thisCpu && isIdle(s.rqs[thisCpu])) return thisCpu;
  if (target === prevCpu && isIdle(s.rqs[prevCpu])) return prevCpu;
  const llc = s.rqs[target].llcIdle;
  if (llc !== null && llc.idle === 0) return target;
  const chain = s.domains[target];
  for (let d = llcDomainIndex(chain); d >= 0; d--) {
    for (const group of chain[d].groups) {
      let first = -1;
      let allIdle = true;
      for (const c of group) {
        if (!isIdle(s.rqs[c])) {
          allIdle = false;
          break;
        }
        if (first < 0 && allowedOn(task, c)) first = c;
      }
      if (allIdle && first >= 0) return first;
    }
  }
  return target;
}

/** select_fallback_rq(), simplified: the allowed CPU with the fewest runnable tasks (lowest id on ties). */
function fallbackCpu(task: Task, rqs: readonly RunQueue[]): number {
  let best = -1;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (const rq of rqs) {
    if (!allowedOn(task, rq.cpu)) continue;
    const load = rq.queue.length + (rq.curr >= 0 ? 1 : 0);
    if (load < bestLoad) {
      bestLoad = load;
      best = rq.cpu;
    }
  }
  return best;
}
