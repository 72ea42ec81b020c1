/**
 * How big a run or a sweep is before it starts (issue 22 item 5): runs, kernel events, wall time and
 * memory. Events come from a short probe of the real simulation (it builds the scenario and fires its
 * first events; events per virtual second are read off it and scaled to the whole work). Wall time per
 * event cannot be read off a probe: the first events of a process run before the JIT has compiled the
 * hot paths and cost 10–20 times more (measured: 40–76 µs per event in the first second, 5.8–6.6 µs
 * after it, at load 15). So the machine's present speed is read off the bench's hand-written event loop
 * (heapLoop.ts, which compiles at once) and divided by the executor's measured share of it. The wall clock
 * is passed in (simulation code never reads it); the estimate is "at the machine's present load".
 */
import { totalmem } from 'node:os';
import type { Scenario } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { SimSystem } from '../runtime/system.ts';
import { heapLoop } from './heapLoop.ts';
import { estimatedWork } from './pool.ts';

/** What one probe of a scenario measured. */
export interface Probe {
  /** Kernel events per virtual second over the probe (the run's start included). */
  eventsPerS: number;
  /** Heap the built and started simulation took (bytes; at least 0, a rough reading). */
  heapBytes: number;
  /** The probe ran the whole scenario: its event count is exact. */
  whole: boolean;
  events: number;
  /** Wall milliseconds its events took: cold code, so an upper bound on what they cost later. */
  wallMs: number;
}

export interface ProbeOptions {
  executor?: ExecutorKind;
  /** Wall-clock milliseconds. */
  now: () => number;
  /** Stop after this many events (default 100,000) or this much wall time (default 300 ms). */
  maxEvents?: number;
  maxWallMs?: number;
}

const heapUsed = () => process.memoryUsage().heapUsed;
const SLICE = 1024;

/** Build `s`, fire its first events in slices (bounded by count and wall time), and measure. */
export function probeScenario(s: Scenario, o: ProbeOptions): Probe {
  const maxEvents = o.maxEvents ?? 100_000;
  const maxWallMs = o.maxWallMs ?? 300;
  const h0 = heapUsed();
  const sys = new SimSystem(s, { executor: o.executor });
  sys.start();
  const heapBytes = Math.max(0, heapUsed() - h0);
  const endNs = Math.round((s.warmupS + s.durationS) * 1e9);
  const k = sys.kernel;
  const t0 = o.now();
  let whole = false;
  while (!whole && k.eventsFired < maxEvents && o.now() - t0 < maxWallMs) {
    for (let i = 0; i < SLICE; i++) {
      const next = k.nextAtNs;
      if (next === null || next > endNs) {
        whole = true;
        break;
      }
      k.step();
    }
  }
  const events = k.eventsFired;
  const wallMs = o.now() - t0;
  const virtualS = whole ? s.warmupS + s.durationS : k.nowNs / 1e9;
  return { eventsPerS: virtualS > 0 ? events / virtualS : 0, heapBytes, whole, events, wallMs };
}

/**
 * The executors' speed as a share of the hand-written loop's events per second on the same machine:
 * fast 0.25 (measured 0.19–0.31 over the bench's rounds, docs/performance.md), XState 38 times slower
 * than fast (measured 33–44x, same page).
 */
export const SHARE_OF_LOOP: Record<ExecutorKind, number> = { fast: 0.25, xstate: 0.25 / 38 };
/**
 * Booting a worker thread (module loading, JIT warm-up) costs about this many wall seconds before its
 * first run (docs/performance.md: ≈ 1–1.5 s of booting in the CLI and in each worker thread, idle).
 */
export const THREAD_BOOT_S = 1.5;

/** The machine's present speed: events per second of the hand-written loop, best of two short rounds. */
export function loopSpeed(now: () => number): number {
  return Math.max(heapLoop(64, 200_000, now).eventsPerSec, heapLoop(64, 200_000, now).eventsPerSec);
}

/** A thread of the worker pool costs about this much memory before its simulation (the audit's reading). */
export const THREAD_BYTES = 75 * 2 ** 20;
/**
 * What a finished run keeps in memory until the sweep ends: its scalar metrics (the CLI's sweeps stream
 * the rest to the journal). Measured 2.4 KB (x3650-m2) and 2.8 KB (2x64, 128 cores) per run held after a
 * 200-run sweep; 8 KB leaves room for bigger metrics (an assumption, range 2–10 KB).
 */
export const RESULT_BYTES = 8 * 2 ** 10;

export interface WorkEstimate {
  runs: number;
  events: number;
  /** Wall seconds on one job at the present load. */
  oneJobS: number;
  /** Wall seconds on `jobs` jobs (no faster than the machine's cores allow). */
  wallS: number;
  jobs: number;
  /** Peak memory: the threads, a simulation on each, and every result kept until the end. */
  memoryBytes: number;
  /** Every probe ran its scenario whole: the work is small and the events exact. */
  exact: boolean;
  /**
   * How the figures were had: `measured` (probes and the loop's speed), `probe-bound` (the probes' own
   * cold speed, an upper bound, as it was below `quickBelowS`), `work-bound` (no probe: the work is below
   * SMALL_WORK, bounded by MAX_EVENTS_PER_WORK and COLD_EVENT_S).
   */
  basis: 'measured' | 'probe-bound' | 'work-bound';
}

export interface EstimateOptions extends ProbeOptions {
  reps: number;
  /** Jobs asked for, and the cores there are: `wallS` divides by the smaller. */
  jobs: number;
  cores: number;
  /**
   * Work that is surely shorter than this (wall seconds) is not measured closely: its bound is the
   * estimate. Unset: always measured (`--estimate`). The close measurement costs about a second.
   */
  quickBelowS?: number;
}

