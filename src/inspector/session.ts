/**
 * An inspection session: one live SimSystem (XState actors, virtual time) per model on the same scenario,
 * advanced in slices on a wall-clock timer paced by a speed factor, with pause / step / select controls.
 * Wall-clock timers live here and in src/cli only; the simulation itself never sees them.
 */
import { machines } from '../../machines/index.ts';
import type { PcpuContext } from '../../machines/pcpu.machine.ts';
import { modelNames, type Scenario } from '../model/scenario.ts';
import { cpuCount } from '../model/topology.ts';
import type { PolicyFactory } from '../policies/module.ts';
import { SimSystem } from '../runtime/system.ts';
import type { TraceEvent } from '../runtime/trace.ts';
import { type Command, SPEED_MAX, SPEED_MIN, STEP_US_MAX, TIMELINE_US, UNTIL_US_MAX } from './commands.ts';
import { CoreTimeline, type Segment } from './coreTimeline.ts';
import { toSvg } from './diagram.ts';
import { type FollowView, TxnFollower } from './follow.ts';
import { type MachineGraph, machineGraph } from './machineGraph.ts';
import { describePayload } from './message.ts';
import {
  buildSnapshot,
  contextForPage,
  machineOfActor,
  readTotals,
  type SystemSnapshot,
  type Totals,
} from './snapshot.ts';

export const DEFAULT_SPEED = 0.001;
/**
 * The most VMs, and simulated threads (vCPUs + queue pairs, as `scenario.vms` counts them), one session
 * shows: every state message carries every actor, and a page cannot draw more than a few hundred.
 */
export const MAX_VMS = 256;
export const MAX_THREADS = 1024;

/** Why the inspector cannot show `s` (a one-line reason naming the field), or null when it can. */
export function tooBigToInspect(s: Scenario): string | null {
  if (s.vms > MAX_VMS) return `vms: the inspector shows at most ${MAX_VMS} VMs (here ${s.vms})`;
  const threads = s.vms * (s.vcpusPerVm + s.devicesPerVm * s.queuePairs);
  if (threads > MAX_THREADS) {
    return `vms: the inspector shows at most ${MAX_THREADS} threads and queue pairs, vms x (vcpusPerVm + devicesPerVm x queuePairs) (here ${threads})`;
  }
  return null;
}
/** Rates (throughput, efficiency, ...) are computed over about this much virtual time. */
const RATE_WINDOW_NS = 2_000_000;
/** Trace lines kept per system between two state messages. */
const LOG_CAP = 300;
/** Wall time between slices. */
const TICK_MS = 100;
/** A slow slice (busy machine) is not caught up beyond this much wall time. */
const MAX_CATCH_UP_MS = 250;
/**
 * Wall time one slice may compute before the session yields to the event loop (the server's sockets,
 * a cancel): a long step is many slices, never one blocking run.
 */
const SLICE_BUDGET_MS = 50;
/** The achieved rate is measured over about this much wall time of running. */
const ACHIEVED_WINDOW_MS = 3000;
/** Bounds of the adaptive chunk of virtual time run between two looks at the wall clock. */
const CHUNK_MIN_NS = 1_000;
const CHUNK_MAX_NS = 10_000_000;
/** A chunk aims to take between these many wall milliseconds. */
const CHUNK_FAST_MS = 2;
const CHUNK_SLOW_MS = 10;

export interface TraceLine {
  atNs: number;
  actor: string;
  event: string;
  state: string;
  /** The sender's key, or `kernel` (see TraceEvent.from). */
  from: string;
  /** The message's fields besides its type, in a few words (message.ts). */
  payload: string;
}

interface Side {
  /** A built-in model's name, or a policy module's label (`SessionOptions.policies`). */
  model: string;
  sys: SimSystem;
  timeline: CoreTimeline;
  samples: Totals[];
  log: TraceLine[];
  dropped: number;
  /** The transaction followed (`follow` command), fed by every delivery. */
  follower: TxnFollower | null;
}

export interface SelectedView {
  model: string;
  key: string;
  machine: string | null;
  state: string;
  context: unknown;
}

/** A long step in progress: from where, to where, and where the shared clock is now. */
export interface StepProgress {
  fromNs: number;
  targetNs: number;
  atNs: number;
}

/**
 * A step back in progress: every system rebuilt from the seed and replayed to an earlier event count.
 * Counts are summed over the systems.
 */
export interface ReplayProgress {
  targetEvents: number;
  atEvents: number;
}

