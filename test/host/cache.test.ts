import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enterVm, newCacheState, warmth } from '../../src/host/cache.ts';
import { VmLru } from '../../src/host/vmLru.ts';
import type { CacheSpec } from '../../src/model/profile.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';

const spec: CacheSpec = { model: 'address-space', l2KiB: 256, llcKiB: 512, workingSetKiB: 128, pcid: false };
const costs = {
  ...defaultScenario().profile.costs,
  cacheRefillNs: 3_000,
  memRefillNs: 12_000,
  tlbRefillNs: 1_000,
};
/** Two sockets of two cores: cpus 0,1 share LLC 0; cpus 2,3 share LLC 1. L2 holds 2 VMs, L3 holds 4. */
const state = () => newCacheState(spec, [0, 0, 1, 1], 8);

describe('cache and TLB by address space (src/host/cache.ts)', () => {
  it('sizes each LRU by how many working sets fit', () => {
    const c = state();
    expect(c.coreCap).toBe(2);
    expect(c.llcCap).toBe(4);
    expect(newCacheState({ ...spec, workingSetKiB: 1024 }, [0], 8).coreCap).toBe(1);
  });

  it('a vCPU and its own vhost thread share warm state: no refill, no TLB flush', () => {
    const c = state();
    enterVm(c, spec, costs, 0, 5, false); // vm5's vCPU runs on cpu0 (cold start)
    expect(enterVm(c, spec, costs, 0, 5, true)).toEqual({ ns: 0, tlbFlush: false }); // its vhost thread
    expect(enterVm(c, spec, costs, 0, 5, false)).toEqual({ ns: 0, tlbFlush: false }); // and back
  });

  it("a shared worker's VM change pays the CR3 write's TLB refill and the cold data", () => {
    const c = state();
    enterVm(c, spec, costs, 0, 1, false);
    // vm2 never ran on this socket: its data comes from memory.
    expect(enterVm(c, spec, costs, 0, 2, true)).toEqual({ ns: 1_000 + 12_000, tlbFlush: true });
    // vm3 ran on cpu1 (same LLC): from the L3.
    enterVm(c, spec, costs, 1, 3, false);
    expect(enterVm(c, spec, costs, 0, 3, true)).toEqual({ ns: 1_000 + 3_000, tlbFlush: true });
    // Across sockets the L3 does not help.
    expect(enterVm(c, spec, costs, 2, 3, true).ns).toBe(12_000);
  });

  it('a vCPU thread loses no guest translations on a host CR3 write (VPID); the flush is still counted', () => {
    const c = state();
    enterVm(c, spec, costs, 0, 1, true);
    enterVm(c, spec, costs, 1, 2, true);
    expect(enterVm(c, spec, costs, 0, 2, false)).toEqual({ ns: 3_000, tlbFlush: true });
  });

  it('with PCID an mm switch flushes nothing', () => {
    const c = newCacheState({ ...spec, pcid: true }, [0, 0, 1, 1], 8);
    enterVm(c, { ...spec, pcid: true }, costs, 0, 1, true);
    expect(enterVm(c, { ...spec, pcid: true }, costs, 0, 2, true).tlbFlush).toBe(false);
  });

  it('without an mm switch (one process maps every guest) only the data is paid', () => {
    const c = state();
    enterVm(c, spec, costs, 0, 1, true);
    expect(enterVm(c, spec, costs, 0, 2, true, false)).toEqual({ ns: 12_000, tlbFlush: false });
  });

  it('a kernel thread with no mm borrows the loaded one and touches no VM', () => {
    const c = state();
    enterVm(c, spec, costs, 0, 1, true);
    expect(enterVm(c, spec, costs, 0, -1, true)).toEqual({ ns: 0, tlbFlush: false });
    expect(c.loadedMm[0]).toBe(1);
    expect(enterVm(c, spec, costs, 0, 1, true).ns).toBe(0);
  });

  it('VmLru keeps the list a by-definition LRU would (most recent first, at most cap) and knows who it holds', () => {
    // The reference: remove the VM wherever it is, put it in front, drop whatever exceeds the capacity.
    const reference = (lru: number[], vm: number, cap: number) =>
      [vm, ...lru.filter((x) => x !== vm)].slice(0, cap);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        // Ids past the table's size (4) make it grow.
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 60 }),
        (cap, vms) => {
          const lru = new VmLru(cap, 4);
          let expected: number[] = [];
          for (const vm of vms) {
            lru.touch(vm);
            expected = reference(expected, vm, cap);
            expect(lru.list).toEqual(expected);
            for (let id = 0; id <= 9; id++) expect(lru.has(id)).toBe(expected.includes(id));
          }
        },
      ),
    );
  });

  it('the LRU evicts the least recently used working set, L2 first, then the L3', () => {
    const lru = new VmLru(2, 8);
    for (const vm of [1, 2, 1, 3]) lru.touch(vm);
    expect(lru.list).toEqual([3, 1]);
    const c = state();
    for (const vm of [1, 2, 3]) enterVm(c, spec, costs, 0, vm, true);
    expect(warmth(c, 0, 3)).toBe('core');
    expect(warmth(c, 0, 1)).toBe('llc'); // out of the L2 (2 sets), still in the L3 (4 sets)
    for (const vm of [4, 5]) enterVm(c, spec, costs, 0, vm, true);
    expect(warmth(c, 0, 1)).toBe('memory'); // out of the L3 too
    expect(warmth(c, 1, 5)).toBe('llc'); // the other core of the socket shares the L3
  });
});

describe('the cache model in a run', () => {
  const perCpu = (vms: number) => {
    const s = defaultScenario();
    s.model = 'per-cpu';
    s.vms = vms;
    s.durationS = 0.02;
    s.warmupS = 0.005;
    return s;
  };

  it('shared workers moving between VMs flush TLBs; PCID removes the flushes', () => {
    const a = runScenario(perCpu(8)).metrics.hostCosts;
    expect(a.tlbFlushesPerSec).toBeGreaterThan(0);
    const s = perCpu(8);
    s.profile.cache.pcid = true;
    expect(runScenario(s).metrics.hostCosts.tlbFlushesPerSec).toBe(0);
  });

  it('a dearer refill from the L3 costs the per-CPU design throughput', () => {
    const cheap = perCpu(8);
    cheap.profile.costs.cacheRefillNs = 0;
    const dear = perCpu(8);
    dear.profile.costs.cacheRefillNs = 20_000;
    expect(runScenario(dear).metrics.throughput.value).toBeLessThan(
      runScenario(cheap).metrics.throughput.value,
    );
  });
});
