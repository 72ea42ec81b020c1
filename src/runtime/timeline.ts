/**
 * Per-core timelines as a Chrome Trace Event / Perfetto JSON document (opens in ui.perfetto.dev and
 * chrome://tracing).
 *
 * The stream is built only from what the runtime already exposes: the `onTrace` deliveries, and after
 * each delivery to a core, reads of that core's state (`sys.host` run queue and tasks, the core's and the
 * running vhost worker's contexts, the recorder's kick counter). Nothing in the machines knows about it.
 *
 * One track (tid) per core, in one process:
 * - `X` slices from switch-in to switch-out, named after the thread that runs (the context switch's own
 *   cost included, as the kernel charges it to the incoming thread's slot);
 * - `X` slices for NIC interrupts handled on an otherwise idle core (top level) or stolen from a running
 *   thread (nested in its slice);
 * - `X` slices nested in a vhost worker's slice for each vhost work it runs, with the VM in `args`;
 * - instant events for context switches, guest kicks and interrupt injections into a vCPU;
 * - flow events (arrows in Perfetto) linking one transaction's steps in a VM: the guest's kick, the VM's
 *   next TX vhost work, the NIC interrupt that carries a packet for the VM back from the wire and the
 *   peer, the VM's RX vhost work and the injection of the interrupt into the guest. A flow follows the
 *   VM's steps in order, so it is one transaction exactly while a VM has one in flight (RR, one instance);
 *   a kick that comes before the chain closes abandons the chain, so every flow written is complete;
 * - counter tracks: threads on each core's run queue (`nr_running`, the running one included), busy
 *   cores, and buffers in each virtqueue's ring.
 * Beside the core tracks, one process per VM has a track per thread with its slices (shared workers in a
 * process of their own). Only the measured window (after warm-up), clipped to `window` when given, is
 * recorded, so the top-level busy slices of a core add up to its non-idle CPU accounting.
 */
import type { PcpuContext } from '../../machines/pcpu.machine.ts';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import { CAT_IDLE, categories } from '../host/categories.ts';
import { summarize } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Policy } from '../policies/policy.ts';
import { validateScenario } from '../scenario/schema.ts';
import type { ExecutorKind } from './executor.ts';
import { measureWindow } from './measureWindow.ts';
import type { RunResult } from './runScenario.ts';
import { SimSystem } from './system.ts';
import type { TraceEvent } from './trace.ts';

/** One Trace Event Format record (timestamps and durations in microseconds). */
export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'i' | 'M' | 'C' | 's' | 't' | 'f';
  /** Flow events: the flow's id, and `bp: 'e'` to bind the end to the enclosing slice. */
  id?: number;
  bp?: 'e';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  /** Instant-event scope: `t` = the thread (core) track. */
  s?: 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns';
  otherData: Record<string, unknown>;
}

export const TRACE_PID = 1;
/** Process of VM `vm`'s threads; shared vhost workers (vm -1) get `vmPid(-1)`. */
export const vmPid = (vm: number) => 2 + (vm + 1);
/** Track id of a core (tid 0 is avoided: some viewers treat it as the idle task). */
export const coreTid = (cpu: number) => cpu + 1;

interface Open {
  startNs: number;
  name: string;
  cat: string;
  args?: Record<string, unknown>;
}

interface CoreState {
  /** Task switched in (rq.curr), -1 when none. */
  thread: number;
  switches: number;
  slice: Open | null;
  /** Interrupt on an idle core (top level) or stolen from the thread (nested). */
  irq: Open | null;
  irqNested: boolean;
  /** vhost work running in the thread's slice: work id. */
  work: number;
  workSlice: Open | null;
}

const us = (ns: number) => ns / 1000;

/** Collects a timeline from a system's deliveries; see `runWithTimeline` for the usual way to use it. */
export class TimelineBuilder {
  readonly events: ChromeTraceEvent[] = [];
  private readonly cores: CoreState[];
  private readonly cpuOfActor = new Map<string, number>();
  private readonly taskOfActor = new Map<string, number>();
  private recording = false;
  private lastKicks = 0;
  /** The trace's clip in virtual ns (`--trace-window`): recording waits for `fromNs`, stops at `toNs`. */
  private clip: { fromNs: number; toNs: number } | undefined;
  private pendingStart = false;
  private readonly counters = new Map<string, number>();
  private busyCores = 0;
  private readonly busy: boolean[];
  /** Per VM: the open flow's id and the step it waits for (0 none, 1 TX work, 2 NIC irq, 3 RX work, 4 injection). */
  private readonly flow: { id: number; step: number; events: ChromeTraceEvent[] }[];
  private nextFlow = 1;
  private readonly vqOfActor = new Map<string, number>();

