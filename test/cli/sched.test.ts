import { describe, expect, it } from 'vitest';
import { formatSchedLatency, parseWindow, runWithSched } from '../../src/cli/sched.ts';
import { cpuCount } from '../../src/model/topology.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { runCli } from '../cliRun.ts';

const short = { vms: 2, durationS: 0.01, warmupS: 0.002 };

describe('run --sched (perf sched views)', () => {
  it("latency: a row's switches are the switches out of that thread's core the map shows; the run is unchanged", () => {
    const scenario = resolveScenario(short);
    const fromNs = short.warmupS * 1e9;
    // The map over the whole measured window: another observer of the same run (run-queue curr, not the
    // task's nvcsw/nivcsw counters). A switch out is a line where the thread's core stops showing it.
    // It starts in the warm-up, so the first switch of the measured window has a line before it.
    const window = { fromNs: fromNs / 2, toNs: fromNs + short.durationS * 1e9 + 1 };
    const run = runWithSched(scenario, { window });
    expect(run.metrics).toEqual(runScenario(scenario).metrics);
    const ids = new Map<string, string>();
    for (const l of run.map)
      for (const x of l.legend?.split(', ') ?? []) ids.set(x.split(' => ')[1], x.split(' => ')[0]);
    const outs = new Map<string, number>();
    for (let i = 1; i < run.map.length; i++) {
      if (run.map[i].atNs < fromNs) continue;
      const before = run.map[i - 1].cells[run.map[i].cpu];
      if (before !== '.') outs.set(before, (outs.get(before) ?? 0) + 1);
    }
    for (const row of run.latency) {
      expect(row.switches, row.task).toBeGreaterThan(0);
      expect(row.switches, row.task).toBe(outs.get(ids.get(row.task) ?? '') ?? 0);
      expect(row.maxDelayMs).toBeGreaterThanOrEqual(row.avgDelayMs);
      expect(row.runtimeMs).toBeGreaterThan(0);
    }
    const cs = run.metrics.contextSwitchesPerSec;
    const total = run.latency.reduce((a, r) => a + r.switches, 0);
    expect(total).toBe(Math.round((cs.voluntary + cs.involuntary) * short.durationS));
    const migrations = run.latency.reduce((a, r) => a + r.migrations, 0);
    expect(migrations).toBe(Math.round(run.metrics.migrationsPerSec * short.durationS));
  });

  it('latency: threads crowded on one core wait to run; on an idle host they barely wait', () => {
    const idle = runWithSched(resolveScenario({ ...short, vms: 1 }));
    const crowded = runWithSched(
      resolveScenario({
        ...short,
        vms: 4,
        profile: { cpu: { sockets: 1, coresPerSocket: 1, coresPerLlc: 1 } },
      }),
    );
    const meanDelay = (rows: typeof idle.latency) => rows.reduce((a, r) => a + r.avgDelayMs, 0) / rows.length;
    expect(meanDelay(crowded.latency)).toBeGreaterThan(10 * meanDelay(idle.latency) + 0.001);
    const text = formatSchedLatency(crowded.latency);
    expect(text).toMatch(/^Task +Runtime ms +Switches +Average delay ms +Maximum delay ms/);
    expect(text).toMatch(/^TOTAL: /m);
  });

  it('map: one switching core per line, only it changes, times inside the window, each thread named once', () => {
    const scenario = resolveScenario(short);
    const window = parseWindow('0.003:0.0035');
    const run = runWithSched(scenario, { window });
    const cores = cpuCount(scenario.profile.cpu);
    expect(run.map.length).toBeGreaterThan(5);
    let prev: string[] | undefined;
    const named = new Set<string>();
    for (const line of run.map) {
      expect(line.cells).toHaveLength(cores);
      expect(line.atNs).toBeGreaterThanOrEqual(window.fromNs);
      expect(line.atNs).toBeLessThan(window.toNs);
      if (prev) for (let c = 0; c < cores; c++) if (c !== line.cpu) expect(line.cells[c]).toBe(prev[c]);
      if (prev) expect(line.cells[line.cpu]).not.toBe(prev[line.cpu]);
      for (const l of line.legend?.split(', ') ?? []) {
        const id = l.split(' => ')[0];
        expect(named.has(id)).toBe(false);
        named.add(id);
      }
      for (const c of line.cells) if (c !== '.') expect(named.has(c)).toBe(true);
      prev = line.cells;
    }
  });

  it('CLI: latency and map print; bad --sched and --window values are one line naming the option, exit 2', async () => {
    const base = ['run', '--vms', '2', '--duration', '0.005', '--warmup', '0.001'];
    const [lat, map, csv, badView, badWin, late, lone] = await Promise.all([
      runCli([...base, '--sched', 'latency']),
      runCli([...base, '--sched', 'map', '--window', '0.002:0.0021']),
      runCli([...base, '--sched', 'latency', '--format', 'csv']),
      runCli([...base, '--sched', 'lat']),
      runCli([...base, '--sched', 'map', '--window', '0.2-0.3']),
      runCli([...base, '--sched', 'map', '--window', '5:6']),
      runCli([...base, '--window', '0:1']),
    ]);
    expect(lat.code, lat.stderr).toBe(0);
    expect(lat.stdout).toMatch(/vm0\.vcpu0:\d+ +[\d.]+ ms +\d+ +avg: /);
    expect(map.code, map.stderr).toBe(0);
    expect(map.stdout).toMatch(/^perf sched map: 0.002 s to 0.0021 s/m);
    expect(map.stdout).toMatch(/\*[A-Z]\d .* secs [A-Z]\d => /);
    expect(csv.stdout.split('\n')[0]).toBe(
      'task,tid,runtimeMs,switches,avgDelayMs,maxDelayMs,maxDelayAtS,migrations',
    );
    for (const [out, flag] of [
      [badView, '--sched'],
      [badWin, '--window'],
      [late, '--window'],
      [lone, '--window'],
    ] as const) {
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(out.stderr).toContain(flag);
    }
  });
});