export interface StateMessage {
  type: 'state';
  /** Commands the session has applied (any viewer's), counted from its start. */
  applied: number;
  paused: boolean;
  speed: number;
  /** Virtual seconds per wall second actually achieved while running (null: not running or not yet measured). */
  achieved: number | null;
  /** The `stepUs` being computed, slice by slice (null: none). */
  step: StepProgress | null;
  /** An `until` being run: the message waited for. */
  until: { event: string; actor: string } | null;
  replay: ReplayProgress | null;
  viewers: number;
  systems: (SystemSnapshot & {
    log: TraceLine[];
    logDropped: number;
    /** What each core did over the last `windowNs` (see coreTimeline.ts). */
    timeline: { windowNs: number; cores: Segment[][] };
    /** The followed transaction's stages and path (null: none followed). */
    follow: FollowView | null;
  })[];
  selected: SelectedView | null;
}

export interface HelloMessage {
  type: 'hello';
  models: string[];
  /** Every model the session can show. */
  allModels: readonly string[];
  /** Where the warm-up ends (`warmupS`), in virtual ns. */
  warmupNs: number;
  scenario: { vms: number; profile: string; cpus: number; sockets: number; seed: number; workload: string };
  machines: Record<string, { graph: MachineGraph; svg: string }>;
  stately: string | null;
  limits: { speedMin: number; speedMax: number; stepUsMax: number };
}

export interface SessionOptions {
  scenario: Scenario;
  /** The sides to show: built-in model names, or labels of `policies`. */
  models: string[];
  /**
   * Policies of the user's own (`--policy <module>`), by the label the page shows; each build of a side
   * (a start, a step back, a change of models) makes a fresh Policy: a policy keeps state.
   */
  policies?: ReadonlyMap<string, PolicyFactory>;
  speed?: number;
  paused?: boolean;
  /** An XState inspection observer per system (e.g. Stately Inspect), given the actor keys. */
  inspectFor?: (model: string, keys: () => readonly string[]) => (ev: unknown) => void;
  /** Wall clock in ms (tests inject one); only pacing and slicing read it, never the simulation. */
  wallMs?: () => number;
  /** Start by computing the warm-up (paused at its end), so the cards show the measured regime. */
  afterWarmup?: boolean;
}

/** The per-core timeline keeps this much virtual time: the widest window the page can ask for. */
const TIMELINE_KEEP_NS = Math.max(...TIMELINE_US) * 1000;

/** After a delivery to core `cpu`'s actor: its state, the thread it runs and that thread's VM. */
function noteCore(side: Side, cpu: number, atNs: number, state: string): void {
  const h = side.sys.host;
  const curr = h.rqs[cpu].curr;
  const task = curr >= 0 ? h.tasks[curr] : null;
  let vm = -1;
  if (task !== null) {
    vm = task.kind === 'vcpu' ? task.vm : side.sys.executor.read<PcpuContext>(h.cpuActor[cpu]).runVm;
  }
  side.timeline.note(cpu, atNs, state, task?.name ?? null, state === 'idle' ? -1 : vm);
}

/** Models shown side by side at most. */
export const MAX_SIDES = 2;

export class InspectorSession {
  sides: Side[];
  private readonly inspectFor: SessionOptions['inspectFor'];
  private readonly policies: ReadonlyMap<string, PolicyFactory>;
  readonly scenario: Scenario;
  paused: boolean;
  speed: number;
  private viewers = 0;
  private selected: { model: string; actor: string } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastTickMs = 0;
  private lastBroadcastMs = 0;
  private readonly wallMs: () => number;
  /** Virtual time run between two looks at the wall clock; adapts to the cost of an event. */
  private chunkNs = 10_000;
  private job: { fromNs: number; targetNs: number } | null = null;
  /** Fire events until this message is delivered (`until` command), within `limitNs`. */
  private until: { event: string; actor: string; limitNs: number; hit: boolean } | null = null;
  /** Commands applied so far: a page knows a state came after its command. */
  private applied = 0;
  /** The VM whose transaction is followed in every model (null: none). */
  private followVm: number | null = null;
  /** A step back being replayed: each system's event count to reach. */
  private replay: number[] | null = null;
  /** (wall ms, virtual ns) while running, for the achieved rate. */
  private pace: { wallMs: number; nowNs: number }[] = [];
  /** The window of the per-core timeline the page shows (only that much is sent). */
  private timelineNs = 200_000;
  /** Called after every slice and every command (the server broadcasts). */
  onChange: () => void = () => {};
  /** Called with a one-line reason when a command cannot apply (the server sends it as an error). */
  onError: (error: string) => void = () => {};
  /** Called when the models change, before `onChange` (the server sends a new hello). */
  onModels: () => void = () => {};
  /** Whether anything (a page, Stately) is watching: the simulation advances only then. */
  externalViewer = false;

