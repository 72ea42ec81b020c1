import type { ActorOptions, AnyActorLogic } from 'xstate';
import type { EventId, SimKernel } from './simKernel.ts';

/** XState's `Clock` interface; xstate does not export it by name, so derive it from `ActorOptions`. */
export type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

const NS_PER_MS = 1e6;

function invoke(fn: () => void): void {
  fn();
}

/**
 * An XState v5 `Clock` backed by the simulation kernel, so `after:` delays and delayed `sendTo`/`raise`
 * elapse in virtual time. Pass it as `createActor(machine, { clock })`.
 *
 * XState expresses delays in milliseconds; we convert with `Math.round(ms * 1e6)` so sub-millisecond
 * delays (e.g. `after: { 0.005: ... }` for 5 us) keep nanosecond resolution. The timer id is the
 * kernel's event handle, which makes `clearTimeout` a lazy O(1) cancel.
 */
export function createSimClock(kernel: SimKernel): Clock {
  // biome-ignore lint/suspicious/noExplicitAny: signature mandated by xstate's Clock interface.
  const schedule = (fn: (...args: any[]) => void, timeoutMs: number): EventId => {
    const delayNs = Math.max(0, Math.round(timeoutMs * NS_PER_MS));
    return kernel.schedule(delayNs, invoke, fn as () => void);
  };
  const cancel = (id: EventId | undefined): void => {
    if (id !== undefined) kernel.cancel(id);
  };
  return { setTimeout: schedule, clearTimeout: cancel }; // allowed: XState's Clock, on virtual time
}
