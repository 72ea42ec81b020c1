import { describe, expect, it } from 'vitest';
import { guestChainNs, MAX_SKB_FRAGS, rxBufs, txChain, vhostChainNs } from '../../src/model/descriptors.ts';
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

describe('mergeable RX buffers (VIRTIO_NET_F_MRG_RXBUF)', () => {
  it('by hand: a page per buffer, the 12-byte header in the first; one big buffer without them', () => {
    expect(rxBufs(1, true)).toBe(1);
    expect(rxBufs(4096 - 12, true)).toBe(1);
    expect(rxBufs(4096 - 11, true)).toBe(2);
    expect(rxBufs(65_160, true)).toBe(16);
    expect(rxBufs(65_160, false)).toBe(1);
  });

  const eastWest = (mergeableRxBufs: boolean, ringSize = 256) =>
    resolveScenario({
      vms: 2,
      durationS: 0.02,
      warmupS: 0.01,
      ringSize,
      guest: { mergeableRxBufs },
      workload: { kind: 'TCP_STREAM', peer: 'east-west', pairing: 'neighbor' },
    });

  it('GSO-sized packets received in page buffers cost vhost more per byte', () => {
    const vhostNsPerBit = (s: ReturnType<typeof eastWest>) => {
      const m = runScenario(s).metrics;
      return m.cpuBreakdown.vhost / m.throughput.value;
    };
    expect(vhostNsPerBit(eastWest(true))).toBeGreaterThan(vhostNsPerBit(eastWest(false)));
  });

  it('a ring of two GSO packets of pages still moves data, without drops', () => {
    // 32 pages: two 16-page packets in flight to the guest at most.
    const m = runScenario(eastWest(true, 32)).metrics;
    expect(m.throughput.value).toBeGreaterThan(0);
    expect(m.drops.sockFull).toBe(0);
  });
});
