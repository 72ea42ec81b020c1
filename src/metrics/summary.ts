import { CAT_IDLE, type Category, categories } from '../host/categories.ts';
import type { Host } from '../host/host.ts';
import type { DropReason } from '../model/packet.ts';
import type { Counters } from './counters.ts';
import { jainIndex, percentile } from './percentile.ts';

export interface VmMetrics {
  vm: number;
  node: number;
  throughput: number;
  /** CPU-seconds per second charged to the VM's cgroup. */
  cpu: number;
}

/** One core's time in the measured window, as shares of it per category (they sum to 1). */
export type CpuMetrics = { cpu: number; node: number } & Record<Category, number>;

/** What a run reports (MODEL.md §6). Rates are per second of measured virtual time. */
export interface Metrics {
  /** Transactions/s for request/response workloads, Gbit/s of payload delivered for streams. */
  throughput: { value: number; unit: 'transactions/s' | 'Gbit/s' };
  /** Per transaction; null for streams, which have no transactions (never 0). */
  latencyUs: { p50: number | null; p99: number | null; mean: number | null };
  /** Busy share of all host cores, 0-1. */
  cpuUtilization: number;
  /** Share of all core time per category (sums to 1). */
  cpuBreakdown: Record<Category, number>;
  /** Throughput per busy host CPU (vCPU threads included). */
  efficiency: { value: number; unit: 'transactions per busy CPU-second' | 'Gbit/s per busy CPU' };
  /**
   * netperf's service demand (`-c`): µs of busy host CPU (every core, vCPU threads included) per
   * transaction, or per KB (1024 bytes) of payload delivered for streams. netperf computes it as CPU
   * utilization x CPUs x elapsed µs / units of work (netperf manual, "CPU Utilization",
   * https://hewlettpackard.github.io/netperf/doc/netperf.html#CPU-Utilization). 0 when no work was done.
   */
  serviceDemand: { value: number; unit: 'µs/transaction' | 'µs/KB' };
  /** What the client applications sent, and what servers received (streams: sent >= received). */
  app: { sendsPerSec: number; sentGbps: number; receivedGbps: number };
  /** Packets dropped in the measured window, by where. */
  drops: Record<DropReason, number>;
  contextSwitchesPerSec: { voluntary: number; involuntary: number };
  contextSwitchesPerTransaction: number;
  /** Switches into a thread on any core, from idle included. */
  coreSwitchesPerSec: number;
  migrationsPerSec: number;
  /** Share of vhost CPU time spent on a NUMA node other than the VM's memory node. */
  remoteNodeWorkShare: number;
  vhost: {
    worksPerSec: number;
    pktsPerWork: number;
    /** Most packets one handler run moved. */
    pktsPerWorkMax: number;
    /** Per work: queued -> handler run finished (a busy period of the vq, not a packet's wait). */
    sojournUsMean: number;
    /** Packets vhost moved per second, by direction. */
    pktsPerSec: { tx: number; rx: number };
    /** Per packet: reaching the TX ring or RX socket -> end of its handler segment, mean by direction. */
    pktSojournUsMean: { tx: number; rx: number };
    /** Time-average packets waiting for vhost (TX rings, RX sockets) and in a handler segment. */
    pktsWaitingMean: number;
    pktsInServiceMean: number;
    coalescedPerSec: number;
    requeuesPerSec: number;
    /** cgroup attaches (cgroup_attach_task_all) of shared workers, detaches included. */
    cgroupAttachesPerSec: number;
    /** A worker found vq->mutex held by another worker (the holder drains the ring). */
    vqMutexContendedPerSec: number;
    dispatchPicksPerSec: number;
    /**
     * Share of the picks that chose a worker with work queued while another worker of the choice (the
     * node's, the queueing CPU's own included) had none: the dispatch rule leaving an idle worker unused.
     */
    busyPickShare: number;
  };
  /** Where the kernel paid for caches and TLBs (docs/calibration.md, "Caches, TLB and address spaces"). */
  hostCosts: {
    /** mm switches that flushed a TLB (a CR3 write without PCID). */
    tlbFlushesPerSec: number;
    /** A thread met its VM's working set in the L3 only, or in memory only. */
    llcRefillsPerSec: number;
    memRefillsPerSec: number;
    /** Attaches that slept waiting for the global cgroup_mutex, and their mean wait. */
    cgroupMutexWaitsPerSec: number;
    cgroupMutexWaitUsMean: number;
    /** Attaches whose cpuset hierarchy refused the bound kthread (PF_THREAD_BOUND). */
    cgroupAttachesRefusedPerSec: number;
    /** Attaches that slept through synchronize_rcu() grace periods. */
    rcuGraceWaitsPerSec: number;
    /** NIC receive interrupts per received frame (interrupt moderation and NAPI make it fall below 1 under load). */
    nicInterruptsPerFrame: number;
    /** Interrupts for a vCPU running on another CPU that forced an exit (reschedule IPI, kvm_vcpu_kick). */
    kickExitsPerSec: number;
    /** Shared cache lines (each worker's work_lock, a dispatch index) pulled within an L3, or from another L3. */
    lineTransfersPerSec: { llc: number; remote: number };
    /** Takes of a work_lock another CPU held, and the CPU time spun per second (µs/s). */
    workLockSpinsPerSec: number;
    workLockSpinUsPerSec: number;
    /** Further ixgbe_poll() rounds of a softirq batch that used a whole NAPI budget. */
    napiRepollsPerSec: number;
  };
  /**
   * Where wake-ups landed and what balancing did, per second (docs/scheduler.md): `affine` wake-ups moved
   * to the waker's CPU by wake_affine(), `idleSibling` ones moved again by select_idle_sibling(), `prevCpu`
   * ones back on the CPU they last ran on; tasks moved by periodic balancing, candidates it kept because
   * they were cache hot, and new-idle pulls.
   */
  sched: {
    wakeupsPerSec: number;
    affinePerSec: number;
    idleSiblingPerSec: number;
    prevCpuPerSec: number;
    balanceMovesPerSec: number;
    cacheHotRefusalsPerSec: number;
    newIdlePullsPerSec: number;
  };
  /** The guests' TX path: buffers reclaimed, queue stops and wakes, TX interrupts, senders put to sleep. */
  guestTx: {
    completionsPerSec: number;
    queueStopsPerSec: number;
    queueWakesPerSec: number;
    txInterruptsPerSec: number;
    senderSleepsPerSec: number;
    senderWakesPerSec: number;
    /** TCP ACKs sent by receivers, and those sent by the delayed-ACK timer. */
    acksPerSec: number;
    delayedAcksPerSec: number;
  };
  kicksPerSec: number;
  /** VM exits per second: kicks, HLT, IPIs and EOI traps. */
  exitsPerSec: number;
  interruptsInjectedPerSec: number;
  nicInterruptsPerSec: number;
  /** Per core, by category: where each core's time went (guest, vhost, irq, switch, idle). */
  perCpu: CpuMetrics[];
  perVm: VmMetrics[];
  jainFairness: number;
}

