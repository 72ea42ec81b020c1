import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runtime/runScenario.ts';
import type { TraceEvent } from '../../src/runtime/trace.ts';
import { small } from './drive.ts';

describe('determinism', () => {
  it.each(['per-device', 'per-cpu'] as const)('%s: same scenario and seed -> identical result', (model) => {
    const a = runScenario(small(model, 4, { instances: 2, seed: 42, durationS: 0.02 }));
    const b = runScenario(small(model, 4, { instances: 2, seed: 42, durationS: 0.02 }));
    expect(a.metrics.throughput.value).toBeGreaterThan(0);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('same seed -> identical trace; tracing on or off does not change the result', () => {
    const traces: TraceEvent[][] = [[], []];
    const s = () => small('per-cpu', 3, { seed: 5, durationS: 0.01 });
    const a = runScenario(s(), { onTrace: (ev) => traces[0].push(ev) });
    const b = runScenario(s(), { onTrace: (ev) => traces[1].push(ev) });
    const c = runScenario(s());
    expect(traces[0].length).toBeGreaterThan(100);
    expect(traces[1]).toEqual(traces[0]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).toBe(JSON.stringify(a));
  });

  // Without a trace an actor's messages to itself are queued without their delivery (SimSystem.accept).
  it.each(['per-device', 'per-cpu'] as const)(
    '%s: both executors give the traced result without a trace too',
    (model) => {
      const s = () => small(model, 3, { seed: 7, durationS: 0.004, warmupS: 0.001 });
      const traced = runScenario(s(), { onTrace: () => {} });
      expect(traced.events).toBeGreaterThan(1000);
      for (const executor of ['fast', 'xstate'] as const) {
        expect(JSON.stringify(runScenario(s(), { executor }))).toBe(JSON.stringify(traced));
      }
    },
  );

  it.each(['per-device', 'per-cpu'] as const)('%s: a different seed gives different metrics', (model) => {
    const a = runScenario(small(model, 4, { instances: 2, seed: 1, durationS: 0.02 }));
    const b = runScenario(small(model, 4, { instances: 2, seed: 2, durationS: 0.02 }));
    expect(b.metrics).not.toEqual(a.metrics);
    expect(b.metrics.latencyUs).not.toEqual(a.metrics.latencyUs);
  });

  it('a run does not depend on runs before it (no hidden global state)', () => {
    const first = runScenario(small('per-device', 2, { seed: 3, durationS: 0.01 }));
    runScenario(small('per-cpu', 5, { seed: 9, durationS: 0.01 }));
    const again = runScenario(small('per-device', 2, { seed: 3, durationS: 0.01 }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
  });
});
