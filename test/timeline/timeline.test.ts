import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runtime/runScenario.ts';
import {
  type ChromeTrace,
  type ChromeTraceEvent,
  runWithTimeline,
  TRACE_PID,
  traceJson,
} from '../../src/runtime/timeline.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { runCli } from '../cliRun.ts';

/** Top-level busy slices of a core track: a thread from switch-in to switch-out, or an interrupt on an idle core. */
const topLevel = (e: ChromeTraceEvent) =>
  e.pid === TRACE_PID &&
  e.ph === 'X' &&
  (e.cat === 'guest' || e.cat === 'vhost' || (e.cat === 'irq' && e.args?.nested === false));

const track = (e: ChromeTraceEvent) => `${e.pid}/${e.tid}`;

/** Structural checks a Trace Event Format consumer (Perfetto, chrome://tracing) relies on. */
function expectValidTrace(trace: ChromeTrace, cores: number): void {
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  for (const e of trace.traceEvents) {
    expect(typeof e.name).toBe('string');
    expect(['X', 'i', 'M', 'C', 's', 't', 'f']).toContain(e.ph);
    expect(Number.isFinite(e.ts)).toBe(true);
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
    if (e.ph === 'X') expect(e.dur).toBeGreaterThan(0);
    if (e.ph === 'i') expect(e.s).toBe('t');
    // Counters: one numeric series each.
    if (e.ph === 'C') {
      const values = Object.values(e.args ?? {});
      expect(values).toHaveLength(1);
      expect(Number.isFinite(values[0])).toBe(true);
      expect(values[0]).toBeGreaterThanOrEqual(0);
    }
  }
  const tracks = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  const coreTracks = tracks.filter((e) => e.pid === TRACE_PID);
  expect(coreTracks).toHaveLength(cores);
  expect(coreTracks.map((e) => String(e.args?.name))).toEqual(
    Array.from({ length: cores }, (_, cpu) => expect.stringMatching(new RegExp(`^cpu${cpu} `))),
  );
  // Every slice, instant and flow is on a named track (a core's, or a thread's in its VM's process);
  // every process is named.
  const named = new Set(tracks.map(track));
  const processes = new Set(trace.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.pid));
  for (const e of trace.traceEvents) {
    if (e.ph === 'M') continue;
    expect(processes.has(e.pid)).toBe(true);
    if (e.ph !== 'C') expect(named.has(track(e)), `${e.name} on ${track(e)}`).toBe(true);
  }
  // Slices on a track nest: each starts after the enclosing one starts and ends before it ends.
  const byTrack = new Map<string, ChromeTraceEvent[]>();
  for (const e of trace.traceEvents)
    if (e.ph === 'X') byTrack.set(track(e), [...(byTrack.get(track(e)) ?? []), e]);
  const eps = 1e-6;
  for (const slices of byTrack.values()) {
    const open: ChromeTraceEvent[] = [];
    for (const e of slices) {
      while (open.length > 0 && open[open.length - 1].ts + (open[open.length - 1].dur ?? 0) <= e.ts + eps)
        open.pop();
      const parent = open[open.length - 1];
      if (parent) expect(e.ts + (e.dur ?? 0)).toBeLessThanOrEqual(parent.ts + (parent.dur ?? 0) + eps);
      open.push(e);
    }
  }
  // Flows are matched: one start, steps, one end, in time order, each inside a slice of its track.
  const flows = new Map<number, ChromeTraceEvent[]>();
  for (const e of trace.traceEvents)
    if (e.ph === 's' || e.ph === 't' || e.ph === 'f')
      flows.set(e.id as number, [...(flows.get(e.id as number) ?? []), e]);
  for (const [id, steps] of flows) {
    expect(steps.map((e) => e.ph).join(''), `flow ${id}`).toMatch(/^st*f$/);
    for (let i = 1; i < steps.length; i++) expect(steps[i].ts).toBeGreaterThanOrEqual(steps[i - 1].ts);
    for (const e of steps) {
      const inside = (byTrack.get(track(e)) ?? []).some(
        (x) => x.ts <= e.ts + eps && e.ts <= x.ts + (x.dur ?? 0) + eps,
      );
      expect(inside, `flow ${id} ${e.ph} at ${e.ts} on ${track(e)}`).toBe(true);
    }
  }
}

