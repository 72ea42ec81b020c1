import type { ActorId } from '../model/actor.ts';

export type TaskKind = 'vcpu' | 'vhost';

/**
 * A host thread, like the kernel's task_struct: what the scheduler knows about it. The behaviour of the
 * thread (what it computes next) belongs to its owner actor (a vCPU or a vhost worker machine).
 */
export interface Task {
  tid: number;
  name: string;
  kind: TaskKind;
  owner: ActorId;
  /** VM whose cgroup the thread belongs to; -1 for a shared per-CPU worker (charged per attached VM). */
  vm: number;
  /**
   * Address space the thread runs in (a VM's QEMU mm: its vCPUs, and its vhost threads through use_mm),
   * or -1: a shared worker between works, a kernel thread borrowing whatever mm is loaded.
   */
  mm: number;
  /** CPUs the thread may run on (sched_setaffinity); null = any. */
  allowed: number[] | null;
  /**
   * `allowed` indexed by CPU (1 = allowed), like the kernel's `cpus_mask`: wake-up placement and
   * balancing test many CPUs per wake-up, and a list search per test is O(CPUs) on a 128-core host.
   */
  cpusMask: Uint8Array | null;
  state: 'blocked' | 'runnable' | 'running';
  /** CPU whose run queue holds the thread, or where it last ran. */
  cpu: number;
  vruntime: number;
  /** A CPU demand in progress (set by the owner, consumed by the core). */
  hasSeg: boolean;
  segRemainingNs: number;
  /** CPU time the thread owes for shared cache lines it took since its last segment (added to the next one). */
  lockDebtNs: number;
  /** VM charged for the segment's time (-1 = host). */
  segVm: number;
  /** The owner asked to sleep at the end of its segment. */
  wantsBlock: boolean;
  /** Set when the core preempts the thread; the owner reads and clears it (need_resched seen by vhost). */
  preempted: boolean;
  nvcsw: number;
  nivcsw: number;
  migrations: number;
  runNs: number;
  /** When the thread last had CPU time accounted (se.exec_start): task_hot() measures from it. */
  lastRanNs: number;
}

export function newTask(
  tid: number,
  name: string,
  kind: TaskKind,
  owner: ActorId,
  vm: number,
  allowed: number[] | null,
  cpu: number,
): Task {
  return {
    tid,
    name,
    kind,
    owner,
    vm,
    mm: vm,
    allowed,
    cpusMask: allowed === null ? null : cpusMaskOf(allowed),
    state: 'blocked',
    cpu,
    vruntime: 0,
    hasSeg: false,
    segRemainingNs: 0,
    lockDebtNs: 0,
    segVm: vm,
    wantsBlock: false,
    preempted: false,
    nvcsw: 0,
    nivcsw: 0,
    migrations: 0,
    runNs: 0,
    lastRanNs: Number.NEGATIVE_INFINITY,
  };
}

/** Masks by list: tasks given the same (read-only) list share one mask. */
const masks = new WeakMap<readonly number[], Uint8Array>();

function cpusMaskOf(allowed: readonly number[]): Uint8Array {
  const hit = masks.get(allowed);
  if (hit !== undefined) return hit;
  const mask = new Uint8Array(allowed.length === 0 ? 0 : Math.max(...allowed) + 1);
  for (const cpu of allowed) mask[cpu] = 1;
  masks.set(allowed, mask);
  return mask;
}

export function allowedOn(task: Task, cpu: number): boolean {
  return task.cpusMask === null || task.cpusMask[cpu] === 1;
}
