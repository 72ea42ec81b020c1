/** Actors are numbered; ids are plain data that can sit in a context or an event. */
export type ActorId = number;

/** A message between actors: a dot-namespaced `type` (`vq.kick`, `work.queued`) and its fields. */
export interface SimMsg {
  type: string;
  [field: string]: unknown;
}
