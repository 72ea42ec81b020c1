import { describe, expect, it } from 'vitest';
import type { ModelName } from '../../src/model/scenario.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import type { TraceEvent } from '../../src/runtime/trace.ts';
import { drive, small } from './drive.ts';

/**
 * DESIGN.md property 4: live XState actors and the fast executor run the same machine definitions and must
 * give identical metrics and an identical trace. Kept small: the XState executor is ~10x slower.
 */
const shapes: { vms: number; instances: number; durationS: number }[] = [
  { vms: 1, instances: 1, durationS: 0.01 },
  { vms: 4, instances: 1, durationS: 0.008 },
  { vms: 6, instances: 2, durationS: 0.005 },
];
const models: ModelName[] = ['per-device', 'per-cpu'];
const seeds = [1, 7];

const cases = models.flatMap((model) =>
  shapes.flatMap((shape) => seeds.map((seed) => ({ model, seed, ...shape }))),
);

describe('fast executor == XState executor', () => {
  it.each(cases)(
    '$model, $vms VMs x $instances instances, seed $seed',
    ({ model, vms, instances, durationS, seed }) => {
      const run = (executor: 'fast' | 'xstate') => {
        const trace: TraceEvent[] = [];
        const s = small(model, vms, { instances, seed, durationS, warmupS: 0.002 });
        const result = runScenario(s, { executor, onTrace: (ev) => trace.push(ev) });
        return { result, trace };
      };
      const fast = run('fast');
      const live = run('xstate');
      expect(fast.trace.length).toBeGreaterThan(200);
      expect(fast.result.metrics.throughput.value).toBeGreaterThan(0);
      expect(live.trace.length).toBe(fast.trace.length);
      // Find the first divergence before the whole-array compare, for a readable failure.
      const i = fast.trace.findIndex((ev, k) => JSON.stringify(ev) !== JSON.stringify(live.trace[k]));
      expect(
        i,
        i >= 0 ? `first divergence at ${i}: ${JSON.stringify([fast.trace[i], live.trace[i]])}` : '',
      ).toBe(-1);
      expect(live.trace).toEqual(fast.trace);
      expect(live.result.metrics).toEqual(fast.result.metrics);
      expect(live.result.events).toBe(fast.result.events);
    },
  );
});

describe('fast executor == XState executor, block I/O', () => {
  it('BLOCK over multi-worker (shared and per-pair): identical metrics and trace', () => {
    for (const vqMap of ['shared', 'per-pair'] as const) {
      const run = (executor: 'fast' | 'xstate') => {
        const trace: TraceEvent[] = [];
        const s = small('multi-worker', 1, { instances: 2, durationS: 0.001, warmupS: 0.0005 });
        Object.assign(s, { vcpusPerVm: 2, queuePairs: 2 });
        Object.assign(s.policy, { workersPerDevice: 2, vqMap, taskMode: 'vhost_task' });
        Object.assign(s.workload, { kind: 'BLOCK', iodepth: 4 });
        const result = runScenario(s, { executor, onTrace: (ev) => trace.push(ev) });
        return { result, trace };
      };
      const fast = run('fast');
      const live = run('xstate');
      expect(fast.trace.length).toBeGreaterThan(200);
      expect(live.trace).toEqual(fast.trace);
      expect(live.result.metrics).toEqual(fast.result.metrics);
    }
  });
});

describe('fast executor == XState executor, state by state', () => {
  it.each(models)('%s: every actor context, task and run queue ends identical', (model) => {
    // Periodic balancing (every level, from 1 ms on) and wake-affine are part of the comparison.
    const s = () => small(model, 4, { instances: 2, seed: 3, durationS: 0.006, warmupS: 0.002 });
    const fast = drive(s(), { executor: 'fast' }).sys;
    const live = drive(s(), { executor: 'xstate' }).sys;
    expect(live.keys).toEqual(fast.keys);
    fast.keys.forEach((key, id) => {
      expect(live.executor.stateOf(id), key).toBe(fast.executor.stateOf(id));
      expect(live.executor.read(id), key).toEqual(fast.executor.read(id));
    });
    expect(live.host.tasks).toEqual(fast.host.tasks);
    expect(live.host.rqs).toEqual(fast.host.rqs);
    expect(live.host.works).toEqual(fast.host.works);
    expect(live.kernel.eventsFired).toBe(fast.kernel.eventsFired);
  });
});

describe('fast executor == XState executor, per-cpu dispatch variants', () => {
  // The run-queue key reads the scheduler's state at each pick; requeue and hybrid change where works go.
  const variants = [
    { perCpuKey: 'cpu', perCpuRequeue: 'own', perCpuTxRx: 'hybrid', perCpuOwnWorker: 'when-idle' },
    { perCpuKey: 'works-then-cpu', perCpuRequeue: 'pick', perCpuTxRx: 'split', perCpuOwnWorker: 'never' },
  ] as const;
  it.each(variants)('$perCpuKey, requeue $perCpuRequeue, $perCpuTxRx: identical metrics', (variant) => {
    const run = (executor: 'fast' | 'xstate') => {
      const s = small('per-cpu', 10, { seed: 5, durationS: 0.004, warmupS: 0.001 });
      s.workload.kind = 'UDP_STREAM';
      Object.assign(s.policy, variant);
      return runScenario(s, { executor });
    };
    const fast = run('fast');
    const live = run('xstate');
    expect(fast.metrics.vhost.requeuesPerSec).toBeGreaterThan(0);
    expect(live.metrics).toEqual(fast.metrics);
    expect(live.events).toBe(fast.events);
  });
});

describe('fast executor == XState executor, RX stream', () => {
  it('TCP_MAERTS (the peer streams to the guest), GRO on and off: identical metrics and trace', () => {
    for (const gro of [true, false]) {
      const run = (executor: 'fast' | 'xstate') => {
        const trace: TraceEvent[] = [];
        const s = small('per-cpu', 2, { durationS: 0.002, warmupS: 0.001 });
        s.workload.kind = 'TCP_STREAM';
        s.workload.direction = 'rx';
        s.profile.nic.gro = gro;
        const result = runScenario(s, { executor, onTrace: (ev) => trace.push(ev) });
        return { result, trace };
      };
      const fast = run('fast');
      const live = run('xstate');
      expect(fast.result.metrics.throughput.value).toBeGreaterThan(0);
      expect(live.trace).toEqual(fast.trace);
      expect(live.result.metrics).toEqual(fast.result.metrics);
    }
  });
});
