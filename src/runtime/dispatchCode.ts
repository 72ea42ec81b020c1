import type { Guard, Recipe } from '../../machines/define.ts';
import type { SimMsg } from '../model/actor.ts';
import type { SimPort } from './simPort.ts';

// biome-ignore lint/suspicious/noExplicitAny: one generator serves machines of every context type.
type AnyCtx = any;

/** One transition of the compiled table. */
export interface Transition {
  /** The target state; null for a targetless (self, no exit) transition. */
  target: CompiledState | null;
  guard: Guard<AnyCtx, SimMsg> | null;
  actions: Recipe<AnyCtx, SimMsg>[];
}

export interface CompiledState {
  name: string;
  /** Position in the machine's states, the generated code's `switch` label. */
  index: number;
  /** Candidate transitions by event type, in document order (the first whose guard passes is taken). */
  on: Record<string, Transition[] | undefined>;
  always: Transition[] | null;
}

export interface DispatchedActor {
  state: CompiledState;
  ctx: AnyCtx;
}

/** Take `ev` in `actor`'s current state: the first enabled transition, then its eventless ones. */
export type DispatchFn = (actor: DispatchedActor, ev: SimMsg, port: SimPort) => void;

/** Eventless transitions taken in a row before we call it a loop (XState would spin forever). */
export const MAX_EVENTLESS = 64;

/**
 * Generate one machine's dispatch function from its compiled table: a `switch` on the state, then on the
 * event type, calling each guard and action from its own call site. Walking the table instead makes every
 * guard and action call megamorphic (one site for all machines) and costs a keyed lookup per event; here
 * each site sees one function, so V8 calls it directly and may inline it. The code is built only from the
 * table (state indexes, event-type literals and the table's own functions, passed in as parameters), so
 * both executors still run exactly the machine's configuration.
 */
export function generateDispatch(machineId: string, states: readonly CompiledState[]): DispatchFn {
  const params: string[] = [];
  const values: unknown[] = [];
  const names = new Map<unknown, string>();
  const ref = (value: unknown, prefix: string): string => {
    let name = names.get(value);
    if (name === undefined) {
      name = `${prefix}${params.length}`;
      names.set(value, name);
      params.push(name);
      values.push(value);
    }
    return name;
  };
  // One candidate: `if (guard) { actions; state = target; <taken> }`, or unconditional.
  const candidate = (t: Transition, taken: string): string => {
    const body = [
      ...t.actions.map((a) => `${ref(a, 'a')}(ctx, ev, port);`),
      t.target === null ? '' : `actor.state = ${ref(t.target, 's')};`,
      taken,
    ].join(' ');
    return t.guard === null ? body : `if (${ref(t.guard, 'g')}(ctx, ev, port)) { ${body} }`;
  };
  // A list of candidates tried in order; falls through to `none` when every guard fails.
  const chain = (ts: readonly Transition[], taken: string, none: string): string => {
    const lines: string[] = [];
    for (const t of ts) {
      lines.push(candidate(t, taken));
      if (t.guard === null) return lines.join('\n');
    }
    lines.push(none);
    return lines.join('\n');
  };

  const onCases = states.map((st) => {
    const types = Object.keys(st.on);
    if (types.length === 0) return `case ${st.index}: return;`;
    const inner = types.map(
      (type) => `case ${JSON.stringify(type)}:\n${chain(st.on[type] ?? [], 'break;', 'return;')}`,
    );
    return `case ${st.index}:\nswitch (ev.type) {\n${inner.join('\n')}\ndefault: return;\n}\nbreak;`;
  });
  const alwaysCases = states
    .filter((st) => st.always !== null)
    .map((st) => `case ${st.index}:\n${chain(st.always ?? [], 'continue;', 'return;')}`);

  const settle = `function settle(actor, ev, port) {
  for (let n = 0; n < ${MAX_EVENTLESS}; n++) {
    const ctx = actor.ctx;
    switch (actor.state.index) {
${alwaysCases.join('\n')}
default: return;
    }
  }
  throw new Error('eventless transitions loop in state ' + actor.state.name);
}`;
  const dispatch = `return function dispatch(actor, ev, port) {
  const ctx = actor.ctx;
  switch (actor.state.index) {
${onCases.join('\n')}
default: return;
  }
  if (actor.state.always !== null) settle(actor, ev, port);
};`;
  const source = `'use strict';\n${settle}\n${dispatch}\n//# sourceURL=vhost-sim/dispatch/${machineId}.js`;
  return new Function(...params, source)(...values) as DispatchFn;
}
