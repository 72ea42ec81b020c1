/**
 * Cost per event by host size: one scenario per child process (`node --import tsx bench/hostCost.ts VMS
 * PROFILE SECONDS`), so the JIT state of one size never colours another's. The child warms up on the same
 * scenario (half the duration), then times three runs in CPU time (user + system of this process: on a
 * shared machine, wall time also counts the time spent waiting for a core) and prints the median as JSON.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SimSystem } from '../src/runtime/system.ts';
import { resolveScenario } from '../src/scenario/resolve.ts';

export interface HostCase {
  vms: number;
  profile: string;
  durationS: number;
}

export interface HostCost extends HostCase {
  events: number;
  cpuNsPerEvent: number;
  wallNsPerEvent: number;
}

function timed(c: HostCase): { events: number; cpuNs: number; wallNs: number } {
  const s = resolveScenario({
    vms: c.vms,
    model: 'per-cpu',
    profile: c.profile,
    durationS: c.durationS,
    warmupS: 0,
  });
  const sys = new SimSystem(s);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  sys.start();
  sys.kernel.run({ untilNs: Math.round(c.durationS * 1e9) });
  const wallNs = (performance.now() - t0) * 1e6;
  const cpu = process.cpuUsage(c0);
  return { events: sys.kernel.eventsFired, cpuNs: (cpu.user + cpu.system) * 1000, wallNs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Warm up, then the median of three timed runs (in this process). */
export function measureHere(c: HostCase): HostCost {
  timed({ ...c, durationS: c.durationS / 2 });
  const runs = [timed(c), timed(c), timed(c)];
  return {
    ...c,
    events: runs[0].events,
    cpuNsPerEvent: Math.round(median(runs.map((r) => r.cpuNs / r.events))),
    wallNsPerEvent: Math.round(median(runs.map((r) => r.wallNs / r.events))),
  };
}

/** One case in a fresh child process. */
export function measureInChild(c: HostCase): HostCost {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, String(c.vms), c.profile, String(c.durationS)],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`hostCost ${c.vms} ${c.profile}: ${r.stderr.slice(0, 300)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [vms, profile, durationS] = process.argv.slice(2);
  console.log(JSON.stringify(measureHere({ vms: Number(vms), profile, durationS: Number(durationS) })));
}
