import type { CacheSpec, Costs } from '../model/profile.ts';
import { VmLru } from './vmLru.ts';

/**
 * What the caches and TLBs of the host hold, by address space and working set rather than by thread:
 * per core, the VMs whose data (guest memory, rings, buffers, socket) its private L2 holds; per last-level
 * cache, the VMs whose data the shared L3 holds; per core, the address space loaded in CR3. Both caches
 * are LRU lists bounded by how many VM working sets fit (`cache.l2KiB`, `cache.llcKiB`,
 * `cache.workingSetKiB`). A vhost thread runs in its VM's QEMU `mm` (`use_mm()` in `vhost_worker()`,
 * v3.6 drivers/vhost/vhost.c), so it and that VM's vCPUs share both the data and the address space.
 */
export interface CacheState {
  /** coreVms[cpu]: VMs warm in the core's L2, most recent first. */
  readonly coreVms: VmLru[];
  /** llcVms[llc]: VMs warm in the shared L3, most recent first. */
  readonly llcVms: VmLru[];
  /** llcOf[cpu] */
  readonly llcOf: readonly number[];
  /** Address space (VM) whose page tables CR3 holds on each core; -1 = none yet (a kernel thread's lazy TLB keeps the previous one). */
  readonly loadedMm: Int32Array;
  readonly coreCap: number;
  readonly llcCap: number;
}

/** `vms`: how many VMs the host runs (ids 0 to vms - 1), to size the membership tables. */
export function newCacheState(spec: CacheSpec, llcOf: readonly number[], vms: number): CacheState {
  const llcs = llcOf.length === 0 ? 0 : Math.max(...llcOf) + 1;
  const setsIn = (kib: number) => Math.max(1, Math.floor(kib / Math.max(1, spec.workingSetKiB)));
  const coreCap = setsIn(spec.l2KiB);
  const llcCap = setsIn(spec.llcKiB);
  return {
    coreVms: llcOf.map(() => new VmLru(coreCap, vms)),
    llcVms: Array.from({ length: llcs }, () => new VmLru(llcCap, vms)),
    llcOf,
    loadedMm: new Int32Array(llcOf.length).fill(-1),
    coreCap,
    llcCap,
  };
}

/** Where core `cpu` finds `vm`'s data now: its own L2, the shared L3, or memory. */
export function warmth(c: CacheState, cpu: number, vm: number): 'core' | 'llc' | 'memory' {
  if (c.coreVms[cpu].has(vm)) return 'core';
  if (c.llcVms[c.llcOf[cpu]].has(vm)) return 'llc';
  return 'memory';
}

export interface EnterCost {
  ns: number;
  /** The mm switch flushed the TLB (a CR3 write without PCID). */
  tlbFlush: boolean;
}

/**
 * Core `cpu` starts running in `vm`'s address space on `vm`'s data: what that costs on top of the direct
 * switch, given what ran there before; the VM's data is then the most recent on the core and its LLC.
 * `switch_mm()` (v3.6 arch/x86/include/asm/mmu_context.h) writes CR3 only when the mm differs; before
 * PCID that flushes the non-global TLB entries, and the walks to refill them are `tlbRefillNs`. A kernel
 * thread with no mm of its own (vm < 0: a shared worker between works) borrows the loaded one
 * (`enter_lazy_tlb`) and touches no VM's data. `hostMode`: the thread reaches the VM's memory through
 * host page tables (vhost's copy_from_user), not through the guest's (a vCPU). `switchMm` false: one
 * process maps every guest (vhost-user in a userspace switch), so only the data is met cold.
 */
export function enterVm(
  c: CacheState,
  spec: CacheSpec,
  costs: Costs,
  cpu: number,
  vm: number,
  hostMode: boolean,
  switchMm = true,
): EnterCost {
  if (vm < 0) return { ns: 0, tlbFlush: false };
  let ns = 0;
  let tlbFlush = false;
  if (switchMm && c.loadedMm[cpu] !== vm) {
    if (!spec.pcid && c.loadedMm[cpu] >= 0) {
      tlbFlush = true;
      // Guest-mode translations are tagged by VPID and survive a host CR3 write; what a vCPU thread
      // loses is the host's user mappings, which guest code does not use.
      if (hostMode) ns += costs.tlbRefillNs;
    }
    c.loadedMm[cpu] = vm;
  }
  const where = warmth(c, cpu, vm);
  if (where === 'llc') ns += costs.cacheRefillNs;
  else if (where === 'memory') ns += costs.memRefillNs;
  c.coreVms[cpu].touch(vm);
  c.llcVms[c.llcOf[cpu]].touch(vm);
  return { ns, tlbFlush };
}
