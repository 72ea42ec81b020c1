/**
 * Everything observable, as one typed union. Consumers (tests, the inspector, exporters) subscribe; when
 * nobody does, the runtime does not build these objects at all.
 */
export type TraceEvent = {
  kind: 'deliver';
  atNs: number;
  /** Actor key, e.g. `cpu3`, `vm2.vcpu0`, `vm2.dev0.tx`, `worker5`, `nic`. */
  actor: string;
  event: string;
  /** The actor's state after the event. */
  state: string;
};
