import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runtime/runScenario.ts';
import {
  type ChromeTrace,
  type ChromeTraceEvent,
  runWithTimeline,
  traceJson,
} from '../../src/runtime/timeline.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Top-level busy slices: a thread from switch-in to switch-out, or an interrupt on an idle core. */
const topLevel = (e: ChromeTraceEvent) =>
  e.ph === 'X' && (e.cat === 'guest' || e.cat === 'vhost' || (e.cat === 'irq' && e.args?.nested === false));

/** Structural checks a Trace Event Format consumer (Perfetto, chrome://tracing) relies on. */
function expectValidTrace(trace: ChromeTrace, cores: number): void {
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  for (const e of trace.traceEvents) {
    expect(typeof e.name).toBe('string');
    expect(['X', 'i', 'M']).toContain(e.ph);
    expect(Number.isFinite(e.ts)).toBe(true);
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
    if (e.ph === 'X') expect(e.dur).toBeGreaterThan(0);
    if (e.ph === 'i') expect(e.s).toBe('t');
  }
  const tracks = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  expect(tracks).toHaveLength(cores);
  expect(new Set(tracks.map((e) => e.tid)).size).toBe(cores);
  expect(tracks.map((e) => String(e.args?.name))).toEqual(
    Array.from({ length: cores }, (_, cpu) => expect.stringMatching(new RegExp(`^cpu${cpu} `))),
  );
  // Every event is on a core's track.
  const tids = new Set(tracks.map((e) => e.tid));
  for (const e of trace.traceEvents) if (e.ph !== 'M') expect(tids.has(e.tid)).toBe(true);
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
      for (const n of ['context switch', 'kick', 'interrupt injection', 'NIC interrupt'])
        expect(names).toContain(n);
      const work = run.trace.traceEvents.find((e) => e.cat === 'vhost-work');
      expect(work?.args).toHaveProperty('vm');
      const kicks = run.trace.traceEvents
        .filter((e) => e.name === 'kick')
        .reduce((a, e) => a + Number(e.args?.count), 0);
      expect(kicks).toBe(Math.round(run.metrics.kicksPerSec * scenario.durationS));
    });
  }

  it('vhost-sim run --trace FILE writes the trace (2-VM TCP_RR, one track per core)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-trace-'));
    const file = join(dir, 'trace.json');
    const out = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          join(ROOT, 'bin', 'vhost-sim.mjs'),
          'run',
          '--vms',
          '2',
          '--duration',
          '0.01',
          '--warmup',
          '0.002',
          '--trace',
          file,
        ],
        { cwd: ROOT, env: { ...process.env, CI: '1' } },
        (err, _stdout, stderr) => resolve({ code: err ? 1 : 0, stderr }),
      );
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('perfetto');
    const trace = JSON.parse(readFileSync(file, 'utf8')) as ChromeTrace;
    expectValidTrace(trace, 8);
  });
});
