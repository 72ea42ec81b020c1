import { current, isDraft, produce } from 'immer';
import { type AnyStateMachine, assign, setup } from 'xstate';
import type { Port, SimMsg } from './port.ts';

/** An action written once: mutates the context in place (an immer recipe) and acts through the port. */
export type Recipe<C, E> = (ctx: C, ev: E, port: Port) => void;
/** A guard: a pure read of the context, the event and the port's shared state. */
export type Guard<C, E> = (ctx: C, ev: E, port: Port) => boolean;

export interface TransitionSpec {
  target?: string;
  guard?: string;
  actions?: string[];
}

export interface StateSpec {
  description: string;
  tags?: string[];
  on?: Record<string, TransitionSpec | TransitionSpec[]>;
  always?: TransitionSpec[];
}

export interface MachineSpec<C, E extends SimMsg> {
  id: string;
  description: string;
  initial: string;
  states: Record<string, StateSpec>;
  actions: Record<string, Recipe<C, E>>;
  guards: Record<string, Guard<C, E>>;
}

/** A behaviour definition: the XState machine plus the raw recipes and guards the fast executor runs. */
export interface SimMachine<C, E extends SimMsg> {
  machine: AnyStateMachine;
  actions: Record<string, Recipe<C, E>>;
  guards: Record<string, Guard<C, E>>;
}

/**
 * The port of the transition being run. Executors set it before delivering an event; XState calls
 * assign/guards synchronously inside `send`, so the value seen by a recipe is the caller's.
 */
let activePort: Port | null = null;

export function withPort<T>(port: Port, fn: () => T): T {
  const saved = activePort;
  activePort = port;
  try {
    return fn();
  } finally {
    activePort = saved;
  }
}

export function currentPort(): Port {
  if (activePort === null) throw new Error('no simulation port bound: deliver events through an executor');
  return activePort;
}

/** Drafts must not escape a recipe: anything an action hands to the port is made plain first. */
export function plain<T>(value: T): T {
  // biome-ignore lint/suspicious/noExplicitAny: current() is typed for drafts only.
  return isDraft(value) ? (current(value as any) as T) : value;
}

/**
 * Build the XState machine from a spec. Each recipe becomes an `assign` that runs it on an immer draft;
 * each guard reads the context and event. The same spec object stays available to the fast executor.
 */
export function defineMachine<C extends object, E extends SimMsg>(spec: MachineSpec<C, E>): SimMachine<C, E> {
  const actions: Record<string, unknown> = {};
  for (const [name, recipe] of Object.entries(spec.actions)) {
    actions[name] = assign(({ context, event }: { context: C; event: E }) =>
      produce(context, (draft) => {
        recipe(draft as unknown as C, event, currentPort());
      }),
    );
  }
  const guards: Record<string, unknown> = {};
  for (const [name, guard] of Object.entries(spec.guards)) {
    guards[name] = ({ context, event }: { context: C; event: E }) => guard(context, event, currentPort());
  }
  const states: Record<string, unknown> = {};
  for (const [name, st] of Object.entries(spec.states)) {
    states[name] = { description: st.description, tags: st.tags, on: st.on, always: st.always };
  }
  // biome-ignore lint/suspicious/noExplicitAny: setup() is generic over literal action names; these are dynamic.
  const machine = (setup as any)({ actions, guards }).createMachine({
    id: spec.id,
    description: spec.description,
    initial: spec.initial,
    context: ({ input }: { input: C }) => input,
    states,
  }) as AnyStateMachine;
  return { machine, actions: spec.actions, guards: spec.guards };
}
