import type { SimMachine } from '../../machines/define.ts';
import type { ActorId, SimMsg } from '../model/actor.ts';
import {
  type CompiledState,
  type DispatchedActor,
  type DispatchFn,
  generateDispatch,
  type Transition,
} from './dispatchCode.ts';
import type { Executor } from './executor.ts';
import type { SimPort } from './simPort.ts';

// biome-ignore lint/suspicious/noExplicitAny: compiled tables are shared by machines of every context type.
type AnyCtx = any;

interface Compiled {
  initial: CompiledState;
  /** By name; each state's `on` maps an event type to its candidate transitions. */
  states: Record<string, CompiledState>;
  dispatch: DispatchFn;
}

interface FastActor extends DispatchedActor {
  dispatch: DispatchFn;
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
  Object.keys(config.states).forEach((name, index) => {
    states[name] = { name, index, on: Object.create(null), always: null };
  });
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
  const id = (def.machine as { id: string }).id;
  const result = { initial, states, dispatch: generateDispatch(id, Object.values(states)) };
  cache.set(def, result);
  return result;
}

/**
 * The fast executor: runs each machine's generated dispatch (see {@link generateDispatch}) over the
 * compiled table and applies the very same recipes in place, without the interpreter's snapshots, immer
 * drafts or mailboxes.
 */
export class FastExecutor implements Executor {
  readonly kind = 'fast' as const;
  private readonly actors: FastActor[] = [];

  constructor(private readonly port: SimPort) {}

  spawn(def: SimMachine<AnyCtx, SimMsg>, context: object): ActorId {
    const compiled = compileMachine(def);
    this.actors.push({ state: compiled.initial, ctx: context, dispatch: compiled.dispatch });
    return this.actors.length - 1;
  }

  deliver(id: ActorId, ev: SimMsg): void {
    const actor = this.actors[id];
    this.port.self = id;
    actor.dispatch(actor, ev, this.port);
  }

  read<T>(id: ActorId): T {
    return this.actors[id].ctx as T;
  }

  stateOf(id: ActorId): string {
    return this.actors[id].state.name;
  }
}