  constructor(
    private readonly sys: SimSystem,
    clip?: { fromNs: number; toNs: number },
  ) {
    this.clip = clip;
    const cpus = sys.topo.cpus;
    this.cores = Array.from({ length: cpus }, () => ({
      thread: -1,
      switches: 0,
      slice: null,
      irq: null,
      irqNested: false,
      work: -1,
      workSlice: null,
    }));
    for (let cpu = 0; cpu < cpus; cpu++) this.cpuOfActor.set(`cpu${cpu}`, cpu);
    this.busy = new Array<boolean>(cpus).fill(false);
    this.flow = Array.from({ length: sys.scenario.vms }, () => ({ id: 0, step: 0, events: [] }));
    const h = sys.host;
    for (const vqs of [h.txVq, h.rxVq])
      for (const dev of vqs) for (const id of dev) this.vqOfActor.set(sys.keys[id], id);
  }

  /** Feed one delivery (pass this as, or call it from, the system's `onTrace`). */
  onDeliver(ev: TraceEvent): void {
    if (this.pendingStart && this.clip !== undefined && ev.atNs >= this.clip.fromNs)
      this.begin(this.clip.fromNs);
    if (this.recording && this.clip !== undefined && ev.atNs >= this.clip.toNs) this.finish(this.clip.toNs);
    // Virtqueues change in other actors' actions (synchronous calls, no delivery of their own): look at
    // every ring after each delivery; a counter is written only when it changes.
    for (const [key, id] of this.vqOfActor) {
      this.counter(
        ev.atNs,
        `ring ${key}`,
        'buffers',
        this.sys.executor.read<VirtqueueContext>(id).ring.length,
      );
    }
    const cpu = this.cpuOfActor.get(ev.actor);
    if (cpu !== undefined) {
      this.observe(cpu, ev.atNs);
      return;
    }
    if (ev.event === 'irq.inject') this.injection(ev);
  }

  /** Start recording (at the end of warm-up, after the accounting was flushed and reset). */
  startWindow(): void {
    const now = this.sys.kernel.nowNs;
    for (let cpu = 0; cpu < this.cores.length; cpu++) this.observe(cpu, now);
    if (this.clip !== undefined && now < this.clip.fromNs) this.pendingStart = true;
    else if (this.clip === undefined || now < this.clip.toNs) this.begin(now);
  }

  /** Close every open slice at the end of the window and stop recording. */
  endWindow(): void {
    const now = this.sys.kernel.nowNs;
    for (let cpu = 0; cpu < this.cores.length; cpu++) this.observe(cpu, now);
    if (this.recording) this.finish(now);
    this.pendingStart = false;
  }

  /** Start recording at `atNs`: what is open now starts there; the counters are written as they stand. */
  private begin(atNs: number): void {
    this.pendingStart = false;
    this.recording = true;
    this.lastKicks = this.sys.host.recorder.kicks;
    for (const c of this.cores) for (const o of [c.slice, c.irq, c.workSlice]) if (o) o.startNs = atNs;
    const known = [...this.counters.entries()];
    this.counters.clear();
    for (const [key, v] of known) {
      const [name, series] = key.split('\u0000');
      this.counter(atNs, name, series, v);
    }
  }

  /** Close every open slice at `atNs` (the state since the last delivery held until then) and stop. */
  private finish(atNs: number): void {
    for (let cpu = 0; cpu < this.cores.length; cpu++) {
      const c = this.cores[cpu];
      if (c.workSlice) this.emitSlice(cpu, c.workSlice, atNs);
      c.workSlice = null;
      if (c.irq) this.emitSlice(cpu, c.irq, atNs, { nested: c.irqNested });
      c.irq = null;
      if (c.slice) this.emitSlice(cpu, c.slice, atNs);
      c.slice = null;
    }
    this.recording = false;
  }

