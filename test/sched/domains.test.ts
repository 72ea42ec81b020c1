import { describe, expect, it } from 'vitest';
import { buildTopology } from '../../src/model/topology.ts';
import { buildDomains } from '../../src/sched/domains.ts';
import { balanceIntervalNs } from '../../src/sched/loadBalance.ts';

describe('sched domains as 3.6 builds them', () => {
  it('Nehalem-EP (2 x 4, one L3 per socket): MC over the socket, NUMA over both; CPU level degenerate', () => {
    const d = buildDomains(buildTopology({ sockets: 2, coresPerSocket: 4 }), 'reclaim')[5];
    expect(d.map((sd) => sd.level)).toEqual(['MC', 'NUMA']);
    expect(d[0].span).toEqual([4, 5, 6, 7]);
    expect(d[0].groups).toEqual([[5], [6], [7], [4]]); // the owner's group first
    expect(d[1].groups).toEqual([
      [4, 5, 6, 7],
      [0, 1, 2, 3],
    ]);
    expect(d[1].flags.wakeAffine).toBe(true); // distance 21 <= RECLAIM_DISTANCE 30
    expect(d[0].flags.preferSibling).toBe(true); // handed down from the degenerate CPU level
  });

  it("each level's interval from its weight: sd_numa_init min = weight ms, max = 2 x weight", () => {
    for (const [sockets, cores] of [
      [2, 4],
      [2, 64],
      [4, 8],
    ]) {
      const numa = buildDomains(buildTopology({ sockets, coresPerSocket: cores }), 'reclaim')[0].at(-1);
      expect(numa?.level).toBe('NUMA');
      expect(numa?.minIntervalMs).toBe(sockets * cores);
      expect(numa?.maxIntervalMs).toBe(2 * sockets * cores);
      expect(numa?.busyFactor).toBe(32);
      expect(numa?.imbalancePct).toBe(125);
    }
    const [mc] = buildDomains(buildTopology({ sockets: 1, coresPerSocket: 4 }), 'reclaim')[0];
    expect([mc.minIntervalMs, mc.maxIntervalMs, mc.busyFactor, mc.cacheNiceTries, mc.busyIdx]).toEqual([
      1, 4, 64, 1, 2,
    ]);
  });

  it('a busy CPU balances busy_factor times less often, capped at HZ/10 ticks', () => {
    const [mc, numa] = buildDomains(buildTopology({ sockets: 2, coresPerSocket: 4 }), 'reclaim')[0];
    expect(balanceIntervalNs(mc, 'idle', 1_000_000)).toBe(1_000_000);
    expect(balanceIntervalNs(mc, 'notIdle', 1_000_000)).toBe(64_000_000);
    expect(balanceIntervalNs(numa, 'idle', 1_000_000)).toBe(8_000_000);
    expect(balanceIntervalNs(numa, 'notIdle', 1_000_000)).toBe(100_000_000); // 256 ms capped
    expect(balanceIntervalNs(mc, 'idle', 4_000_000)).toBe(4_000_000); // HZ 250: at least a tick
  });

  it('modern: SMT, an L3 per 4 cores, a node level above the caches; REMOTE_DISTANCE drops NUMA wake-affine', () => {
    const topo = buildTopology({ sockets: 2, coresPerSocket: 8, threadsPerCore: 2, coresPerLlc: 4 });
    const d = buildDomains(topo, 'remote')[0];
    expect(d.map((sd) => sd.level)).toEqual(['SMT', 'MC', 'CPU', 'NUMA']);
    expect(d.map((sd) => sd.span.length)).toEqual([2, 8, 16, 32]);
    expect(d[1].groups[0]).toEqual([0, 1]); // LLC groups are cores
    expect(d[3].flags.wakeAffine).toBe(false); // 21 > REMOTE_DISTANCE 20
    expect(d[2].flags.preferSibling).toBe(true);
  });
});
