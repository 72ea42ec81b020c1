import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ModelName, Scenario } from '../src/model/scenario.ts';
import { SimSystem } from '../src/runtime/system.ts';
import { resolveScenario } from '../src/scenario/resolve.ts';

/**
 * A full GC before reading the heap: `global.gc` when node runs with --expose-gc; otherwise the flag is
 * set at run time and `gc` taken from a fresh context (works on Node 20); undefined if neither works.
 */
function findGc(): { gc: (() => void) | undefined; how: string } {
  const global = (globalThis as { gc?: () => void }).gc;
  if (global !== undefined) return { gc: global, how: '--expose-gc' };
  try {
    setFlagsFromString('--expose-gc');
    return { gc: runInNewContext('gc') as () => void, how: 'v8.setFlagsFromString' };
  } catch {
    return { gc: undefined, how: 'unavailable' };
  }
}

const { gc, how: gcHow } = findGc();

export const gcAvailable = gc !== undefined;
export const gcSource = gcHow;

function heapUsedAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

export interface ScalePoint {
  vms: number;
  model: ModelName;
  durationS: number;
  events: number;
  /** Building the actor system (topology, actors, links, tasks). */
  buildMs: number;
  /** Running `durationS` of virtual time (start offsets, then the kernel). */
  runMs: number;
  /** CPU time (user + system) of the run: what wall time would be on an idle core. */
  runCpuMs: number;
  /** Wall nanoseconds per simulated nanosecond of the run (= wall seconds per simulated second). */
  wallPerSimNs: number;
  wallNsPerEvent: number;
  eventsPerVmPerSimMs: number;
  /** Heap held by the live system after the run, per VM (after a full GC); null without --expose-gc. */
  heapBytesPerVm: number | null;
}

/** The scale-study scenario: TCP_RR, one VM per flow, on the 2 x 64-core profile. */
export function scaleScenario(vms: number, model: ModelName, durationS: number, warmupS = 0): Scenario {
  return resolveScenario({ vms, model, profile: '2x64', durationS, warmupS });
}

/**
 * Build and run one point the way runScenario does (without the summary), timing construction and the
 * run separately, and measure the heap the system holds.
 */
export function scalePoint(scenario: Scenario): ScalePoint {
  const heap0 = heapUsedAfterGc();
  const t0 = performance.now();
  const sys = new SimSystem(scenario);
  const t1 = performance.now();
  const endNs = Math.round((scenario.warmupS + scenario.durationS) * 1e9);
  const cpu0 = process.cpuUsage();
  sys.start();
  sys.kernel.run({ untilNs: endNs });
  sys.flushAccounting();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const heap1 = heapUsedAfterGc();
  // Read after the heap measurement, so the system is still reachable when it is taken.
  const events = sys.kernel.eventsFired;
  const runMs = t2 - t1;
  const simNs = endNs;
  return {
    vms: scenario.vms,
    model: scenario.model,
    durationS: scenario.warmupS + scenario.durationS,
    events,
    buildMs: t1 - t0,
    runMs,
    runCpuMs: (cpu.user + cpu.system) / 1000,
    wallPerSimNs: (runMs * 1e6) / simNs,
    wallNsPerEvent: (runMs * 1e6) / events,
    eventsPerVmPerSimMs: events / scenario.vms / (simNs / 1e6),
    heapBytesPerVm: gc === undefined ? null : (heap1 - heap0) / scenario.vms,
  };
}

/**
 * Least-squares slope of log(run wall time) against log(events): 1 means the wall time grows linearly
 * with the simulated work, above 1 means each event gets dearer as the system grows.
 */
export function logLogSlope(points: { x: number; y: number }[]): number {
  const xs = points.map((p) => Math.log(p.x));
  const ys = points.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}
