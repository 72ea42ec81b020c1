import type { AnyStateMachine } from 'xstate';

/** One transition of a state, as written in the machine's config. */
export interface GraphTransition {
  /** Event type, or `always` for an eventless transition. */
  event: string;
  /** Target state, or null for a targetless (internal) transition: actions only, no state change. */
  target: string | null;
  guard: string | null;
  actions: string[];
}

export interface GraphState {
  name: string;
  description: string;
  tags: string[];
  transitions: GraphTransition[];
}

/** A machine's states and transitions, read from `machine.config` (the single source of truth). */
export interface MachineGraph {
  id: string;
  description: string;
  initial: string;
  states: GraphState[];
}

interface RawTransition {
  target?: string | string[];
  guard?: string | { type: string };
  actions?: string | string[] | { type: string }[];
}
type RawTransitions = RawTransition | RawTransition[] | string;

function nameOf(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x !== null && typeof x === 'object' && 'type' in x) return String((x as { type: unknown }).type);
  return String(x);
}

function toList(raw: RawTransitions | undefined): RawTransition[] {
  if (raw === undefined) return [];
  if (typeof raw === 'string') return [{ target: raw }];
  return Array.isArray(raw) ? raw : [raw];
}

function transition(event: string, raw: RawTransition): GraphTransition {
  const target = Array.isArray(raw.target) ? raw.target[0] : raw.target;
  const actions = raw.actions === undefined ? [] : Array.isArray(raw.actions) ? raw.actions : [raw.actions];
  return {
    event,
    target: target === undefined ? null : target.replace(/^\./, ''),
    guard: raw.guard === undefined ? null : nameOf(raw.guard),
    actions: actions.map(nameOf),
  };
}

/**
 * Read a built machine's config into a plain graph, in declaration order (states, events, and the
 * guarded alternatives of one event in the order XState tries them).
 * @example
 * const g = machineGraph(machines.vhostWorker.machine);
 * g.states.map((s) => s.name); // ['sleeping', 'runnable', 'running']
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const config = machine.config as {
    id?: string;
    description?: string;
    initial?: string;
    states?: Record<
      string,
      { description?: string; tags?: string[]; on?: Record<string, RawTransitions>; always?: RawTransitions }
    >;
  };
  const states: GraphState[] = Object.entries(config.states ?? {}).map(([name, st]) => {
    const transitions: GraphTransition[] = [];
    for (const [event, raw] of Object.entries(st.on ?? {})) {
      for (const t of toList(raw)) transitions.push(transition(event, t));
    }
    for (const t of toList(st.always)) transitions.push(transition('always', t));
    return { name, description: st.description ?? '', tags: [...(st.tags ?? [])], transitions };
  });
  return {
    id: config.id ?? machine.id,
    description: config.description ?? '',
    initial: String(config.initial ?? states[0]?.name ?? ''),
    states,
  };
}

/** `event [guard]`: how a transition is labelled in every diagram. */
export function transitionLabel(t: GraphTransition): string {
  return t.guard === null ? t.event : `${t.event} [${t.guard}]`;
}
