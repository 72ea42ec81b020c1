import type { SimMachine } from '../../machines/define.ts';
import type { ActorId, SimMsg } from '../model/actor.ts';

export type ExecutorKind = 'fast' | 'xstate';

/** Runs machine definitions: live XState actors, or the fast executor over the same definitions. */
export interface Executor {
  readonly kind: ExecutorKind;
  // biome-ignore lint/suspicious/noExplicitAny: executors hold machines of every context type.
  spawn(def: SimMachine<any, any>, context: object): ActorId;
  /** Process `ev` in actor `id` now (transition, actions, eventless transitions). */
  deliver(id: ActorId, ev: SimMsg): void;
  read<T>(id: ActorId): T;
  stateOf(id: ActorId): string;
}
