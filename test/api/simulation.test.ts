import { describe, expect, it } from 'vitest';
import { runAsync } from '../../src/api/runAsync.ts';
import { Simulation } from '../../src/api/simulation.ts';
import { sweep } from '../../src/api/sweep.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import type { TraceEvent } from '../../src/runtime/trace.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

const scenario = resolveScenario({ vms: 2, model: 'per-cpu', durationS: 0.003, warmupS: 0.001 });
const reference = JSON.parse(JSON.stringify(runScenario(scenario).metrics));
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('Simulation (stepping)', () => {
  it('driven as runScenario drives it (warm-up, reset, the rest), gives runScenario’s metrics', () => {
    const sim = new Simulation(scenario);
    sim.run({ untilNs: sim.warmupEndNs });
    sim.resetMetrics();
    sim.run();
    expect(sim.nowNs).toBe(sim.endNs);
    expect(plain(sim.metrics())).toEqual(reference);
  });

  it('many small runs and single steps partition time: the same metrics as one run', () => {
    const sim = new Simulation(scenario);
    for (let i = 0; i < 50; i++) expect(sim.step()).toBe(true);
    expect(sim.events).toBe(50);
    for (let t = sim.nowNs + 10_000; t < sim.warmupEndNs; t += 10_000) sim.run({ untilNs: t });
    sim.run({ untilNs: sim.warmupEndNs });
    sim.resetMetrics();
    for (let t = sim.warmupEndNs + 7_777; t < sim.endNs; t += 7_777) sim.run({ untilNs: t });
    sim.run();
    expect(plain(sim.metrics())).toEqual(reference);
  });

  it('step fires exactly one event and never moves the clock back', () => {
    const sim = new Simulation(scenario);
    let last = sim.nowNs;
    for (let i = 1; i <= 200; i++) {
      sim.step();
      expect(sim.events).toBe(i);
      expect(sim.nowNs).toBeGreaterThanOrEqual(last);
      last = sim.nowNs;
    }
  });

  it('subscribers see each delivery with the state it left; unsubscribed, they see no more', () => {
    const sim = new Simulation(scenario);
    const seen: TraceEvent[] = [];
    const off = sim.subscribe((ev) => seen.push(ev));
    sim.run({ untilNs: 50_000 });
    expect(seen.length).toBeGreaterThan(0);
    const last = seen.filter((e) => e.kind === 'deliver').at(-1);
    if (last?.kind !== 'deliver') throw new Error('no delivery seen');
    off();
    const n = seen.length;
    // Right after its last delivery (nothing else delivered to it since, or it shows a later state).
    expect(typeof sim.actor(last.actor).state).toBe('string');
    sim.run({ untilNs: 100_000 });
    expect(seen.length).toBe(n);
  });

  it('reads any actor by key; an unknown key is a RangeError naming real keys', () => {
    const sim = new Simulation(scenario);
    expect(sim.actorKeys()).toEqual(expect.arrayContaining(['cpu0', 'nic', 'vm0.vcpu0']));
    sim.run({ untilNs: 20_000 });
    for (const key of sim.actorKeys()) expect(sim.actor(key).key).toBe(key);
    expect(() => sim.actor('cpu99')).toThrow(/no actor 'cpu99' \(e\.g\. cpu0/);
    expect(() => sim.run({ untilNs: 10 })).toThrow(RangeError);
  });
});

describe('runAsync', () => {
  it('gives runScenario’s metrics, with progress that only grows and ends at 1', async () => {
    const fractions: number[] = [];
    const r = await runAsync(scenario, { chunks: 20, onProgress: (p) => fractions.push(p.fraction) });
    expect(plain(r.metrics)).toEqual(reference);
    expect(fractions.length).toBeGreaterThanOrEqual(20);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it('lets the event loop run between chunks', async () => {
    let turns = 0;
    const r = runAsync(scenario, {
      chunks: 10,
      onProgress: () => {
        setImmediate(() => turns++);
      },
    });
    await r;
    expect(turns).toBeGreaterThanOrEqual(9);
  });

  it('an abort stops the run (rejects with the reason); an aborted signal runs nothing', async () => {
    const c = new AbortController();
    let chunks = 0;
    await expect(
      runAsync(scenario, {
        chunks: 50,
        signal: c.signal,
        onProgress: () => {
          if (++chunks === 3) c.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBe(3);
    await expect(runAsync(scenario, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('sweep', () => {
  it('each point is the run of its own scenario', async () => {
    const base = { durationS: 0.002, warmupS: 0.001 };
    const { points, failed } = await sweep({ vmsList: [1, 2], base });
    expect(failed).toEqual([]);
    expect(points.map((p) => `${p.model}@${p.vms}`)).toEqual([
      'per-device@1',
      'per-device@2',
      'per-cpu@1',
      'per-cpu@2',
    ]);
    for (const p of points) expect(plain(p.metrics)).toEqual(plain(runScenario(p.scenario).metrics));
  });
});
