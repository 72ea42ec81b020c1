import type { Host } from '../host/host.ts';

/** Monotonic counters outside the recorder, read at the window's start and end. */
export interface Counters {
  voluntary: number;
  involuntary: number;
  migrations: number;
  coreSwitches: number;
  picks: number;
  busyPicks: number;
}

export function readCounters(host: Host): Counters {
  const c: Counters = {
    voluntary: 0,
    involuntary: 0,
    migrations: 0,
    coreSwitches: 0,
    picks: host.policy.picks,
    busyPicks: host.policy.busyPicks ?? 0,
  };
  for (const t of host.tasks) {
    c.voluntary += t.nvcsw;
    c.involuntary += t.nivcsw;
    c.migrations += t.migrations;
  }
  for (const rq of host.rqs) c.coreSwitches += rq.switches;
  return c;
}

export function diffCounters(a: Counters, b: Counters): Counters {
  return {
    voluntary: b.voluntary - a.voluntary,
    involuntary: b.involuntary - a.involuntary,
    migrations: b.migrations - a.migrations,
    coreSwitches: b.coreSwitches - a.coreSwitches,
    picks: b.picks - a.picks,
    busyPicks: b.busyPicks - a.busyPicks,
  };
}