  constructor(opts: SessionOptions) {
    const tooBig = tooBigToInspect(opts.scenario);
    if (tooBig !== null) throw new RangeError(tooBig);
    this.scenario = opts.scenario;
    this.wallMs = opts.wallMs ?? (() => performance.now());
    this.speed = opts.speed ?? DEFAULT_SPEED;
    this.paused = opts.paused ?? false;
    this.inspectFor = opts.inspectFor;
    this.policies = opts.policies ?? new Map();
    for (const label of this.policies.keys())
      if ((modelNames as readonly string[]).includes(label))
        throw new RangeError(`policy label '${label}' is a built-in model's name`);
    this.sides = this.build(opts.models);
    if (opts.afterWarmup) this.skipWarmup();
  }

  /** One live system per model, at virtual time 0. */
  private build(models: readonly string[]): Side[] {
    if (models.length < 1 || models.length > MAX_SIDES) {
      throw new RangeError(
        `the inspector shows 1 to ${MAX_SIDES} models side by side (got ${models.length})`,
      );
    }
    for (const m of models)
      if (!this.allModels.includes(m)) throw new RangeError(`no model or policy '${m}' in this session`);
    return models.map((model) => {
      const cpus = this.scenario.profile.cpu.sockets * this.scenario.profile.cpu.coresPerSocket;
      const side: Side = {
        model,
        sys: undefined as unknown as SimSystem,
        timeline: new CoreTimeline(cpus, TIMELINE_KEEP_NS),
        samples: [],
        log: [],
        dropped: 0,
        follower: null,
      };
      /** Actor key -> core, for the timeline. */
      const cpuOf = new Map<string, number>();
      // The trace hook is fixed at construction; it forwards only while a page is connected.
      const onTrace = (ev: TraceEvent) => {
        const u = this.until;
        if (u !== null && ev.event === u.event && ev.actor.startsWith(u.actor)) u.hit = true;
        if (this.viewers === 0) return;
        if (side.log.length >= LOG_CAP) {
          side.log.shift();
          side.dropped++;
        }
        side.log.push({
          atNs: ev.atNs,
          actor: ev.actor,
          event: ev.event,
          state: ev.state,
          from: ev.from,
          payload: describePayload(ev.msg),
        });
        const cpu = cpuOf.get(ev.actor);
        if (cpu !== undefined) noteCore(side, cpu, ev.atNs, ev.state);
        side.follower?.observe(ev);
      };
      const policy = this.policies.get(model);
      // A policy module's side runs the scenario as given, its model replaced by the policy (as `run --policy`).
      side.sys = new SimSystem(
        policy === undefined ? { ...this.scenario, model: model as Scenario['model'] } : this.scenario,
        {
          executor: 'xstate',
          onTrace,
          inspect: this.inspectFor?.(model, () => side.sys?.keys ?? []),
          policy: policy?.(this.scenario),
        },
      );
      for (const [cpu, id] of side.sys.host.cpuActor.entries()) cpuOf.set(side.sys.keys[id], cpu);
      if (this.followVm !== null) side.follower = new TxnFollower(side.sys, this.followVm);
      side.sys.start();
      side.samples.push(readTotals(side.sys));
      return side;
    });
  }

  /** Compute the scenario's warm-up (`warmupS`) as a long step, slice by slice. */
  private skipWarmup(): void {
    const warmupNs = Math.round(this.scenario.warmupS * 1e9);
    if (this.minNowNs >= warmupNs) return;
    this.paused = true;
    this.job = { fromNs: this.minNowNs, targetNs: warmupNs };
    this.kick();
  }

  get models(): string[] {
    return this.sides.map((s) => s.model);
  }

  /** Every side the session can show: the built-in models, then the policy modules' labels. */
  get allModels(): string[] {
    return [...modelNames, ...this.policies.keys()];
  }

  setViewers(n: number): void {
    this.viewers = n;
    if (n > 0) return;
    for (const s of this.sides) {
      s.log = [];
      s.timeline.clear();
    }
  }

  /** The shared virtual clock: systems that stepped single events may be slightly apart. */
  get nowNs(): number {
    return Math.max(...this.sides.map((s) => s.sys.kernel.nowNs));
  }

