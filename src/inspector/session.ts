/**
 * An inspection session: one live SimSystem (XState actors, virtual time) per model on the same scenario,
 * advanced in slices on a wall-clock timer paced by a speed factor, with pause / step / select controls.
 * Wall-clock timers live here and in src/cli only; the simulation itself never sees them.
 */
import { machines } from '../../machines/index.ts';
import type { ModelName, Scenario } from '../model/scenario.ts';
import { SimSystem } from '../runtime/system.ts';
import type { TraceEvent } from '../runtime/trace.ts';
import type { Command } from './commands.ts';
import { toSvg } from './diagram.ts';
import { type MachineGraph, machineGraph } from './machineGraph.ts';
import {
  buildSnapshot,
  contextForPage,
  machineOfActor,
  readTotals,
  type SystemSnapshot,
  type Totals,
} from './snapshot.ts';

export const DEFAULT_SPEED = 0.001;
/** Rates (throughput, efficiency, ...) are computed over about this much virtual time. */
const RATE_WINDOW_NS = 2_000_000;
/** Trace lines kept per system between two state messages. */
const LOG_CAP = 300;
/** Wall time between slices. */
const TICK_MS = 100;
/** A slow slice (busy machine) is not caught up beyond this much wall time. */
const MAX_CATCH_UP_MS = 250;

export interface TraceLine {
  atNs: number;
  actor: string;
  event: string;
  state: string;
}

interface Side {
  model: ModelName;
  sys: SimSystem;
  samples: Totals[];
  log: TraceLine[];
  dropped: number;
}

export interface SelectedView {
  model: string;
  key: string;
  machine: string | null;
  state: string;
  context: unknown;
}

export interface StateMessage {
  type: 'state';
  paused: boolean;
  speed: number;
  viewers: number;
  systems: (SystemSnapshot & { log: TraceLine[]; logDropped: number })[];
  selected: SelectedView | null;
}

export interface HelloMessage {
  type: 'hello';
  models: string[];
  scenario: { vms: number; profile: string; cpus: number; sockets: number; seed: number; workload: string };
  machines: Record<string, { graph: MachineGraph; svg: string }>;
  stately: string | null;
}

export interface SessionOptions {
  scenario: Scenario;
  models: ModelName[];
  speed?: number;
  paused?: boolean;
  /** An XState inspection observer per system (e.g. Stately Inspect), given the actor keys. */
  inspectFor?: (model: string, keys: () => readonly string[]) => (ev: unknown) => void;
}

export class InspectorSession {
  readonly sides: Side[];
  readonly scenario: Scenario;
  paused: boolean;
  speed: number;
  private viewers = 0;
  private selected: { model: string; actor: string } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastTickMs = 0;
  /** Called after every slice and every command (the server broadcasts). */
  onChange: () => void = () => {};
  /** Whether anything (a page, Stately) is watching: the simulation advances only then. */
  externalViewer = false;

  constructor(opts: SessionOptions) {
    this.scenario = opts.scenario;
    this.speed = opts.speed ?? DEFAULT_SPEED;
    this.paused = opts.paused ?? false;
    this.sides = opts.models.map((model) => {
      const side: Side = { model, sys: undefined as unknown as SimSystem, samples: [], log: [], dropped: 0 };
      // The trace hook is fixed at construction; it forwards only while a page is connected.
      const onTrace = (ev: TraceEvent) => {
        if (this.viewers === 0) return;
        if (side.log.length >= LOG_CAP) {
          side.log.shift();
          side.dropped++;
        }
        side.log.push({ atNs: ev.atNs, actor: ev.actor, event: ev.event, state: ev.state });
      };
      side.sys = new SimSystem(
        { ...opts.scenario, model },
        { executor: 'xstate', onTrace, inspect: opts.inspectFor?.(model, () => side.sys?.keys ?? []) },
      );
      side.sys.start();
      side.samples.push(readTotals(side.sys));
      return side;
    });
  }

  get models(): string[] {
    return this.sides.map((s) => s.model);
  }

  setViewers(n: number): void {
    this.viewers = n;
    if (n === 0) for (const s of this.sides) s.log = [];
  }

  /** The shared virtual clock: systems that stepped single events may be slightly apart. */
  get nowNs(): number {
    return Math.max(...this.sides.map((s) => s.sys.kernel.nowNs));
  }

  /** Advance every system to the same virtual instant `untilNs`. */
  runUntil(untilNs: number): void {
    for (const s of this.sides) s.sys.kernel.run({ untilNs: Math.max(untilNs, s.sys.kernel.nowNs) });
    this.sample();
  }

  /** Fire exactly one event in each system (kernel.step()). */
  stepOne(): void {
    for (const s of this.sides) s.sys.kernel.step();
    this.sample();
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
    switch (cmd.type) {
      case 'pause':
        this.paused = true;
        break;
      case 'resume':
        this.paused = false;
        this.lastTickMs = performance.now();
        break;
      case 'step':
        this.paused = true;
        this.stepOne();
        break;
      case 'stepUs':
        this.paused = true;
        this.runUntil(this.nowNs + cmd.us * 1000);
        break;
      case 'speed':
        this.speed = cmd.factor;
        break;
      case 'select':
        this.selected = { model: cmd.model, actor: cmd.actor };
        break;
      case 'deselect':
        this.selected = null;
        break;
    }
    this.onChange();
  }

  /** One slice: virtual time = speed x wall time since the last slice (bounded). */
  tick(): void {
    const nowMs = performance.now();
    const wallMs = Math.min(MAX_CATCH_UP_MS, nowMs - this.lastTickMs);
    this.lastTickMs = nowMs;
    if (this.paused || (this.viewers === 0 && !this.externalViewer)) return;
    const sliceNs = Math.max(1, Math.round(this.speed * wallMs * 1e6));
    this.runUntil(this.nowNs + sliceNs);
    this.onChange();
  }

  start(): void {
    this.lastTickMs = performance.now();
    const loop = () => {
      const t0 = performance.now();
      this.tick();
      const spent = performance.now() - t0;
      this.timer = setTimeout(loop, Math.max(10, TICK_MS - spent));
    };
    this.timer = setTimeout(loop, TICK_MS);
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
      scenario: {
        vms: s.vms,
        profile: s.profile.name,
        cpus: s.profile.cpu.sockets * s.profile.cpu.coresPerSocket,
        sockets: s.profile.cpu.sockets,
        seed: s.seed,
        workload: `${s.workload.kind} x${s.workload.instances}`,
      },
      machines: graphs,
      stately,
    };
  }

  /** The state message for the page; drains the trace lines gathered since the last one. */
  state(): StateMessage {
    const systems = this.sides.map((s) => {
      const snap = buildSnapshot(s.sys, s.model, s.samples[0]);
      const out = { ...snap, log: s.log, logDropped: s.dropped };
      s.log = [];
      s.dropped = 0;
      return out;
    });
    return {
      type: 'state',
      paused: this.paused,
      speed: this.speed,
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
