import { describe, expect, it } from 'vitest';
import { defineMachine } from '../../machines/define.ts';
import type { SimMsg } from '../../machines/port.ts';
import { SimKernel } from '../../src/kernel/simKernel.ts';
import type { Executor } from '../../src/runtime/executor.ts';
import { FastExecutor } from '../../src/runtime/fastExecutor.ts';
import { SimPort } from '../../src/runtime/simPort.ts';
import { XStateExecutor } from '../../src/runtime/xstateExecutor.ts';

/**
 * The generated dispatch keeps XState's transition semantics on a toy machine that exercises every shape
 * the compiler emits: guarded candidates tried in order, an unguarded fallback, targetless transitions,
 * events a state ignores, a chain of eventless transitions, and all guards failing (nothing taken, no
 * eventless step).
 */
interface Toy {
  n: number;
  log: string[];
}

const toy = defineMachine<Toy, SimMsg>({
  id: 'toy',
  description: 'a machine with every transition shape',
  initial: 'idle',
  states: {
    idle: {
      description: 'waits',
      on: {
        go: [
          { guard: 'isBig', target: 'busy', actions: ['mark'] },
          { guard: 'isOdd', actions: ['count', 'count'] },
          { actions: ['count'] },
        ],
      },
    },
    busy: {
      description: 'counts up on ticks while not finished',
      on: { tick: [{ guard: 'never', target: 'idle' }], add: { actions: ['count'] } },
      always: [{ guard: 'finished', target: 'cooling', actions: ['mark'] }],
    },
    cooling: {
      description: 'passes straight through',
      always: [
        { guard: 'never', target: 'idle' },
        { target: 'done', actions: ['mark'] },
      ],
    },
    done: {
      description: 'ends; can restart or spin',
      on: { reset: { target: 'idle', actions: ['clear'] }, spin: { target: 'loopA' } },
    },
    loopA: { description: 'eventless loop', always: [{ target: 'loopB' }] },
    loopB: { description: 'eventless loop', always: [{ target: 'loopA' }] },
  },
  actions: {
    mark: (ctx, ev) => {
      ctx.log.push(`mark ${ev.type}`);
    },
    count: (ctx) => {
      ctx.n++;
      ctx.log.push(`n=${ctx.n}`);
    },
    clear: (ctx) => {
      ctx.n = 0;
      ctx.log.push('clear');
    },
  },
  guards: {
    isBig: (_ctx, ev) => (ev.size as number) > 10,
    isOdd: (ctx) => ctx.n % 2 === 1,
    never: () => false,
    finished: (ctx) => ctx.n >= 3,
  },
});

function execute(kind: 'fast' | 'xstate', events: SimMsg[]): { states: string[]; ctx: Toy } {
  const kernel = new SimKernel();
  const port = new SimPort(kernel, () => {}, null);
  const ex: Executor = kind === 'fast' ? new FastExecutor(port) : new XStateExecutor(port, kernel);
  port.executor = ex;
  const id = ex.spawn(toy, { n: 0, log: [] });
  const states = events.map((ev) => {
    ex.deliver(id, ev);
    return ex.stateOf(id);
  });
  return { states, ctx: ex.read<Toy>(id) };
}

describe('generated dispatch', () => {
  const events: SimMsg[] = [
    { type: 'tick' }, // ignored in idle
    { type: 'go', size: 1 }, // unguarded fallback: n=1
    { type: 'go', size: 1 }, // isOdd: n=3, targetless
    { type: 'go', size: 99 }, // isBig -> busy -> (finished) cooling -> done
    { type: 'go', size: 99 }, // ignored in done
    { type: 'reset' },
    { type: 'go', size: 99 }, // -> busy, not finished (n=0)
    { type: 'tick' }, // every guard fails: stays, no eventless step
    { type: 'add' },
    { type: 'add' },
    { type: 'add' }, // n=3 -> finished -> cooling -> done
  ];

  it('matches live XState state by state and context', () => {
    const fast = execute('fast', events);
    expect(fast.states).toEqual([
      'idle',
      'idle',
      'idle',
      'done',
      'done',
      'idle',
      'busy',
      'busy',
      'busy',
      'busy',
      'done',
    ]);
    expect(fast.ctx.log).toEqual([
      'n=1',
      'n=2',
      'n=3',
      'mark go',
      'mark go',
      'mark go',
      'clear',
      'mark go',
      'n=1',
      'n=2',
      'n=3',
      'mark add',
      'mark add',
    ]);
    const live = execute('xstate', events);
    expect(live.states).toEqual(fast.states);
    expect(live.ctx).toEqual(fast.ctx);
  });

  it('stops an eventless loop with an error naming the state', () => {
    expect(() => execute('fast', [...events, { type: 'spin' }])).toThrow(
      /eventless transitions loop in state loop[AB]/,
    );
  });
});