  /** The earliest clock among the systems. */
  private get minNowNs(): number {
    return Math.min(...this.sides.map((s) => s.sys.kernel.nowNs));
  }

  /** Advance every system to the same virtual instant `untilNs` (in one go: for tests and short steps). */
  runUntil(untilNs: number): void {
    for (const s of this.sides) s.sys.kernel.run({ untilNs: Math.max(untilNs, s.sys.kernel.nowNs) });
    this.sample();
  }

  /**
   * Advance every system towards `untilNs` in chunks, all to the same instant chunk by chunk, until it is
   * reached or `budgetMs` of wall time is spent. Returns whether it was reached. `kernel.run` windows
   * partition time, so the result does not depend on the chunking.
   */
  advance(untilNs: number, budgetMs: number): boolean {
    const t0 = this.wallMs();
    let reached = this.minNowNs >= untilNs;
    while (!reached) {
      const c0 = this.wallMs();
      const end = Math.min(untilNs, this.minNowNs + this.chunkNs);
      for (const s of this.sides) if (s.sys.kernel.nowNs < end) s.sys.kernel.run({ untilNs: end });
      const c1 = this.wallMs();
      if (c1 - c0 < CHUNK_FAST_MS) this.chunkNs = Math.min(CHUNK_MAX_NS, this.chunkNs * 2);
      else if (c1 - c0 > CHUNK_SLOW_MS) this.chunkNs = Math.max(CHUNK_MIN_NS, Math.floor(this.chunkNs / 2));
      reached = end >= untilNs;
      if (c1 - t0 >= budgetMs) break;
    }
    this.sample();
    return reached;
  }

  /**
   * Fire the one event that comes next across all systems (the one whose next event is earliest, the
   * first on a tie): the systems share one clock, as if their events were merged into one queue.
   */
  stepOne(): void {
    this.fireNext();
    this.sample();
  }

  /** Fire the next event across all systems (see `stepOne`); false when none has one. */
  private fireNext(): boolean {
    let next: Side | null = null;
    let nextAt = Number.POSITIVE_INFINITY;
    for (const s of this.sides) {
      const at = s.sys.kernel.nextAtNs;
      if (at !== null && at < nextAt) {
        next = s;
        nextAt = at;
      }
    }
    return next?.sys.kernel.step() ?? false;
  }

  /** The long step being computed, if any. */
  get stepProgress(): StepProgress | null {
    return this.job === null ? null : { ...this.job, atNs: this.minNowNs };
  }

  /** Virtual seconds per wall second over the recent running window (null: too little to tell). */
  get achieved(): number | null {
    if (this.paused || this.pace.length < 2) return null;
    const a = this.pace[0];
    const b = this.pace[this.pace.length - 1];
    const wall = b.wallMs - a.wallMs;
    return wall < TICK_MS ? null : (b.nowNs - a.nowNs) / (wall * 1e6);
  }

  private sample(): void {
    for (const s of this.sides) {
      const t = readTotals(s.sys);
      const last = s.samples[s.samples.length - 1];
      if (last !== undefined && last.atNs === t.atNs && last.events === t.events) continue;
      s.samples.push(t);
      // Keep one sample at least a window old, and drop the older ones.
      while (s.samples.length > 2 && s.samples[1].atNs <= t.atNs - RATE_WINDOW_NS) s.samples.shift();
    }
  }