  /** The trace document: metadata (process, one named track per core) first, then the events by time. */
  toTrace(otherData: Record<string, unknown> = {}): ChromeTrace {
    const { topo, scenario } = this.sys;
    const meta: ChromeTraceEvent[] = [
      {
        name: 'process_name',
        ph: 'M',
        ts: 0,
        pid: TRACE_PID,
        tid: 0,
        args: { name: `vhost-sim host (${scenario.profile.name}, ${scenario.model})` },
      },
    ];
    for (let cpu = 0; cpu < topo.cpus; cpu++) {
      const tid = coreTid(cpu);
      meta.push(
        {
          name: 'thread_name',
          ph: 'M',
          ts: 0,
          pid: TRACE_PID,
          tid,
          args: { name: `cpu${cpu} (node ${topo.nodeOf[cpu]})` },
        },
        { name: 'thread_sort_index', ph: 'M', ts: 0, pid: TRACE_PID, tid, args: { sort_index: cpu } },
      );
    }
    const h = this.sys.host;
    for (const vm of [...new Set(h.tasks.map((t) => t.vm))].sort((a, b) => a - b)) {
      const pid = vmPid(vm);
      meta.push(
        {
          name: 'process_name',
          ph: 'M',
          ts: 0,
          pid,
          tid: 0,
          args: { name: vm < 0 ? 'shared vhost workers (threads)' : `vm${vm} (threads)` },
        },
        { name: 'process_sort_index', ph: 'M', ts: 0, pid, tid: 0, args: { sort_index: pid } },
      );
      for (const t of h.tasks.filter((x) => x.vm === vm)) {
        meta.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid: t.tid + 1, args: { name: t.name } });
      }
    }
    // Stable sort by time; at equal times longer slices first, and a thread's slice before what nests in
    // it, so viewers nest them right.
    const depth = (e: ChromeTraceEvent) => (e.cat === 'vhost-work' || e.args?.nested === true ? 1 : 0);
    const events = [...this.events].sort(
      (a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0) || depth(a) - depth(b),
    );
    return { traceEvents: [...meta, ...events], displayTimeUnit: 'ns', otherData };
  }

  // ---------------------------------------------------------------- internals

  private observe(cpu: number, nowNs: number): void {
    const { host, executor } = this.sys;
    const c = this.cores[cpu];
    const rq = host.rqs[cpu];
    const pc = executor.read<PcpuContext>(host.cpuActor[cpu]);
    const curr = rq.curr;
    const inIrq = pc.activity === 'irq';

    // Kicks happen in the guest code of the vCPU that ran here.
    const kicks = host.recorder.kicks;
    if (kicks !== this.lastKicks) {
      const tid = curr >= 0 ? curr : c.thread;
      const vm = tid >= 0 ? host.tasks[tid].vm : -1;
      this.instant(cpu, nowNs, 'kick', 'virtio', { vm, count: kicks - this.lastKicks });
      this.lastKicks = kicks;
      if (vm >= 0) this.flowStart(vm, cpu, nowNs);
    }

    const switched = curr !== c.thread || rq.switches !== c.switches;
    const work = curr >= 0 ? this.workOf(curr) : -1;
    if (switched || work !== c.work) this.closeWork(cpu, nowNs);
    if (switched || !inIrq || (c.irq !== null && c.irqNested !== curr >= 0)) this.closeIrq(cpu, nowNs);

    if (switched) {
      if (c.slice) this.emitSlice(cpu, c.slice, nowNs);
      c.slice = null;
      if (rq.switches !== c.switches && curr >= 0) {
        const prev = c.thread >= 0 ? host.tasks[c.thread] : null;
        const next = host.tasks[curr];
        this.instant(cpu, nowNs, 'context switch', 'sched', {
          prev: prev?.name ?? 'idle',
          prevState: prev === null ? 'idle' : prev.state === 'blocked' ? 'sleeping (voluntary)' : 'preempted',
          next: next.name,
        });
      }
      c.thread = curr;
      c.switches = rq.switches;
      if (curr >= 0) {
        const t = host.tasks[curr];
        c.slice = {
          startNs: nowNs,
          name: t.name,
          cat: t.kind === 'vcpu' ? 'guest' : 'vhost',
          args: { tid: t.tid, kind: t.kind, vm: t.vm },
        };
        if (t.kind === 'vcpu') this.flowStep(t.vm, 5, cpu, nowNs);
      }
    }

    if (inIrq && c.irq === null) {
      c.irqNested = curr >= 0;
      c.irq = { startNs: nowNs, name: 'NIC interrupt', cat: 'irq' };
      for (const p of pc.irqPkts) if (p.dst >= 0) this.flowStep(p.dst, 2, cpu, nowNs);
    }

    if (work !== c.work) {
      c.work = work;
      if (work >= 0) {
        const w = host.works[work];
        c.workSlice = {
          startNs: nowNs,
          name: `vhost work vm${w.vm}.dev${w.dev}.${w.dir}`,
          cat: 'vhost-work',
          args: { vm: w.vm, dev: w.dev, dir: w.dir, work: w.wid },
        };
        this.flowStep(w.vm, w.dir === 'tx' ? 1 : 3, cpu, nowNs);
      }
    }

    this.counter(nowNs, `nr_running cpu${cpu}`, 'threads', rq.queue.length + (curr >= 0 ? 1 : 0));
    const busy = pc.activity !== 'idle';
    if (busy !== this.busy[cpu]) {
      this.busy[cpu] = busy;
      this.busyCores += busy ? 1 : -1;
      this.counter(nowNs, 'busy cores', 'cores', this.busyCores);
    }
  }

  /** A counter track's value at `nowNs`, written when it changes (and at the start of recording). */
  private counter(nowNs: number, name: string, series: string, value: number): void {
    const key = `${name}\u0000${series}`;
    if (this.counters.get(key) === value) return;
    this.counters.set(key, value);
    if (!this.recording) return;
    this.events.push({
      name,
      cat: 'counter',
      ph: 'C',
      ts: us(nowNs),
      pid: TRACE_PID,
      tid: 0,
      args: { [series]: value },
    });
  }

  /** A guest kick starts VM `vm`'s transaction flow (abandoning one still open). */
  private flowStart(vm: number, cpu: number, nowNs: number): void {
    if (!this.recording) return;
    const f = this.flow[vm];
    const id = this.nextFlow++;
    f.id = id;
    f.step = 1;
    f.events = [this.flowEvent('s', id, cpu, nowNs)];
  }

  /** Is a vCPU thread of `vm` on a core? */
  private vcpuRunning(vm: number): boolean {
    return this.sys.host.tasks.some((t) => t.vm === vm && t.kind === 'vcpu' && t.state === 'running');
  }

  /**
   * The VM's flow reached `step`: 1 TX work, 2 NIC interrupt, 3 RX work, 4 injection (the end when a vCPU
   * of the VM runs), 5 a vCPU of the VM switched in.
   */
  private flowStep(vm: number, step: number, cpu: number, nowNs: number): void {
    const f = this.flow[vm];
    if (f === undefined || f.step !== step || !this.recording) return;
    // The injection ends the flow in the running vCPU; a halted one ends it when it is switched in.
    const ends = step === 5 || (step === 4 && this.vcpuRunning(vm));
    if (!ends) {
      f.events.push(this.flowEvent('t', f.id, cpu, nowNs));
      f.step = step + 1;
      return;
    }
    const end = this.flowEvent('f', f.id, cpu, nowNs);
    end.bp = 'e';
    this.events.push(...f.events, end);
    f.step = 0;
    f.events = [];
  }

  private flowEvent(ph: 's' | 't' | 'f', id: number, cpu: number, nowNs: number): ChromeTraceEvent {
    return { name: 'transaction', cat: 'flow', ph, id, ts: us(nowNs), pid: TRACE_PID, tid: coreTid(cpu) };
  }

  /** The vhost work the task is running, or -1 (not a vhost worker, or between works). */
  private workOf(tid: number): number {
    const t = this.sys.host.tasks[tid];
    if (t.kind !== 'vhost') return -1;
    return this.sys.executor.read<VhostWorkerContext>(t.owner).cur;
  }

  private injection(ev: TraceEvent): void {
    const m = /^vm(\d+)\.vcpu(\d+)$/.exec(ev.actor);
    if (m === null) return;
    let tid = this.taskOfActor.get(ev.actor);
    if (tid === undefined) {
      tid = this.sys.host.tasks.findIndex((t) => t.name === ev.actor);
      this.taskOfActor.set(ev.actor, tid);
    }
    if (tid < 0) return;
    const cpu = this.sys.host.tasks[tid].cpu;
    this.instant(cpu, ev.atNs, 'interrupt injection', 'virtio', { vm: Number(m[1]), vcpu: Number(m[2]) });
    this.flowStep(Number(m[1]), 4, cpu, ev.atNs);
  }

  private closeWork(cpu: number, nowNs: number): void {
    const c = this.cores[cpu];
    if (c.workSlice) this.emitSlice(cpu, c.workSlice, nowNs);
    c.workSlice = null;
    c.work = -1;
  }

  private closeIrq(cpu: number, nowNs: number): void {
    const c = this.cores[cpu];
    if (c.irq) this.emitSlice(cpu, c.irq, nowNs, { nested: c.irqNested });
    c.irq = null;
  }

  private emitSlice(cpu: number, o: Open, endNs: number, extra?: Record<string, unknown>): void {
    if (!this.recording || endNs <= o.startNs) return;
    const args = extra ? { ...o.args, ...extra } : o.args;
    const e: ChromeTraceEvent = {
      name: o.name,
      cat: o.cat,
      ph: 'X',
      ts: us(o.startNs),
      dur: us(endNs - o.startNs),
      pid: TRACE_PID,
      tid: coreTid(cpu),
    };
    if (args) e.args = args;
    this.events.push(e);
    if (o.cat === 'guest' || o.cat === 'vhost') {
      const t = this.sys.host.tasks[o.args?.tid as number];
      this.events.push({ ...e, pid: vmPid(t.vm), tid: t.tid + 1, args: { ...args, cpu } });
    }
  }

  private instant(
    cpu: number,
    nowNs: number,
    name: string,
    cat: string,
    args: Record<string, unknown>,
  ): void {
    if (!this.recording) return;
    this.events.push({ name, cat, ph: 'i', s: 't', ts: us(nowNs), pid: TRACE_PID, tid: coreTid(cpu), args });
  }
}

