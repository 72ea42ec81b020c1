import type { Profile } from './profile.ts';

/**
 * The built-in threading models, the values of `scenario.model`.
 *
 * @example
 * ```ts
 * import { modelNames, resolveScenario, runScenario } from 'vhost-sim';
 *
 * for (const model of modelNames) {
 *   const { metrics } = runScenario(resolveScenario({ model, vms: 2, durationS: 0.002, warmupS: 0.001 }));
 *   console.log(model, metrics.throughput.value);
 * }
 * ```
 */
export const modelNames = ['per-device', 'per-cpu', 'multi-worker', 'busy-poll', 'sidecore', 'pmd'] as const;
export type ModelName = (typeof modelNames)[number];

/** Options of the later threading models; each model reads only its own. */
export interface PolicyOptions {
  /** multi-worker: workers per device (VHOST_NEW_WORKER), and the device's vq -> worker map. */
  workersPerDevice: number;
  /**
   * `shared`: one worker for every vq; `per-vq`: vq i on worker i; `per-pair`: both vqs of queue pair q on
   * worker q (a block device's request queue and its completion work, as vhost-scsi attaches them); or a
   * list: vq i on worker map[i].
   */
  vqMap: 'shared' | 'per-vq' | 'per-pair' | number[];
  /** multi-worker: `vhost_task` workers count against the VM process's thread limit; kthreads cannot be added. */
  taskMode: 'kthread' | 'vhost_task';
  /** RLIMIT_NPROC for a VM's process (its vCPU and vhost_task threads); 0 = unlimited. */
  nprocLimit: number;
  /** busy-poll: busyloop_timeout in µs (QEMU tap `poll-us`). */
  busyPollUs: number;
  /** sidecore: dedicated I/O cores per NUMA node (the last cores of each node). */
  sidecoresPerNode: number;
  /** pmd: cores of the PMD threads (pmd-cpu-mask); empty = the last core of each node. */
  pmdCores: number[];
  /** pmd: other_config:pmd-rxq-assign. */
  rxqAssign: 'roundrobin' | 'cycles' | 'group';
  /** pmd: pmd-auto-lb and its thresholds (OVS defaults). */
  autoLb: boolean;
  autoLbIntervalS: number;
  autoLbLoadThreshold: number;
  autoLbImprovementThreshold: number;
  autoLbRebalIntervalS: number;
  /**
   * per-cpu: may the worker of the CPU a work is queued from take it? `never` (the RFC: "not on the same
   * CPU"), `when-idle` (only while it has no work queued), `always` (it competes like any other).
   */
  perCpuOwnWorker: 'never' | 'when-idle' | 'always';
  /**
   * per-cpu: what "idlest" means. `works`: fewest works queued on or running in the worker; `cpu`: the
   * shortest run queue of the worker's CPU (nr_running, the running thread included), then fewest works;
   * `works-then-cpu`: fewest works, then the shortest run queue (docs/dispatch.md).
   */
  perCpuKey: 'works' | 'cpu' | 'works-then-cpu';
  /**
   * per-cpu: where a work that hit its weight (vhost_exceeds_weight) is requeued: `pick`, a new pick from
   * the worker's CPU; `own`, the tail of the worker that ran it, as a single worker does.
   */
  perCpuRequeue: 'pick' | 'own';
  /**
   * per-cpu: `split`, a device's TX and RX are picked independently; `hybrid`, dedicated per-device threads
   * while per-device threads would not outnumber the CPUs, and in the shared pool a work joins the worker
   * its queue pair's other direction is on unless both directions are backlogged (docs/dispatch.md).
   */
  perCpuTxRx: 'split' | 'hybrid';
  /**
   * per-cpu: how a shared worker keeps each VM's cgroup charged for the time it runs that VM's work.
   * `per-change`: cgroup_attach_task_all() on every VM change, detached again when idle or preempted (the
   * talk's words); `lazy`: attached on a VM change only, never detached; `charge`: the thread stays where it
   * is and its time is charged to the VM's cgroup. docs/calibration.md argues the default.
   */
  cgroupAttach: 'per-change' | 'lazy' | 'charge';
}
/**
 * The workloads, the values of `scenario.workload.kind`.
 *
 * @example
 * ```ts
 * import { resolveScenario, runScenario, workloadKinds } from 'vhost-sim';
 *
 * for (const kind of workloadKinds) {
 *   const { metrics } = runScenario(resolveScenario({ workload: { kind }, durationS: 0.002, warmupS: 0.001 }));
 *   console.log(kind, metrics.throughput.value, metrics.throughput.unit);
 * }
 * ```
 */