  apply(cmd: Command): void {
    // A page's receipt of a state is the transport's business (server.ts), not the session's.
    if (cmd.type === 'drawn') return;
    this.applied++;
    switch (cmd.type) {
      case 'pause':
      case 'cancel':
        // A cancelled replay leaves the systems where the replay got to: an earlier, consistent state.
        this.paused = true;
        this.job = null;
        this.replay = null;
        this.until = null;
        break;
      case 'resume':
        this.paused = false;
        this.job = null;
        this.replay = null;
        this.until = null;
        this.lastTickMs = this.wallMs();
        this.pace = [];
        break;
      case 'step':
        this.paused = true;
        this.job = null;
        this.replay = null;
        this.until = null;
        this.stepOne();
        break;
      case 'stepUs':
        // Computed slice by slice by the loop (`pump`), which yields between slices.
        this.paused = true;
        this.replay = null;
        this.until = null;
        this.job = { fromNs: this.minNowNs, targetNs: this.minNowNs + cmd.us * 1000 };
        this.kick();
        break;
      case 'back':
        this.stepBack(cmd.events);
        break;
      case 'until':
        this.paused = true;
        this.job = null;
        this.replay = null;
        this.until = {
          event: cmd.event,
          actor: cmd.actor,
          limitNs: this.nowNs + UNTIL_US_MAX * 1000,
          hit: false,
        };
        this.kick();
        break;
      case 'follow':
        if (cmd.vm >= this.scenario.vms) {
          this.onError(`vm: no VM ${cmd.vm} (the scenario has ${this.scenario.vms})`);
          return;
        }
        this.followVm = cmd.vm;
        for (const s of this.sides) s.follower = new TxnFollower(s.sys, cmd.vm);
        break;
      case 'unfollow':
        this.followVm = null;
        for (const s of this.sides) s.follower = null;
        break;
      case 'speed':
        this.speed = cmd.factor;
        this.pace = [];
        break;
      case 'select':
        this.selected = { model: cmd.model, actor: cmd.actor };
        break;
      case 'timeline':
        this.timelineNs = cmd.us * 1000;
        break;
      case 'skipWarmup':
        this.skipWarmup();
        break;
      case 'models':
        // A new pair starts over at time 0, on the same scenario, paused.
        this.sides = this.build(cmd.models);
        this.paused = true;
        this.job = null;
        this.replay = null;
        this.until = null;
        this.selected = null;
        this.pace = [];
        this.onModels();
        break;
      case 'deselect':
        this.selected = null;
        break;
    }
    this.onChange();
  }

  /**
   * Go back `events` events in each system: the simulation keeps no undo log, but it is deterministic, so
   * each system is rebuilt from the scenario and its seed and replayed, event by event, to the earlier
   * count (slice by slice, like a long step). The selection is kept.
   */
  stepBack(events: number): void {
    const targets = this.sides.map((s) => Math.max(0, s.sys.kernel.eventsFired - events));
    const selected = this.selected;
    this.sides = this.build(this.sides.map((s) => s.model));
    this.selected = selected;
    this.paused = true;
    this.job = null;
    this.until = null;
    this.pace = [];
    this.replay = targets;
    this.kick();
  }

  /** Fire events until each system reaches its replay target or `budgetMs` is spent; true when reached. */
  private replaySlice(targets: number[], budgetMs: number): boolean {
    const t0 = this.wallMs();
    let done = false;
    while (!done && this.wallMs() - t0 < budgetMs) {
      done = true;
      this.sides.forEach((s, i) => {
        // A few thousand events between two looks at the clock.
        let more = true;
        for (let k = 0; k < 2000 && more && s.sys.kernel.eventsFired < targets[i]; k++)
          more = s.sys.kernel.step();
        if (more && s.sys.kernel.eventsFired < targets[i]) done = false;
      });
    }
    this.sample();
    return done;
  }

  /** The step back being replayed, if any (event counts summed over the systems). */
  get replayProgress(): ReplayProgress | null {
    if (this.replay === null) return null;
    let at = 0;
    for (const s of this.sides) at += s.sys.kernel.eventsFired;
    return { targetEvents: this.replay.reduce((a, b) => a + b, 0), atEvents: at };
  }

  /**
   * One slice of a long step or a replay: at most `SLICE_BUDGET_MS` of computing. Broadcasts at most
   * every `TICK_MS` while it goes on, and once when it ends. Returns whether one remains.
   */
  pump(): boolean {
    if (this.until !== null) {
      const t0 = this.wallMs();
      const u = this.until;
      // In the merged order of the models, event by event, until the message is delivered in one of them.
      while (!u.hit && this.minNowNs < u.limitNs && this.wallMs() - t0 < SLICE_BUDGET_MS) {
        for (let k = 0; k < 500 && !u.hit && this.minNowNs < u.limitNs; k++) {
          if (!this.fireNext()) u.limitNs = this.minNowNs; // nothing left to fire
        }
      }
      this.sample();
      if (u.hit || this.minNowNs >= u.limitNs) {
        if (!u.hit) this.onError(`no ${u.event} to ${u.actor || 'any actor'} within ${UNTIL_US_MAX} µs`);
        this.until = null;
      }
      const nowMs = this.wallMs();
      if (this.until === null || nowMs - this.lastBroadcastMs >= TICK_MS) {
        this.lastBroadcastMs = nowMs;
        this.onChange();
      }
      return this.until !== null;
    }
    if (this.replay !== null) {
      if (this.replaySlice(this.replay, SLICE_BUDGET_MS)) this.replay = null;
      const nowMs = this.wallMs();
      if (this.replay === null || nowMs - this.lastBroadcastMs >= TICK_MS) {
        this.lastBroadcastMs = nowMs;
        this.onChange();
      }
      return this.replay !== null;
    }
    if (this.job === null) return false;
    if (this.advance(this.job.targetNs, SLICE_BUDGET_MS)) this.job = null;
    const nowMs = this.wallMs();
    if (this.job === null || nowMs - this.lastBroadcastMs >= TICK_MS) {
      this.lastBroadcastMs = nowMs;
      this.onChange();
    }
    return this.job !== null;
  }

