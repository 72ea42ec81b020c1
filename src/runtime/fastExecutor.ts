import type { Guard, Recipe, SimMachine } from '../../machines/define.ts';
import type { ActorId, SimMsg } from '../../machines/port.ts';
import type { Executor } from './executor.ts';
import type { SimPort } from './simPort.ts';

// biome-ignore lint/suspicious/noExplicitAny: compiled tables are shared by machines of every context type.
type AnyCtx = any;

interface Transition {
  /** The target state, resolved at compile time; null for a targetless (self, no exit) transition. */
  target: CompiledState | null;
  guard: Guard<AnyCtx, SimMsg> | null;
  actions: Recipe<AnyCtx, SimMsg>[];
}

/**
 * One state, precompiled: `on` is a dictionary object (null prototype) from event type to its candidate
 * transitions, so dispatch is one keyed load on the actor's current state, with no Map or name lookups.
 */
interface CompiledState {
  name: string;
  on: Record<string, Transition[] | undefined>;
  always: Transition[] | null;
}

interface Compiled {
  initial: CompiledState;
  states: Record<string, CompiledState>;
}

interface FastActor {
  state: CompiledState;
  ctx: AnyCtx;
}

const cache = new WeakMap<object, Compiled>();

/**
 * Derive a transition table from the XState machine's own config (flat states, `on`, `always`, named
 * guards and actions). Anything outside that subset is refused, so the two executors cannot drift.
 */
export function compileMachine(def: SimMachine<AnyCtx, SimMsg>): Compiled {
  const hit = cache.get(def);
  if (hit !== undefined) return hit;
  const config = def.machine.config as {
    initial: string;
    states: Record<string, Record<string, unknown>>;
  };
  const states: Record<string, CompiledState> = Object.create(null);
  for (const name of Object.keys(config.states))
    states[name] = { name, on: Object.create(null), always: null };
  const toTransitions = (raw: unknown, where: string): Transition[] => {
    const list = (Array.isArray(raw) ? raw : [raw]) as {
      target?: string;
      guard?: string;
      actions?: string[];
    }[];
    return list.map((t) => {
      const guard = t.guard === undefined ? null : def.guards[t.guard];
      if (guard === undefined) throw new Error(`${where}: unknown guard ${t.guard}`);
      const actions = (t.actions ?? []).map((name) => {
        const a = def.actions[name];
        if (a === undefined) throw new Error(`${where}: unknown action ${name}`);
        return a;
      });
      let target: CompiledState | null = null;
      if (t.target !== undefined) {
        target = states[t.target] ?? null;
        if (target === null) throw new Error(`${where}: unknown target state ${t.target}`);
      }
      return { target, guard, actions };
    });
  };
  for (const [name, st] of Object.entries(config.states)) {
    for (const key of Object.keys(st)) {
      if (
        !['description', 'tags', 'on', 'always'].includes(key) ||
        (key === 'always' && st[key] === undefined)
      ) {
        if (st[key] !== undefined)
          throw new Error(`${config.initial}/${name}: '${key}' is not supported by the fast executor`);
      }
    }
    const compiled = states[name];
    for (const [type, raw] of Object.entries((st.on ?? {}) as Record<string, unknown>)) {
      compiled.on[type] = toTransitions(raw, `${name}.on.${type}`);
    }
    const always = st.always === undefined ? null : toTransitions(st.always, `${name}.always`);
    compiled.always = always !== null && always.length > 0 ? always : null;
  }
  const initial = states[config.initial];
  if (initial === undefined) throw new Error(`unknown initial state ${config.initial}`);
  const result = { initial, states };
  cache.set(def, result);
  return result;
}

/** Eventless transitions taken in a row before we call it a loop (XState would spin forever). */
const MAX_EVENTLESS = 64;

/**
 * The fast executor: walks the compiled table and applies the very same recipes in place, without the
 * interpreter's snapshots, immer drafts or mailboxes.
 */
export class FastExecutor implements Executor {
  readonly kind = 'fast' as const;
  private readonly actors: FastActor[] = [];

  constructor(private readonly port: SimPort) {}

  spawn(def: SimMachine<AnyCtx, SimMsg>, context: object): ActorId {
    const compiled = compileMachine(def);
    this.actors.push({ state: compiled.initial, ctx: context });
    return this.actors.length - 1;
  }

  deliver(id: ActorId, ev: SimMsg): void {
    const actor = this.actors[id];
    const port = this.port;
    port.self = id;
    const candidates = actor.state.on[ev.type];
    if (candidates === undefined) return;
    const ctx = actor.ctx;
    for (let i = 0; i < candidates.length; i++) {
      const t = candidates[i];
      if (t.guard !== null && !t.guard(ctx, ev, port)) continue;
      take(actor, t, ev, port);
      if (actor.state.always !== null) eventless(actor, ev, port);
      return;
    }
  }

  read<T>(id: ActorId): T {
    return this.actors[id].ctx as T;
  }

  stateOf(id: ActorId): string {
    return this.actors[id].state.name;
  }
}

function take(actor: FastActor, t: Transition, ev: SimMsg, port: SimPort): void {
  const actions = t.actions;
  for (let i = 0; i < actions.length; i++) actions[i](actor.ctx, ev, port);
  if (t.target !== null) actor.state = t.target;
}

/** Eventless (`always`) transitions, taken until none applies, as XState does after each transition. */
function eventless(actor: FastActor, ev: SimMsg, port: SimPort): void {
  for (let guardRail = 0; guardRail < MAX_EVENTLESS; guardRail++) {
    const always = actor.state.always;
    if (always === null) return;
    let taken = false;
    for (let i = 0; i < always.length; i++) {
      const t = always[i];
      if (t.guard !== null && !t.guard(actor.ctx, ev, port)) continue;
      take(actor, t, ev, port);
      taken = true;
      break;
    }
    if (!taken) return;
  }
  throw new Error(`eventless transitions loop in state ${actor.state.name}`);
}
