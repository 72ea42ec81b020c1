import type { Host } from '../src/host/host.ts';
import type { ActorId, SimMsg } from '../src/model/actor.ts';

export type { ActorId, SimMsg };

/**
 * What a machine's actions may do besides updating their own context. Both executors provide the same
 * port, so an action behaves identically under live XState actors and under the fast executor.
 */
export interface Port {
  /** Virtual time in nanoseconds. */
  readonly nowNs: number;
  /** The actor whose transition is running. */
  readonly self: ActorId;
  /** Deliver `ev` to `to` after `delayNs` (default 0: later at the same instant, FIFO), over its link. */
  send(to: ActorId, ev: SimMsg, delayNs?: number): void;
  /**
   * Deliver `ev` to `to` now, synchronously. Only for shared-memory interactions (a virtqueue's ring, a
   * thread's CPU segment), where the real system also reads and writes without a message in between.
   */
  call(to: ActorId, ev: SimMsg): void;
  /** Read another actor's current context. */
  read<T>(id: ActorId): T;
  /** The host's shared kernel state: run queues, tasks, vhost works, accounting. */
  readonly host: Host;
}