  /**
   * One slice of running: virtual time = speed x wall time since the last slice (bounded), computed for
   * at most `SLICE_BUDGET_MS`. A machine too slow for the chosen speed falls behind, and `achieved`
   * says by how much: the lost time is not made up later.
   */
  tick(): void {
    const nowMs = this.wallMs();
    const wallMs = Math.min(MAX_CATCH_UP_MS, nowMs - this.lastTickMs);
    this.lastTickMs = nowMs;
    if (this.paused || (this.viewers === 0 && !this.externalViewer)) return;
    const sliceNs = Math.max(1, Math.round(this.speed * wallMs * 1e6));
    this.advance(this.nowNs + sliceNs, SLICE_BUDGET_MS);
    this.pace.push({ wallMs: this.wallMs(), nowNs: this.nowNs });
    while (this.pace.length > 2 && this.pace[1].wallMs <= nowMs - ACHIEVED_WINDOW_MS) this.pace.shift();
    this.onChange();
  }

  /** The loop: a slice of a long step as soon as the event loop is free, else a tick every `TICK_MS`. */
  start(): void {
    this.lastTickMs = this.wallMs();
    this.schedule(TICK_MS);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const t0 = this.wallMs();
      if (this.pump()) return this.schedule(0);
      this.tick();
      this.schedule(Math.max(10, TICK_MS - (this.wallMs() - t0)));
    }, delayMs);
  }

  /** Start computing a new long step at once (if the loop runs). */
  private kick(): void {
    if (this.timer !== null) this.schedule(0);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  hello(stately: string | null): HelloMessage {
    const s = this.scenario;
    const graphs: HelloMessage['machines'] = {};
    for (const [id, m] of Object.entries(machines)) {
      const graph = machineGraph(m.machine);
      graphs[id] = { graph, svg: toSvg(graph) };
    }
    return {
      type: 'hello',
      models: this.models,
      allModels: this.allModels,
      warmupNs: Math.round(s.warmupS * 1e9),
      scenario: {
        vms: s.vms,
        profile: s.profile.name,
        cpus: cpuCount(s.profile.cpu),
        sockets: s.profile.cpu.sockets,
        seed: s.seed,
        workload: `${s.workload.kind} x${s.workload.instances}`,
      },
      machines: graphs,
      stately,
      limits: { speedMin: SPEED_MIN, speedMax: SPEED_MAX, stepUsMax: STEP_US_MAX },
    };
  }

  /** The state message for the page; drains the trace lines gathered since the last one. */
  state(): StateMessage {
    const systems = this.sides.map((s) => {
      const snap = buildSnapshot(s.sys, s.model, s.samples[0]);
      const out = {
        ...snap,
        log: s.log,
        logDropped: s.dropped,
        timeline: { windowNs: this.timelineNs, cores: s.timeline.view(snap.nowNs, this.timelineNs) },
        follow: s.follower?.view() ?? null,
      };
      s.log = [];
      s.dropped = 0;
      return out;
    });
    return {
      type: 'state',
      applied: this.applied,
      paused: this.paused,
      speed: this.speed,
      achieved: this.achieved,
      step: this.stepProgress,
      until: this.until === null ? null : { event: this.until.event, actor: this.until.actor },
      replay: this.replayProgress,
      viewers: this.viewers,
      systems,
      selected: this.selectedView(),
    };
  }

  private selectedView(): SelectedView | null {
    if (this.selected === null) return null;
    const side = this.sides.find((s) => s.model === this.selected?.model);
    if (side === undefined) return null;
    const id = side.sys.keys.indexOf(this.selected.actor);
    if (id < 0) return null;
    return {
      model: side.model,
      key: this.selected.actor,
      machine: machineOfActor(side.sys.host, id),
      state: side.sys.executor.stateOf(id),
      context: contextForPage(side.sys.executor.read(id)),
    };
  }
}
