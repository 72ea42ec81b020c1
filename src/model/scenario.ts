import type { Profile } from './profile.ts';

export type ModelName = 'per-device' | 'per-cpu';
export type WorkloadKind = 'TCP_RR';

export interface WorkloadSpec {
  kind: WorkloadKind;
  /** netperf instances per VM (concurrent closed-loop connections). */
  instances: number;
  requestBytes: number;
  responseBytes: number;
}

/** A fully resolved scenario: what `runScenario` takes and what every result records. */
export interface Scenario {
  model: ModelName;
  workload: WorkloadSpec;
  vms: number;
  vcpusPerVm: number;
  devicesPerVm: number;
  durationS: number;
  warmupS: number;
  seed: number;
  /** Affinity of vCPU threads: `node` binds them to the VM's memory node (numactl --cpunodebind). */
  pinning: { vcpu: 'none' | 'node' };
  vhost: VhostTunables;
  ringSize: number;
  profile: Profile;
}

export interface VhostTunables {
  /** VHOST_NET_PKT_WEIGHT: packets a handler may move before requeueing itself. */
  weightPkts: number;
  /** VHOST_NET_WEIGHT: bytes a handler may move before requeueing itself. */
  byteWeight: number;
}
