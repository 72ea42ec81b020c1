import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { SimKernel } from '../../src/kernel/simKernel.ts';
import { createSimClock } from '../../src/kernel/xstateClock.ts';

const MS = 1_000_000;

const timerMachine = createMachine({
  id: 'timer',
  initial: 'waiting',
  states: {
    waiting: {
      after: { 5: 'done' },
      on: { ABORT: 'aborted' },
    },
    done: {},
    aborted: {},
  },
});

describe('createSimClock', () => {
  it('drives XState `after` delays in virtual time only', () => {
    const kernel = new SimKernel();
    const actor = createActor(timerMachine, { clock: createSimClock(kernel) });
    actor.start();
    expect(actor.getSnapshot().value).toBe('waiting');
    expect(kernel.pending).toBe(1);

    kernel.run({ untilNs: 5 * MS - 1 });
    expect(actor.getSnapshot().value).toBe('waiting');

    kernel.run({ untilNs: 5 * MS });
    expect(actor.getSnapshot().value).toBe('done');
    expect(kernel.eventsFired).toBe(1);
    actor.stop();
  });

  it('clearTimeout cancels the kernel event when the state is exited early', () => {
    const kernel = new SimKernel();
    const actor = createActor(timerMachine, { clock: createSimClock(kernel) });
    actor.start();
    kernel.run({ untilNs: 2 * MS });
    actor.send({ type: 'ABORT' });
    expect(actor.getSnapshot().value).toBe('aborted');
    expect(kernel.pending).toBe(0);
    kernel.run({ untilNs: 100 * MS });
    expect(actor.getSnapshot().value).toBe('aborted');
    expect(kernel.eventsFired).toBe(0);
    actor.stop();
  });

  it('converts fractional milliseconds to whole nanoseconds', () => {
    const kernel = new SimKernel();
    const clock = createSimClock(kernel);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(kernel.nowNs), 0.0025); // 2.5 us
    const id = clock.setTimeout(() => fired.push(-1), 1);
    clock.clearTimeout(id);
    kernel.run({ untilNs: 10 * MS });
    expect(fired).toEqual([2500]);
  });
});
