import { describe, expect, it } from 'vitest';
import { guestChainNs, MAX_SKB_FRAGS, txChain, vhostChainNs } from '../../src/model/descriptors.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

const old = { headerInline: false, indirectDesc: true };

describe('TX descriptor chains', () => {
  it('by hand: header + linear part + page fragments; indirect takes one slot', () => {
    expect(txChain(1, old)).toEqual({ descs: 2, indirect: true, slots: 1 });
    expect(txChain(1, { headerInline: true, indirectDesc: true })).toEqual({
      descs: 1,
      indirect: false,
      slots: 1,
    });
    expect(txChain(1, { headerInline: false, indirectDesc: false })).toEqual({
      descs: 2,
      indirect: false,
      slots: 2,
    });
    // 4096 + 2 pages: header, linear, 2 fragments
    expect(txChain(3 * 4096, { headerInline: false, indirectDesc: false }).descs).toBe(4);
    expect(txChain(1 << 20, old).descs).toBe(2 + MAX_SKB_FRAGS);
  });

  it('costs: per descriptor plus the indirect table on each side', () => {
    const c = defaultScenario().profile.costs;
    const chain = txChain(1, old);
    expect(guestChainNs(chain, c)).toBe(2 * c.guestDescNs + c.guestIndirectNs);
    expect(vhostChainNs(chain, c)).toBe(2 * c.vhostDescNs + c.vhostIndirectNs);
  });

  it('mechanism: with the header inline a TCP_RR transaction takes less time (fewer descriptors on both sides)', () => {
    const run = (headerInline: boolean) =>
      runScenario(resolveScenario({ durationS: 0.05, warmupS: 0.01, guest: { headerInline } })).metrics;
    const before = run(false);
    const after = run(true);
    expect(after.latencyUs.mean).toBeLessThan(before.latencyUs.mean as number);
    expect(after.throughput.value).toBeGreaterThan(before.throughput.value);
  });

  it('mechanism: without indirect descriptors a small packet takes two slots, so a burst fills the ring sooner (the guest stops its queue more often)', () => {
    const run = (indirectDesc: boolean) =>
      runScenario(
        resolveScenario({
          durationS: 0.01,
          warmupS: 0.002,
          ringSize: 64,
          guest: { indirectDesc },
          workload: { kind: 'UDP_STREAM', messageBytes: 64 },
        }),
      ).metrics.guestTx.queueStopsPerSec;
    expect(run(false)).toBeGreaterThan(run(true));
  });
});
