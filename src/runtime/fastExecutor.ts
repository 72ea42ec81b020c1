import type { Guard, Recipe, SimMachine } from '../../machines/define.ts';
import type { ActorId, SimMsg } from '../../machines/port.ts';
import type { Executor } from './executor.ts';
import type { SimPort } from './simPort.ts';

// biome-ignore lint/suspicious/noExplicitAny: compiled tables are shared by machines of every context type.
type AnyCtx = any;

interface Transition {
  target: string | undefined;
  guard: Guard<AnyCtx, SimMsg> | null;
  actions: Recipe<AnyCtx, SimMsg>[];
}

interface CompiledState {
  on: Map<string, Transition[]>;
  always: Transition[] | null;
}

interface Compiled {
  initial: string;
  states: Record<string, CompiledState>;
}

interface FastActor {
  compiled: Compiled;
  state: string;
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
      return { target: t.target, guard, actions };
    });
  };
  const states: Record<string, CompiledState> = {};
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
    const on = new Map<string, Transition[]>();
    for (const [type, raw] of Object.entries((st.on ?? {}) as Record<string, unknown>)) {
      on.set(type, toTransitions(raw, `${name}.on.${type}`));
    }
    const always = st.always === undefined ? null : toTransitions(st.always, `${name}.always`);
    states[name] = { on, always: always !== null && always.length > 0 ? always : null };
  }
  const compiled = { initial: config.initial, states };
  cache.set(def, compiled);
  return compiled;
}

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
    this.actors.push({ compiled, state: compiled.initial, ctx: context });
    return this.actors.length - 1;
  }

  deliver(id: ActorId, ev: SimMsg): void {
    const actor = this.actors[id];
    const port = this.port;
    port.self = id;
    const candidates = actor.compiled.states[actor.state].on.get(ev.type);
    if (candidates === undefined) return;
    for (const t of candidates) {
      if (t.guard !== null && !t.guard(actor.ctx, ev, port)) continue;
      this.take(actor, t, ev);
      this.eventless(actor, ev);
      return;
    }
  }

  read<T>(id: ActorId): T {
    return this.actors[id].ctx as T;
  }

  stateOf(id: ActorId): string {
    return this.actors[id].state;
  }

  private take(actor: FastActor, t: Transition, ev: SimMsg): void {
    for (const action of t.actions) action(actor.ctx, ev, this.port);
    if (t.target !== undefined) actor.state = t.target;
  }

  /** Eventless (`always`) transitions, taken until none applies, as XState does after each transition. */
  private eventless(actor: FastActor, ev: SimMsg): void {
    for (let guardRail = 0; guardRail < 64; guardRail++) {
      const always = actor.compiled.states[actor.state].always;
      if (always === null) return;
      const t = always.find((c) => c.guard === null || c.guard(actor.ctx, ev, this.port));
      if (t === undefined) return;
      this.take(actor, t, ev);
    }
    throw new Error(`eventless transitions loop in state ${actor.state}`);
  }
}
