import type { Scenario } from '../model/scenario.ts';
import { x3650m2 } from './profiles.ts';

/** The default scenario: one VM, one vCPU, one device, one TCP_RR instance, per-device vhost. */
export function defaultScenario(): Scenario {
  return {
    model: 'per-device',
    policy: {
      workersPerDevice: 2,
      vqMap: 'per-vq',
      taskMode: 'vhost_task',
      nprocLimit: 0,
      busyPollUs: 50,
      sidecoresPerNode: 1,
      pmdCores: [],
      rxqAssign: 'cycles',
      autoLb: false,
      autoLbIntervalS: 10,
      autoLbLoadThreshold: 0.95,
      autoLbImprovementThreshold: 0.25,
      autoLbRebalIntervalS: 60,
      perCpuOwnWorker: 'never',
      perCpuKey: 'works',
      perCpuRequeue: 'pick',
      perCpuTxRx: 'split',
    },
    workload: {
      kind: 'TCP_RR',
      instances: 1,
      requestBytes: 1,
      responseBytes: 1,
      messageBytes: 0,
      windowBytes: 262_144,
      gsoBytes: 65_160,
      peer: 'external',
      pairing: 'random',
      arrival: 'poisson',
      ratePerSec: 5_000,
    },
    vms: 1,
    vcpusPerVm: 1,
    devicesPerVm: 1,
    queuePairs: 1,
    durationS: 1,
    warmupS: 0.1,
    seed: 1,
    pinning: { vcpu: 'node' },
    vhost: { weightPkts: 256, byteWeight: 0x80000 },
    guest: { headerInline: false, sndbufBytes: 212_992, txqueuelen: 1000, indirectDesc: true },
    ringSize: 256,
    costDistribution: { kind: 'constant', cv: 0.5 },
    profile: structuredClone(x3650m2),
  };
}
