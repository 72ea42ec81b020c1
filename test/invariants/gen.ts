import { fc } from '@fast-check/vitest';
import type { Scenario } from '../../src/model/scenario.ts';
import { workloadKinds } from '../../src/model/scenario.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { validateScenario } from '../../src/scenario/schema.ts';

/**
 * fast-check parameters for the invariant properties. The seed is fixed so CI is reproducible; a failure
 * prints `seed` and `path`: replay it with FC_SEED=<seed> FC_PATH=<path>, explore with FC_SEED=random,
 * and run more cases with FC_RUNS=<n>.
 */
export function fcParams<T = never>(defaultRuns: number): fc.Parameters<T> {
  const env = process.env;
  const seed =
    env.FC_SEED === 'random' ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(env.FC_SEED ?? 20_240_508);
  return {
    seed,
    numRuns: Number(env.FC_RUNS ?? defaultRuns),
    ...(env.FC_PATH !== undefined ? { path: env.FC_PATH } : {}),
    endOnFailure: true,
    verbose: 1,
  };
}

const costKeys = Object.keys(defaultScenario().profile.costs) as (keyof Scenario['profile']['costs'])[];

/** A small random, valid scenario: every model input varies, durations are a few virtual milliseconds. */
export const smallScenario: fc.Arbitrary<Scenario> = fc
  .record({
    model: fc.constantFrom('per-device' as const, 'per-cpu' as const),
    vms: fc.integer({ min: 1, max: 6 }),
    instances: fc.integer({ min: 1, max: 3 }),
    vcpus: fc.integer({ min: 1, max: 2 }),
    devices: fc.integer({ min: 1, max: 2 }),
    queuePairs: fc.integer({ min: 1, max: 2 }),
    kind: fc.constantFrom(...workloadKinds),
    peer: fc.constantFrom('external' as const, 'east-west' as const),
    pinning: fc.constantFrom('none' as const, 'node' as const),
    arrival: fc.constantFrom('poisson' as const, 'constant' as const),
    fixedIrq: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 })),
    distribution: fc.constantFrom('constant' as const, 'exponential' as const, 'lognormal' as const),
    // A few costs perturbed: zeroed, halved, doubled or set to a small value.
    perturb: fc.array(
      fc.record({
        key: fc.constantFrom(...costKeys),
        how: fc.constantFrom('zero', 'half', 'double', 'tiny'),
      }),
      { maxLength: 4 },
    ),
    cgroupAttach: fc.constantFrom('charge' as const, 'per-change' as const, 'lazy' as const),
    rcuGraceNs: fc.constantFrom(0, 200_000),
    durationMs: fc.integer({ min: 3, max: 10 }),
    warmupMs: fc.constantFrom(0, 1, 2),
    seed: fc.integer({ min: 0, max: 100_000 }),
  })
  .map((g) => {
    const s = defaultScenario();
    s.model = g.model;
    s.vms = g.vms;
    s.vcpusPerVm = g.vcpus;
    s.devicesPerVm = g.devices;
    s.queuePairs = g.queuePairs;
    s.workload.kind = g.kind;
    s.workload.instances = g.instances;
    s.workload.peer = g.peer;
    s.workload.arrival = g.arrival;
    s.workload.ratePerSec = 20_000;
    s.pinning.vcpu = g.pinning;
    if (g.fixedIrq !== null) {
      s.profile.nic.steering = 'fixed';
      s.profile.nic.irqCpus = g.fixedIrq;
    }
    s.costDistribution = { kind: g.distribution, cv: 0.5 };
    const costs = s.profile.costs as unknown as Record<string, number>;
    for (const { key, how } of g.perturb) {
      const v = costs[key];
      const integer = Number.isInteger(v);
      const next =
        how === 'zero' ? 0 : how === 'half' ? v / 2 : how === 'double' ? v * 2 : integer ? 1 : 0.01;
      // Fractions stay fractions; nanosecond costs stay whole nanoseconds.
      costs[key] = key.endsWith('Fraction') ? Math.min(1, next) : integer ? Math.round(next) : next;
    }
    s.policy.cgroupAttach = g.cgroupAttach;
    s.profile.cgroup.rcuGraceNs = g.rcuGraceNs;
    s.durationS = g.durationMs / 1000;
    s.warmupS = g.warmupMs / 1000;
    s.seed = g.seed;
    return validateScenario(s);
  });

/** One line that identifies a scenario in a failure message. */
export function describeScenario(s: Scenario): string {
  const w = s.workload;
  return `${s.model} vms=${s.vms} vcpus=${s.vcpusPerVm} devs=${s.devicesPerVm} qp=${s.queuePairs} ${w.kind} x${w.instances} ${w.peer} pin=${s.pinning.vcpu} steer=${s.profile.nic.steering}:${s.profile.nic.irqCpus} dist=${s.costDistribution.kind} cgroup=${s.policy.cgroupAttach}/${s.profile.cgroup.rcuGraceNs} dur=${s.durationS} warm=${s.warmupS} seed=${s.seed}`;
}