export interface TimelineRunOptions {
  executor?: ExecutorKind;
  /** A threading model of your own instead of `scenario.model`'s (as in RunOptions). */
  policy?: Policy;
  /** Record only this part of the measured window (virtual ns since the run started), to keep files small. */
  window?: { fromNs: number; toNs: number };
}

export interface TimelineRun extends RunResult {
  trace: ChromeTrace;
  /** The recorder's non-idle nanoseconds per core over the window (what the busy slices add up to). */
  cpuBusyNs: number[];
}

/**
 * Run a scenario exactly as `runScenario` does (same warm-up, window and metrics) while building its
 * per-core timeline for the measured window (Chrome's Trace Event Format: open it in Perfetto).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { resolveScenario, runWithTimeline, traceJson } from 'vhost-sim';
 *
 * // 2 ms of the measured window only, to keep the file small.
 * const scenario = resolveScenario({ vms: 2, durationS: 0.01, warmupS: 0.002 });
 * const { metrics, trace } = runWithTimeline(scenario, { window: { fromNs: 2e6, toNs: 4e6 } });
 * writeFileSync('trace.json', traceJson(trace));
 * console.log(metrics.throughput.value, trace.traceEvents.length);
 * ```
 */
export function runWithTimeline(input: Scenario, options: TimelineRunOptions = {}): TimelineRun {
  const scenario = validateScenario(input);
  let builder: TimelineBuilder | undefined;
  const sys = new SimSystem(scenario, {
    executor: options.executor,
    policy: options.policy,
    onTrace: (ev) => builder?.onDeliver(ev),
  });
  builder = new TimelineBuilder(sys, options.window);
  const timeline = builder;
  const { counters, windowNs } = measureWindow(sys, {
    atStart: () => timeline.startWindow(),
    atEnd: () => timeline.endWindow(),
  });
  const metrics = summarize(sys.host, counters, windowNs);
  const trace = builder.toTrace({
    generator: 'vhost-sim',
    scenario: {
      model: scenario.model,
      vms: scenario.vms,
      seed: scenario.seed,
      profile: scenario.profile.name,
    },
    windowNs: [Math.round(scenario.warmupS * 1e9), Math.round(scenario.warmupS * 1e9) + windowNs],
    ...(options.window === undefined ? {} : { traceWindowNs: [options.window.fromNs, options.window.toNs] }),
  });
  const k = categories.length;
  const cpuNs = sys.host.recorder.cpuNs;
  const cpuBusyNs = Array.from({ length: sys.topo.cpus }, (_, cpu) => {
    let busy = 0;
    for (let c = 0; c < k; c++) if (c !== CAT_IDLE) busy += cpuNs[cpu * k + c];
    return busy;
  });
  return { scenario, metrics, events: sys.kernel.eventsFired, trace, cpuBusyNs };
}

/**
 * The trace as JSON text, one event per line (readable, diff-able, and much smaller than indented JSON).
 *
 * @example
 * ```ts
 * import { resolveScenario, runWithTimeline, traceJson } from 'vhost-sim';
 *
 * const { trace } = runWithTimeline(resolveScenario({ durationS: 0.002, warmupS: 0.001 }));
 * const text = traceJson(trace);
 * console.log(text.split('\n').length, JSON.parse(text).traceEvents.length === trace.traceEvents.length);
 * ```
 */
export function traceJson(trace: ChromeTrace): string {
  const lines = trace.traceEvents.map((e) => JSON.stringify(e));
  return `{"displayTimeUnit":${JSON.stringify(trace.displayTimeUnit)},"otherData":${JSON.stringify(trace.otherData)},"traceEvents":[\n${lines.join(',\n')}\n]}\n`;
}