const round = (x: number, digits = 4): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function summarize(host: Host, counters: Counters, windowNs: number): Metrics {
  const r = host.recorder;
  r.integrate(host.now());
  const secs = windowNs / 1e9;
  const totalCoreNs = host.topo.cpus * windowNs;
  const byCat = new Array<number>(categories.length).fill(0);
  for (let cpu = 0; cpu < host.topo.cpus; cpu++) {
    for (let k = 0; k < categories.length; k++) byCat[k] += r.cpuNs[cpu * categories.length + k];
  }
  const busyNs = byCat.reduce((a, b) => a + b, 0) - byCat[CAT_IDLE];
  const stream = host.workload.unit === 'Gbit/s';
  let txns = 0;
  for (const t of r.vmTxns) txns += t;
  let bytes = 0;
  for (const b of r.vmBytes) bytes += b;
  const gbps = (b: number) => (b * 8) / secs / 1e9;
  const work = stream ? gbps(bytes) : txns / secs;
  const busyCores = busyNs / windowNs;
  const lat = Float64Array.from(r.latenciesNs).sort();
  const meanLat = lat.length === 0 ? 0 : lat.reduce((a, b) => a + b, 0) / lat.length;
  const breakdown = Object.fromEntries(
    categories.map((c, k) => [c, round(byCat[k] / totalCoreNs)]),
  ) as Record<Category, number>;
  const perCpu = Array.from({ length: host.topo.cpus }, (_, cpu) => {
    const shares = categories.map((c, k) => [c, round(r.cpuNs[cpu * categories.length + k] / windowNs)]);
    return { cpu, node: host.topo.nodeOf[cpu], ...Object.fromEntries(shares) } as CpuMetrics;
  });
  const perVm = Array.from(r.vmTxns, (t, vm) => ({
    vm,
    node: host.vmNode[vm],
    throughput: round(stream ? gbps(r.vmBytes[vm]) : t / secs, stream ? 4 : 2),
    cpu: round(r.vmNs[vm] / windowNs),
  }));
  return {
    throughput: stream
      ? { value: round(work, 4), unit: 'Gbit/s' }
      : { value: round(work, 2), unit: 'transactions/s' },
    latencyUs: stream
      ? { p50: null, p99: null, mean: null }
      : {
          p50: round(percentile(lat, 50) / 1e3, 3),
          p99: round(percentile(lat, 99) / 1e3, 3),
          mean: round(meanLat / 1e3, 3),
        },
    cpuUtilization: round(busyNs / totalCoreNs),
    cpuBreakdown: breakdown,
    efficiency: stream
      ? { value: round(busyCores === 0 ? 0 : work / busyCores, 4), unit: 'Gbit/s per busy CPU' }
      : { value: round(busyCores === 0 ? 0 : work / busyCores, 2), unit: 'transactions per busy CPU-second' },
    serviceDemand: stream
      ? { value: round(bytes === 0 ? 0 : busyNs / 1e3 / (bytes / 1024), 4), unit: 'µs/KB' }
      : { value: round(txns === 0 ? 0 : busyNs / 1e3 / txns, 3), unit: 'µs/transaction' },
    app: {
      sendsPerSec: round(r.appSends / secs, 2),
      sentGbps: round(gbps(r.appSendBytes), 4),
      receivedGbps: round(gbps(bytes), 4),
    },
    drops: { ...r.drops },
    contextSwitchesPerSec: {
      voluntary: round(counters.voluntary / secs, 2),
      involuntary: round(counters.involuntary / secs, 2),
    },
    contextSwitchesPerTransaction: round(txns === 0 ? 0 : (counters.voluntary + counters.involuntary) / txns),
    coreSwitchesPerSec: round(counters.coreSwitches / secs, 2),
    migrationsPerSec: round(counters.migrations / secs, 2),
    remoteNodeWorkShare: round(r.vhostNs === 0 ? 0 : r.vhostRemoteNs / r.vhostNs),
    vhost: {
      worksPerSec: round(r.worksRun / secs, 2),
      pktsPerWork: round(r.worksRun === 0 ? 0 : r.workPkts / r.worksRun),
      pktsPerWorkMax: r.workPktsMax,
      sojournUsMean: round(r.worksRun === 0 ? 0 : r.workSojournNs / r.worksRun / 1e3, 3),
      pktsPerSec: { tx: round(r.txPkts / secs, 2), rx: round(r.rxPkts / secs, 2) },
      pktSojournUsMean: {
        tx: round(r.txPkts === 0 ? 0 : r.txSojournNs / r.txPkts / 1e3, 3),
        rx: round(r.rxPkts === 0 ? 0 : r.rxSojournNs / r.rxPkts / 1e3, 3),
      },
      pktsWaitingMean: round(r.waitingAreaNs / windowNs),
      pktsInServiceMean: round(r.inServiceAreaNs / windowNs),
      coalescedPerSec: round(r.coalesced / secs, 2),
      requeuesPerSec: round(r.requeues / secs, 2),
      cgroupAttachesPerSec: round(r.attaches / secs, 2),
      vqMutexContendedPerSec: round(r.vqMutexContended / secs, 2),
      dispatchPicksPerSec: round(counters.picks / secs, 2),
      busyPickShare: round(counters.picks === 0 ? 0 : counters.busyPicks / counters.picks),
    },
    hostCosts: {
      tlbFlushesPerSec: round(r.tlbFlushes / secs, 2),
      llcRefillsPerSec: round(r.llcRefills / secs, 2),
      memRefillsPerSec: round(r.memRefills / secs, 2),
      cgroupMutexWaitsPerSec: round(r.cgroupMutexWaits / secs, 2),
      cgroupMutexWaitUsMean: round(
        r.cgroupMutexWaits === 0 ? 0 : r.cgroupMutexWaitNs / r.cgroupMutexWaits / 1e3,
        3,
      ),
      cgroupAttachesRefusedPerSec: round(r.cgroupAttachRefused / secs, 2),
      rcuGraceWaitsPerSec: round(r.rcuGraceWaits / secs, 2),
      nicInterruptsPerFrame: round(r.nicRxFrames === 0 ? 0 : r.nicIrqs / r.nicRxFrames),
      kickExitsPerSec: round(r.kickExits / secs, 2),
      lineTransfersPerSec: {
        llc: round(r.lineLlcTransfers / secs, 2),
        remote: round(r.lineRemoteTransfers / secs, 2),
      },
      workLockSpinsPerSec: round(r.lockSpins / secs, 2),
      workLockSpinUsPerSec: round(r.lockSpinNs / 1e3 / secs, 3),
      napiRepollsPerSec: round(r.napiRepolls / secs, 2),
    },
    sched: {
      wakeupsPerSec: round(r.sched.wakeups / secs, 2),
      affinePerSec: round(r.sched.affine / secs, 2),
      idleSiblingPerSec: round(r.sched.idleSibling / secs, 2),
      prevCpuPerSec: round(r.sched.prevCpu / secs, 2),
      balanceMovesPerSec: round(r.sched.moves / secs, 2),
      cacheHotRefusalsPerSec: round(r.sched.cacheHotRefusals / secs, 2),
      newIdlePullsPerSec: round(r.sched.newIdlePulls / secs, 2),
    },
    guestTx: {
      completionsPerSec: round(r.guest.txCompletions / secs, 2),
      queueStopsPerSec: round(r.guest.queueStops / secs, 2),
      queueWakesPerSec: round(r.guest.queueWakes / secs, 2),
      txInterruptsPerSec: round(r.guest.txInterrupts / secs, 2),
      senderSleepsPerSec: round(r.guest.senderSleeps / secs, 2),
      senderWakesPerSec: round(r.guest.senderWakes / secs, 2),
      acksPerSec: round(r.guest.acks / secs, 2),
      delayedAcksPerSec: round(r.guest.delayedAcks / secs, 2),
    },
    kicksPerSec: round(r.kicks / secs, 2),
    exitsPerSec: round(r.exits / secs, 2),
    interruptsInjectedPerSec: round(r.irqInjections / secs, 2),
    nicInterruptsPerSec: round(r.nicIrqs / secs, 2),
    perCpu,
    perVm,
    jainFairness: round(jainIndex(perVm.map((v) => v.throughput))),
  };
}
