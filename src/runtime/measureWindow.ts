import { type Counters, diffCounters, readCounters } from '../metrics/counters.ts';
import type { SimSystem } from './system.ts';

export interface WindowHooks {
  /** Right after the warm-up's counters are discarded, at the start of the measured window. */
  atStart?: () => void;
  /** At the end of the measured window, accounting brought up to date. */
  atEnd?: () => void;
}

/**
 * Run a built system the way every run is measured: start the workload, run the warm-up, bring every
 * core's accounting up to the boundary and discard what was counted, then run `durationS` and account
 * up to its end. Returns the counters of the measured window and its length.
 */
export function measureWindow(
  sys: SimSystem,
  hooks: WindowHooks = {},
): { counters: Counters; windowNs: number } {
  const warmupNs = Math.round(sys.scenario.warmupS * 1e9);
  const endNs = warmupNs + Math.round(sys.scenario.durationS * 1e9);
  sys.start();
  sys.kernel.run({ untilNs: warmupNs });
  sys.flushAccounting();
  sys.host.recorder.reset(sys.kernel.nowNs);
  hooks.atStart?.();
  const before = readCounters(sys.host);
  sys.kernel.run({ untilNs: endNs });
  sys.flushAccounting();
  hooks.atEnd?.();
  return { counters: diffCounters(before, readCounters(sys.host)), windowNs: endNs - warmupNs };
}
