import { describe, expect, it } from 'vitest';
import type { SimMachine } from '../../machines/define.ts';
import { machines } from '../../machines/index.ts';
import type { SimMsg } from '../../machines/port.ts';
import { compileMachine } from '../../src/runtime/fastExecutor.ts';

interface RawTransition {
  target?: string;
  guard?: string;
  actions?: string[];
}
interface RawState {
  description?: string;
  tags?: string[];
  on?: Record<string, RawTransition | RawTransition[]>;
  always?: RawTransition | RawTransition[];
}

const entries = Object.entries(machines) as [string, SimMachine<object, SimMsg>][];

describe('machine definitions', () => {
  it('covers the five entities', () => {
    expect(Object.keys(machines).sort()).toEqual(['nic', 'pcpu', 'vcpu', 'vhostWorker', 'virtqueue']);
  });

  it.each(entries)(
    '%s: every state has a description and exactly one of the idle/busy tags',
    (_name, def) => {
      const config = def.machine.config as {
        description?: string;
        initial: string;
        states: Record<string, RawState>;
      };
      expect(config.description?.trim().length ?? 0).toBeGreaterThan(10);
      expect(Object.keys(config.states)).toContain(config.initial);
      for (const [state, st] of Object.entries(config.states)) {
        expect(typeof st.description, state).toBe('string');
        expect((st.description ?? '').trim().length, `${state} description`).toBeGreaterThan(10);
        const tags = st.tags ?? [];
        const kinds = tags.filter((t) => t === 'idle' || t === 'busy');
        expect(kinds, `${state} tags ${JSON.stringify(tags)}`).toHaveLength(1);
      }
    },
  );

  it.each(entries)(
    '%s: targets, guards and actions all resolve; the fast executor compiles it',
    (_name, def) => {
      const config = def.machine.config as { states: Record<string, RawState> };
      const stateNames = new Set(Object.keys(config.states));
      const used = new Set<string>();
      for (const [state, st] of Object.entries(config.states)) {
        const transitions = [
          ...Object.values(st.on ?? {}).flatMap((t) => (Array.isArray(t) ? t : [t])),
          ...(st.always === undefined ? [] : Array.isArray(st.always) ? st.always : [st.always]),
        ];
        for (const t of transitions) {
          if (t.target !== undefined) expect(stateNames.has(t.target), `${state} -> ${t.target}`).toBe(true);
          if (t.guard !== undefined)
            expect(def.guards[t.guard], `${state} guard ${t.guard}`).toBeTypeOf('function');
          for (const a of t.actions ?? []) {
            expect(def.actions[a], `${state} action ${a}`).toBeTypeOf('function');
            used.add(a);
          }
        }
      }
      // No dead action implementations either.
      expect([...Object.keys(def.actions)].filter((a) => !used.has(a))).toEqual([]);
      expect(() => compileMachine(def)).not.toThrow();
    },
  );
});