export const workloadKinds = ['TCP_RR', 'UDP_RR', 'TCP_STREAM', 'UDP_STREAM', 'OPEN_RR', 'BLOCK'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

export interface WorkloadSpec {
  /** The netperf test run in each VM (`TCP_RR`, `UDP_RR`, `TCP_STREAM`, `UDP_STREAM`, `OPEN_RR`), or fio (`BLOCK`). */
  kind: WorkloadKind;
  /** netperf instances per VM (concurrent connections, each a flow). */
  instances: number;
  /** RR: request and response payloads. */
  requestBytes: number;
  responseBytes: number;
  /** STREAM: bytes per send() (0 = netperf's default for the workload: 16384 TCP, 1472 UDP). */
  messageBytes: number;
  /** TCP_STREAM: bytes in flight the window allows per connection. */
  windowBytes: number;
  /** Largest virtio buffer: a GSO super-packet (65160), or one MSS (1448) with GSO off. */
  gsoBytes: number;
  /**
   * STREAM: `tx`, the guest sends (netperf TCP_STREAM / UDP_STREAM run in the guest); `rx` (TCP_STREAM
   * only), the external peer sends to the guest (netperf TCP_MAERTS) through the NIC's receive path,
   * vhost's handle_rx and the guest's NAPI, and the guest's TCP ACKs back (src/workloads/rxStream.ts).
   */
  direction: 'tx' | 'rx';
  /** `external`: the netperf peer is a host behind the NIC; `east-west`: to another VM (see `pairing`) through the bridge. */
  peer: 'external' | 'east-west';
  /** East-west: how client VMs are paired with server VMs (src/workloads/pairing.ts). */
  pairing: 'neighbor' | 'same-node' | 'cross-node' | 'random';
  /** BLOCK (fio over virtio-scsi / vhost-scsi): requests each job keeps in flight (fio iodepth). */
  iodepth: number;
  /** BLOCK: bytes per request (fio bs); requests alternate read and write (randrw, rwmixread 50). */
  blockBytes: number;
  /** OPEN_RR: arrival process and rate of requests per instance. */
  arrival: 'poisson' | 'constant';
  ratePerSec: number;
}

/** Per-packet CPU costs as drawn: constant, or random with the profile value as mean. */
export interface CostDistribution {
  /** How each per-packet cost is drawn: the profile's value (`constant`), or random around it as the mean. */
  kind: 'constant' | 'exponential' | 'lognormal';
  /** Coefficient of variation for lognormal. */
  cv: number;
}

/** A fully resolved scenario: what `runScenario` takes and what every result records. */
export interface Scenario {
  /** The vhost threading model (per-device is Linux 3.6's one worker per device). */
  model: ModelName;
  /** Options of the later threading models; each model reads only its own. */
  policy: PolicyOptions;
  /** What runs in each VM. */
  workload: WorkloadSpec;
  /** VMs on the host. */
  vms: number;
  /** vCPU threads per VM. */
  vcpusPerVm: number;
  /** virtio-net (or, for BLOCK, virtio-scsi) devices per VM, each with its own vhost device. */
  devicesPerVm: number;
  /** Queue pairs per virtio-net device (multiqueue): each pair has its own vhost-net instance. */
  queuePairs: number;
  /** Measured virtual seconds, after the warm-up. */
  durationS: number;
  /** Virtual seconds simulated before measuring (not in the metrics). */
  warmupS: number;
  /** Seed of every random stream: the same scenario and seed give the same bytes. */
  seed: number;
  /** Affinity of vCPU threads: `node` binds them to the VM's memory node (numactl --cpunodebind). */
  pinning: {
    /** `node`: each VM's vCPU threads bound to the cores of its memory node; `none`: anywhere. */
    vcpu: 'none' | 'node';
  };
  /** vhost-net's handler limits. */
  vhost: VhostTunables;
  /** The guest kernel's network stack and virtio-net driver (src/guest/, src/model/descriptors.ts). */
  guest: GuestTunables;
  /** Descriptors per virtqueue ring (QEMU's virtio-net default, 256). */
  ringSize: number;
  /** Per-packet CPU costs as drawn: constant, or random with the profile value as mean. */
  costDistribution: CostDistribution;
  /** The host: topology, NIC and every cost the simulation charges (a profile name in a file, or a partial profile). */
  profile: Profile;
}

/** Guest network-stack and virtio-net settings (the guest's sysctls, negotiated features, driver version). */
export interface GuestTunables {
  /** VIRTIO_F_ANY_LAYOUT used: the virtio-net header shares the packet's first descriptor (Linux 3.12+). */
  headerInline: boolean;
  /** A UDP socket's sk_sndbuf (net.core.wmem_default; netperf keeps it unless given -s). */
  sndbufBytes: number;
  /** The device's txqueuelen: packets the qdisc (pfifo_fast) holds before it drops. */
  txqueuelen: number;
  /** VIRTIO_RING_F_INDIRECT_DESC negotiated: a multi-descriptor packet takes one ring slot. */
  indirectDesc: boolean;
  /** VIRTIO_NET_F_MRG_RXBUF negotiated: RX buffers are single pages and a large packet spans several. */
  mergeableRxBufs: boolean;
}

export interface VhostTunables {
  /** VHOST_NET_PKT_WEIGHT: packets a handler may move before requeueing itself. */
  weightPkts: number;
  /** VHOST_NET_WEIGHT: bytes a handler may move before requeueing itself. */
  byteWeight: number;
}
