/**
 * The inspector's view of one running system: a plain, JSON-ready snapshot built from the host's shared
 * state (run queues, tasks, recorder) and the actors' contexts and states. Pure: reads only, never
 * writes, never looks at the wall clock.
 */
import type { PcpuContext } from '../../machines/pcpu.machine.ts';
import type { VcpuContext } from '../../machines/vcpu.machine.ts';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import { CAT_IDLE, CAT_SWITCH, categories } from '../host/categories.ts';
import type { Host } from '../host/host.ts';
import type { ActorId } from '../model/actor.ts';

/** What the snapshot needs of a `SimSystem` (a structural subset, so tests can hand in a stub). */
export interface SystemView {
  readonly kernel: { readonly nowNs: number; readonly eventsFired: number; readonly pending: number };
  readonly host: Host;
  readonly keys: readonly string[];
  readonly executor: { read<T>(id: ActorId): T; stateOf(id: ActorId): string };
}

/** Monotonic totals at one instant; two of them give the rates over the window between. */
export interface Totals {
  atNs: number;
  events: number;
  txns: number;
  busyNs: number;
  switchNs: number;
  voluntary: number;
  involuntary: number;
  vhostNs: number;
  vhostRemoteNs: number;
  /** Busy (not idle) nanoseconds per core. */
  coreBusyNs: number[];
}

export interface Rates {
  windowNs: number;
  /** Transactions per virtual second. */
  throughput: number;
  /** Transactions per busy host CPU-second. */
  efficiency: number;
  /** Context switches (voluntary + involuntary) per transaction. */
  switchesPerTxn: number;
  involuntaryPerSec: number;
  voluntaryPerSec: number;
  /** Share of vhost CPU time spent off the VM's NUMA node. */
  remoteNodeShare: number;
  /** Share of busy core time spent context switching. */
  switchShare: number;
  /** Busy share of all cores. */
  cpuUtilization: number;
  eventsPerVirtualMs: number;
}

export interface CoreView {
  cpu: number;
  node: number;
  key: string;
  /** The pcpu machine's state: idle, waking, irq, switching, running. */
  state: string;
  activity: string;
  /** The thread the core runs (or is switching to) now, from `rqs[cpu].curr`. */
  thread: string | null;
  threadKind: 'vcpu' | 'vhost' | null;
  threadVm: number;
  queue: string[];
  switches: number;
  irqs: number;
  /** Busy share of this core over the cards' window (null before there is a window). */
  busy: number | null;
}

export interface ThreadCounters {
  cpu: number;
  sched: 'blocked' | 'runnable' | 'running';
  nvcsw: number;
  nivcsw: number;
  migrations: number;
}

export interface VcpuView extends ThreadCounters {
  key: string;
  state: string;
  job: string | null;
  jobs: number;
}

export interface VqView {
  key: string;
  dir: 'tx' | 'rx';
  state: string;
  /** TX: available buffers; RX: used buffers not yet read by the guest. */
  fill: number;
  size: number;
  /** RX: frames waiting in the tap socket, and its limit. */
  sock: number;
  sockLimit: number;
  rxBufs: number;
  /** vhost wants kicks (TX). */
  notify: boolean;
  /** Guest wants interrupts (RX). */
  guestIrq: boolean;
  heldBy: string | null;
  drops: number;
}

export interface VmView {
  vm: number;
  node: number;
  txns: number;
  vcpus: VcpuView[];
  devs: { dev: number; tx: VqView; rx: VqView }[];
}

export interface WorkerView extends ThreadCounters {
  key: string;
  state: string;
  /** VM whose cgroup owns the worker (per-device), or -1 (shared per-CPU worker). */
  vm: number;
  /** VM whose cgroup a shared worker is attached to now (-1: none). */
  attachedVm: number;
  queued: string[];
  running: string | null;
  works: number;
  pkts: number;
}

export interface SystemSnapshot {
  model: string;
  nowNs: number;
  events: number;
  pending: number;
  sockets: { node: number; cores: CoreView[] }[];
  vms: VmView[];
  workers: WorkerView[];
  nic: { key: string; state: string; txPkts: number; rxPkts: number };
  counters: {
    voluntary: number;
    involuntary: number;
    migrations: number;
    coreSwitches: number;
    txns: number;
  };
  totals: Totals;
  /** Over the window since the base totals; null when there is no earlier sample. */
  rates: Rates | null;
}