describe('per-core timeline (Chrome Trace Event / Perfetto JSON)', () => {
  for (const model of ['per-device', 'per-cpu'] as const) {
    it(`${model}: valid structure, busy slices match CPU accounting, metrics unchanged`, () => {
      const scenario = resolveScenario({ model, vms: 2, durationS: 0.01, warmupS: 0.002 });
      const run = runWithTimeline(scenario);
      const cores = scenario.profile.cpu.sockets * scenario.profile.cpu.coresPerSocket;
      expectValidTrace(run.trace, cores);
      // Observing does not perturb: same metrics as a plain run.
      expect(run.metrics).toEqual(runScenario(scenario).metrics);

      // It also survives a JSON round trip as written to disk.
      const parsed = JSON.parse(traceJson(run.trace)) as ChromeTrace;
      expect(parsed.traceEvents).toHaveLength(run.trace.traceEvents.length);

      // Busy time per core from the trace equals the run's CPU accounting (non-idle categories).
      const windowNs = scenario.durationS * 1e9;
      const busyFromTrace = new Array<number>(cores).fill(0);
      for (const e of run.trace.traceEvents) if (topLevel(e)) busyFromTrace[e.tid - 1] += (e.dur ?? 0) * 1000;
      const shares = run.metrics.cpuUtilization * cores * windowNs;
      const total = busyFromTrace.reduce((a, b) => a + b, 0);
      expect(Math.abs(total - shares) / shares).toBeLessThan(0.01);
      // Per core, against the recorder (recorder.cpuNs, non-idle categories).
      expect(run.cpuBusyNs).toHaveLength(cores);
      for (let cpu = 0; cpu < cores; cpu++) {
        const want = run.cpuBusyNs[cpu];
        expect(Math.abs(busyFromTrace[cpu] - want)).toBeLessThanOrEqual(0.01 * want + 1);
      }

      const names = new Set(run.trace.traceEvents.map((e) => e.name));
      for (const n of ['context switch', 'kick', 'interrupt injection', 'NIC interrupt', 'transaction'])
        expect(names).toContain(n);
      for (const n of ['busy cores', 'nr_running cpu0', 'ring vm0.dev0.tx', 'ring vm1.dev0.rx'])
        expect(names).toContain(n);
      // One TCP_RR instance per VM: about one complete flow per transaction.
      const flows = run.trace.traceEvents.filter((e) => e.ph === 'f').length;
      const txns = run.metrics.throughput.value * scenario.durationS;
      expect(flows).toBeGreaterThan(0.9 * txns);
      expect(flows).toBeLessThanOrEqual(txns + 2 * scenario.vms);
      // Each VM's threads have their own tracks, with the same slices as on the cores.
      const onCores = run.trace.traceEvents.filter(
        (e) => e.pid === TRACE_PID && (e.cat === 'guest' || e.cat === 'vhost'),
      );
      const onThreads = run.trace.traceEvents.filter((e) => e.pid !== TRACE_PID && e.ph === 'X');
      expect(onThreads).toHaveLength(onCores.length);
      const work = run.trace.traceEvents.find((e) => e.cat === 'vhost-work');
      expect(work?.args).toHaveProperty('vm');
      const kicks = run.trace.traceEvents
        .filter((e) => e.name === 'kick')
        .reduce((a, e) => a + Number(e.args?.count), 0);
      expect(kicks).toBe(Math.round(run.metrics.kicksPerSec * scenario.durationS));
    });
  }

  it('--trace-window keeps only that part: every event inside it, the same slices there', () => {
    const scenario = resolveScenario({ vms: 2, durationS: 0.01, warmupS: 0.002 });
    const window = { fromNs: 4_000_000, toNs: 5_000_000 };
    const all = runWithTimeline(scenario).trace;
    const part = runWithTimeline(scenario, { window }).trace;
    expectValidTrace(part, 8);
    const timed = part.traceEvents.filter((e) => e.ph !== 'M');
    expect(timed.length).toBeGreaterThan(0);
    expect(timed.length).toBeLessThan(all.traceEvents.length / 5);
    for (const e of timed) {
      expect(e.ts).toBeGreaterThanOrEqual(4000);
      expect(e.ts + (e.dur ?? 0)).toBeLessThanOrEqual(5000 + 1e-6);
    }
    // A slice wholly inside the window is the same in both.
    const key = (e: ChromeTraceEvent) => JSON.stringify([e.name, e.ts, e.dur, e.pid, e.tid]);
    const inside = new Set(part.traceEvents.filter((e) => e.ph === 'X' && e.ts > 4000).map(key));
    const expected = all.traceEvents.filter((e) => e.ph === 'X' && e.ts > 4000 && e.ts + (e.dur ?? 0) < 5000);
    for (const e of expected) expect(inside.has(key(e))).toBe(true);
  });

  it('vhost-sim run --trace FILE writes the trace (2-VM TCP_RR, one track per core)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-trace-'));
    const file = join(dir, 'trace.json');
    const out = await runCli([
      'run',
      '--vms',
      '2',
      '--duration',
      '0.01',
      '--warmup',
      '0.002',
      '--trace',
      file,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('perfetto');
    const trace = JSON.parse(readFileSync(file, 'utf8')) as ChromeTrace;
    expectValidTrace(trace, 8);
  });
});