/**
 * Kernel events per VM x instance x virtual second are at most this (an assumption with a margin of 2:
 * measured 38,000–985,000 over every workload at 1 and 4 VMs x 1 and 4 instances, BLOCK the most).
 */
export const MAX_EVENTS_PER_WORK = 2e6;
/**
 * An event costs at most this many wall seconds, cold code included (measured: 6–84 µs an event over
 * whole 12 ms runs at load 27, the first events dearest; a margin of 2 and more for a loaded machine).
 */
export const COLD_EVENT_S = 200e-6;
/** Work (VMs x instances x virtual seconds, summed over runs) this small is bounded without a probe. */
export const SMALL_WORK = 0.02;

/**
 * The work of running every scenario `reps` times. One probe per workload kind, of its biggest point
 * (by `estimatedWork`); the other points of that kind are scaled by their `estimatedWork` (events grow
 * with the instances and the virtual time).
 */
export function estimateWork(scenarios: readonly Scenario[], o: EstimateOptions): WorkEstimate {
  const runs = scenarios.length * o.reps;
  const jobs = Math.max(1, Math.min(o.jobs, runs));
  const boot = jobs > 1 ? THREAD_BOOT_S : 0;
  const threads = jobs > 1 ? jobs * THREAD_BYTES : 0;
  const parallel = Math.max(1, Math.min(jobs, o.cores));
  const timed = (events: number, perEvent: number) => ({
    oneJobS: events * perEvent,
    wallS: boot + (events * perEvent) / parallel,
  });
  const results = runs * RESULT_BYTES;
  if (o.quickBelowS !== undefined) {
    // Obviously small: bounded without building anything.
    const work = scenarios.reduce((a, s) => a + estimatedWork(s), 0) * o.reps;
    const events = work * MAX_EVENTS_PER_WORK;
    const t = timed(events, COLD_EVENT_S);
    if (work <= SMALL_WORK && t.wallS < o.quickBelowS) {
      return {
        runs,
        events: Math.round(events),
        ...t,
        jobs,
        memoryBytes: threads + results,
        exact: false,
        basis: 'work-bound',
      };
    }
  }
  const byKind = new Map<string, Scenario[]>();
  for (const s of scenarios) {
    const list = byKind.get(s.workload.kind);
    if (list) list.push(s);
    else byKind.set(s.workload.kind, [s]);
  }
  let events = 0;
  let heap = 0;
  let exact = true;
  let coldPerEvent = 0;
  for (const list of byKind.values()) {
    const biggest = list.reduce((a, s) => (estimatedWork(s) > estimatedWork(a) ? s : a), list[0]);
    const p = probeScenario(biggest, o);
    const perWork = p.eventsPerS / (biggest.vms * biggest.workload.instances);
    for (const s of list) {
      const e =
        s === biggest && p.whole
          ? p.events
          : perWork * s.vms * s.workload.instances * (s.warmupS + s.durationS);
      events += e * o.reps;
    }
    exact &&= p.whole && list.length === 1;
    heap = Math.max(heap, p.heapBytes);
    if (p.events > 0) coldPerEvent = Math.max(coldPerEvent, p.wallMs / 1000 / p.events);
  }
  const memoryBytes = threads + jobs * heap + results;
  const bound = timed(events, coldPerEvent);
  if (o.quickBelowS !== undefined && coldPerEvent > 0 && bound.wallS < o.quickBelowS) {
    return { runs, events: Math.round(events), ...bound, jobs, memoryBytes, exact, basis: 'probe-bound' };
  }
  const wallPerEvent = 1 / (loopSpeed(o.now) * SHARE_OF_LOOP[o.executor ?? 'fast']);
  return {
    runs,
    events: Math.round(events),
    ...timed(events, wallPerEvent),
    jobs,
    memoryBytes,
    exact,
    basis: 'measured',
  };
}

const sig = (x: number) => Number(x.toPrecision(2)).toLocaleString('en-US');

/** `1.2 million`, `3.4 billion`: a count people read at a glance. */
export function readableCount(n: number): string {
  if (n < 1e6) return Math.round(n).toLocaleString('en-US');
  if (n < 1e9) return `${sig(n / 1e6)} million`;
  if (n < 1e12) return `${sig(n / 1e9)} billion`;
  return `${sig(n / 1e12)} trillion`;
}

/** `45 s`, `12 min`, `3.5 h`, `40 days`, `3 years`. */
export function readableDuration(s: number): string {
  if (s < 90) return `${sig(s)} s`;
  if (s < 5400) return `${sig(s / 60)} min`;
  if (s < 172_800) return `${sig(s / 3600)} h`;
  if (s < 2 * 31_557_600) return `${sig(s / 86_400)} days`;
  return `${sig(s / 31_557_600)} years`;
}

export const readableBytes = (b: number) =>
  b < 2 ** 30 ? `${sig(b / 2 ** 20)} MB` : `${sig(b / 2 ** 30)} GB`;

/** One line: `90 runs, 150 million events, about 3.3 min on 2 jobs (6.6 min on one) at the present load, about 420 MB`. */
export function describeEstimate(e: WorkEstimate): string {
  const runs = `${e.runs.toLocaleString('en-US')} run${e.runs === 1 ? '' : 's'}`;
  const time =
    e.jobs > 1
      ? `about ${readableDuration(e.wallS)} on ${e.jobs} jobs (${readableDuration(e.oneJobS)} on one)`
      : `about ${readableDuration(e.wallS)}`;
  return `${runs}, ${readableCount(e.events)} events, ${time} at the present load, about ${readableBytes(e.memoryBytes)} of memory`;
}

/** Memory the machine has: a sweep estimated above it is refused (it would be killed, or swap for days). */
export const machineMemory = () => totalmem();