/** Read the monotonic totals now. */
export function readTotals(sys: SystemView): Totals {
  const r = sys.host.recorder;
  let busyNs = 0;
  let switchNs = 0;
  const coreBusyNs: number[] = [];
  const k = categories.length;
  for (let cpu = 0; cpu < r.cpus; cpu++) {
    let core = 0;
    for (let c = 0; c < k; c++) {
      const ns = r.cpuNs[cpu * k + c];
      if (c !== CAT_IDLE) core += ns;
      if (c === CAT_SWITCH) switchNs += ns;
    }
    coreBusyNs.push(core);
    busyNs += core;
  }
  let txns = 0;
  for (const t of r.vmTxns) txns += t;
  let voluntary = 0;
  let involuntary = 0;
  for (const t of sys.host.tasks) {
    voluntary += t.nvcsw;
    involuntary += t.nivcsw;
  }
  return {
    atNs: sys.kernel.nowNs,
    events: sys.kernel.eventsFired,
    txns,
    busyNs,
    switchNs,
    voluntary,
    involuntary,
    vhostNs: r.vhostNs,
    vhostRemoteNs: r.vhostRemoteNs,
    coreBusyNs,
  };
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Rates over the window from `a` to `b`, or null for an empty window. */
export function ratesBetween(a: Totals, b: Totals, cpus: number): Rates | null {
  const windowNs = b.atNs - a.atNs;
  if (windowNs <= 0) return null;
  const secs = windowNs / 1e9;
  const txns = b.txns - a.txns;
  const busy = b.busyNs - a.busyNs;
  const vol = b.voluntary - a.voluntary;
  const invol = b.involuntary - a.involuntary;
  return {
    windowNs,
    throughput: txns / secs,
    efficiency: ratio(txns, busy / 1e9),
    switchesPerTxn: ratio(vol + invol, txns),
    voluntaryPerSec: vol / secs,
    involuntaryPerSec: invol / secs,
    remoteNodeShare: ratio(b.vhostRemoteNs - a.vhostRemoteNs, b.vhostNs - a.vhostNs),
    switchShare: ratio(b.switchNs - a.switchNs, busy),
    cpuUtilization: ratio(busy, cpus * windowNs),
    eventsPerVirtualMs: (b.events - a.events) / (windowNs / 1e6),
  };
}

function jobName(job: VcpuContext['job']): string | null {
  if (job === null) return null;
  return job.k === 'send' || job.k === 'kick' || job.k === 'napi' ? `${job.k} dev${job.dev}` : job.k;
}

/**
 * Build the snapshot of `sys` now; `base` (earlier totals of the same system) gives the rates.
 * @example
 * const base = readTotals(sys);
 * sys.kernel.run({ untilNs: sys.kernel.nowNs + 100_000 });
 * buildSnapshot(sys, 'per-cpu', base).rates?.throughput;
 */
export function buildSnapshot(sys: SystemView, model: string, base?: Totals): SystemSnapshot {
  const { host: h, executor: ex, keys } = sys;
  const totals = readTotals(sys);
  const windowNs = base === undefined ? 0 : totals.atNs - base.atNs;
  const threadCounters = (tid: number): ThreadCounters => {
    const t = h.tasks[tid];
    return { cpu: t.cpu, sched: t.state, nvcsw: t.nvcsw, nivcsw: t.nivcsw, migrations: t.migrations };
  };

  const sockets = h.topo.cpusOf.map((cpus, node) => ({
    node,
    cores: cpus.map((cpu): CoreView => {
      const id = h.cpuActor[cpu];
      const ctx = ex.read<PcpuContext>(id);
      const rq = h.rqs[cpu];
      const curr = rq.curr >= 0 ? h.tasks[rq.curr] : null;
      return {
        cpu,
        node,
        key: keys[id],
        state: ex.stateOf(id),
        activity: ctx.activity,
        thread: curr?.name ?? null,
        threadKind: curr?.kind ?? null,
        threadVm: curr === null ? -1 : curr.kind === 'vcpu' ? curr.vm : ctx.runVm,
        queue: rq.queue.map((tid) => h.tasks[tid].name),
        switches: rq.switches,
        irqs: ctx.irqs,
        busy:
          base === undefined || windowNs <= 0
            ? null
            : Math.min(1, (totals.coreBusyNs[cpu] - base.coreBusyNs[cpu]) / windowNs),
      };
    }),
  }));

  const workerName = (w: number) =>
    w >= 0 && h.workerActor[w] !== undefined ? keys[h.workerActor[w]] : null;
  const vqView = (id: ActorId): VqView => {
    const c = ex.read<VirtqueueContext>(id);
    return {
      key: keys[id],
      dir: c.dir,
      state: ex.stateOf(id),
      fill: c.ring.length,
      size: c.size,
      sock: c.sock.length,
      sockLimit: c.sockLimit,
      rxBufs: c.rxBufs,
      notify: c.notify,
      guestIrq: c.guestIrq,
      heldBy: c.heldBy >= 0 ? workerName(c.heldBy) : null,
      drops: c.drops.ringFull + c.drops.sockFull,
    };
  };

  const vms: VmView[] = h.vcpuActor.map((ids, vm) => ({
    vm,
    node: h.vmNode[vm],
    txns: h.recorder.vmTxns[vm],
    vcpus: ids.map((id) => {
      const c = ex.read<VcpuContext>(id);
      return {
        key: keys[id],
        state: ex.stateOf(id),
        job: jobName(c.job),
        jobs: c.jobs.length,
        ...threadCounters(c.tid),
      };
    }),
    devs: h.txVq[vm].map((tx, dev) => ({ dev, tx: vqView(tx), rx: vqView(h.rxVq[vm][dev]) })),
  }));

  const workName = (wid: number) => {
    const w = h.works[wid];
    return `vm${w.vm}.dev${w.dev}.${w.dir}`;
  };
  const workers: WorkerView[] = h.workerActor.map((id) => {
    const c = ex.read<VhostWorkerContext>(id);
    return {
      key: keys[id],
      state: ex.stateOf(id),
      vm: c.vm,
      attachedVm: c.attachedVm,
      queued: c.list.map(workName),
      running: c.cur >= 0 ? workName(c.cur) : null,
      works: c.stats.works,
      pkts: c.stats.pkts,
      ...threadCounters(c.tid),
    };
  });

  const nicCtx = ex.read<{ stats: { txPkts: number; rxPkts: number } }>(h.nicActor);
  let migrations = 0;
  for (const t of h.tasks) migrations += t.migrations;
  let coreSwitches = 0;
  for (const rq of h.rqs) coreSwitches += rq.switches;
  return {
    model,
    nowNs: sys.kernel.nowNs,
    events: sys.kernel.eventsFired,
    pending: sys.kernel.pending,
    sockets,
    vms,
    workers,
    nic: {
      key: keys[h.nicActor],
      state: ex.stateOf(h.nicActor),
      txPkts: nicCtx.stats.txPkts,
      rxPkts: nicCtx.stats.rxPkts,
    },
    counters: {
      voluntary: totals.voluntary,
      involuntary: totals.involuntary,
      migrations,
      coreSwitches,
      txns: totals.txns,
    },
    totals,
    rates: base === undefined ? null : ratesBetween(base, totals, h.topo.cpus),
  };
}

/** Arrays longer than this are cut in context JSON (a vq ring holds up to 256 packets). */
const MAX_ARRAY = 16;

/** A context made safe and small for the page: long arrays cut, with a note of how many were left out. */
export function contextForPage(value: unknown, depth = 0): unknown {
  if (depth > 8) return '…';
  if (Array.isArray(value)) {
    const head = value.slice(0, MAX_ARRAY).map((v) => contextForPage(v, depth + 1));
    return value.length > MAX_ARRAY ? [...head, `… ${value.length - MAX_ARRAY} more`] : head;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = contextForPage(v, depth + 1);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** Which machine (by `machines/index.ts` id) an actor runs, from the host's actor tables. */
export function machineOfActor(h: Host, id: ActorId): string | null {
  if (h.cpuActor.includes(id)) return 'pcpu';
  if (h.nicActor === id) return 'nic';
  if (h.workerActor.includes(id)) return 'vhostWorker';
  if (h.vcpuActor.some((ids) => ids.includes(id))) return 'vcpu';
  if (h.txVq.some((ids) => ids.includes(id)) || h.rxVq.some((ids) => ids.includes(id))) return 'virtqueue';
  return null;
}
