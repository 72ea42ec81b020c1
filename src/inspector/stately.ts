/**
 * Optional: feed the live actors to Stately Inspect (`--inspect stately`). `@statelyai/inspect` is
 * imported lazily, only when asked for, so the inspector works offline without it. Events go to our own
 * local relay page (/stately), which embeds Stately's online inspector (https://stately.ai/inspect):
 * that page needs internet; nothing else does.
 */
import { importOptional } from '../optional.ts';

/** Relay one serialized Stately event; `keep` marks the ones a late-joining page must still get. */
export type StatelyRelay = (text: string, keep: boolean) => void;

/** An XState inspection observer for the actors of one system, labelled `<model>:<actor key>`. */
export type InspectFor = (model: string, keys: () => readonly string[]) => (ev: unknown) => void;

export async function attachStately(relay: StatelyRelay): Promise<InspectFor> {
  const { createInspector } = await importOptional(() => import('@statelyai/inspect'), '--inspect stately', [
    '@statelyai/inspect',
  ]);
  return (model, keys) => {
    const inspector = createInspector(
      {
        send(event) {
          // The live executor names actors a<id>; show our keys (cpu3, vm1.vcpu0, vhost-cpu2, ...) instead.
          if (event.type === '@xstate.actor') {
            const m = /^a(\d+)$/.exec(event.name);
            const key = m === null ? undefined : keys()[Number(m[1])];
            if (key !== undefined) event.name = `${model}:${key}`;
          }
          // Actor registrations carry the machine definitions: keep them for pages that open later.
          relay(JSON.stringify(event), event.type === '@xstate.actor');
        },
      },
      { serializationDepthLimit: 6 },
    );
    const next = inspector.inspect.next?.bind(inspector.inspect);
    return (ev) => next?.(ev as Parameters<NonNullable<typeof next>>[0]);
  };
}
