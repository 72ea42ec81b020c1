/**
 * Everything observable, as one typed union. Consumers (tests, the inspector, exporters) subscribe; when
 * nobody does, the runtime does not build these objects at all.
 */
import type { SimMsg } from '../model/actor.ts';

export type TraceEvent = {
  kind: 'deliver';
  atNs: number;
  /** Actor key, e.g. `cpu3`, `vm2.vcpu0`, `vm2.dev0.tx`, `worker5`, `nic`. */
  actor: string;
  event: string;
  /** The actor's state after the event. */
  state: string;
  /**
   * Who sent it: the actor whose transition was running, or `kernel` for a timer of the simulation itself
   * (the scheduler's balance tick, a design's rebalance tick, the workload's start).
   */
  from: string;
  /** The message itself (`type` and its fields: a packet, a generation, a CPU...), plain data. */
  msg: SimMsg;
};
