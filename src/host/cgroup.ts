import type { CgroupSpec } from '../model/profile.ts';

/**
 * cgroup_mutex as Linux 3.6 takes it: one global mutex (`cgroup_lock()` in `cgroup_attach_task_all()`,
 * New-B/Linux3.6:kernel/cgroup.c) that every attach holds while it walks every hierarchy, including
 * the RCU grace period each `cgroup_attach_task()` waits for (`synchronize_rcu()`). A thread that finds it
 * held sleeps in `mutex_lock()` until the holder hands it over, in arrival order.
 */
export interface CgroupMutex {
  /** Task holding cgroup_mutex, or -1. */
  holder: number;
  /** Tasks sleeping in mutex_lock(), first come first. */
  waiters: number[];
}

export function newCgroupMutex(): CgroupMutex {
  return { holder: -1, waiters: [] };
}

/** mutex_lock(): true if `tid` now holds it; false if it must sleep until handed the mutex. */
export function lockCgroup(m: CgroupMutex, tid: number): boolean {
  if (m.holder < 0) {
    m.holder = tid;
    return true;
  }
  m.waiters.push(tid);
  return false;
}

/** mutex_unlock() by the holder: the first waiter (returned, or -1) now holds it and must be woken. */
export function unlockCgroup(m: CgroupMutex, tid: number): number {
  if (m.holder !== tid) throw new Error(`cgroup_mutex unlocked by task ${tid}, held by ${m.holder}`);
  m.holder = m.waiters.shift() ?? -1;
  return m.holder;
}

/**
 * What one `cgroup_attach_task_all()` of a thread costs: `cgroup_attach_task()` once per hierarchy, each
 * with its CPU work and an RCU grace period. `cpuset_can_attach()` (New-B/Linux3.6:kernel/cpuset.c)
 * returns -EINVAL for a PF_THREAD_BOUND kthread (one pinned with `kthread_bind()`), so for a bound
 * thread the cpuset hierarchy's attach fails at once, before any grace period, and its cpuset stays.
 * (We take the cpuset hierarchy to be walked last, so the thread is still moved in the others, and the
 * CPU controller accounts its time to the VM.)
 */
export function attachCost(
  spec: CgroupSpec,
  attachNs: number,
  bound: boolean,
): { cpuNs: number; graceNs: number; refused: boolean } {
  const moved = bound && spec.cpuset ? Math.max(0, spec.hierarchies - 1) : spec.hierarchies;
  return {
    cpuNs: spec.hierarchies * attachNs,
    graceNs: moved * spec.rcuGraceNs,
    refused: bound && spec.cpuset && spec.hierarchies > 0,
  };
}
