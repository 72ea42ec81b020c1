import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { EventQueue, type SimEvent } from '../../src/kernel/eventQueue.ts';

const noop = (): void => {};

function mk(atNs: number, priority: number, seq: number): SimEvent {
  return { atNs, priority, seq, cancelled: false, fire: noop, arg: seq };
}

/** Small ranges force many duplicate (atNs, priority) pairs, which is where FIFO bugs hide. */
const entryArb = fc.record({
  atNs: fc.integer({ min: 0, max: 20 }),
  priority: fc.integer({ min: -2, max: 2 }),
});

function refCompare(a: SimEvent, b: SimEvent): number {
  return a.atNs - b.atNs || a.priority - b.priority;
}

describe('EventQueue', () => {
  test.prop([fc.array(entryArb, { maxLength: 300 })])('pops in stable (atNs, priority) order', (entries) => {
    const q = new EventQueue();
    const input = entries.map((e, i) => mk(e.atNs, e.priority, i));
    for (const e of input) q.push(e);
    expect(q.size).toBe(input.length);
    const out: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e.seq);
    // Array.prototype.sort is stable, so ties keep insertion order = FIFO by seq.
    const expected = [...input].sort(refCompare).map((e) => e.seq);
    expect(out).toEqual(expected);
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
  });

  const opArb = fc.oneof(
    { weight: 3, arbitrary: entryArb.map((e) => ({ kind: 'push' as const, ...e })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'pop' as const }) },
  );

  test.prop([fc.array(opArb, { maxLength: 400 })])('interleaved push/pop matches a reference', (ops) => {
    const q = new EventQueue();
    const ref: SimEvent[] = [];
    let seq = 0;
    for (const op of ops) {
      if (op.kind === 'push') {
        const e = mk(op.atNs, op.priority, seq++);
        q.push(e);
        ref.push(e);
      } else {
        // Reference: linear scan for the minimum by (atNs, priority, seq).
        let best = -1;
        for (let i = 0; i < ref.length; i++) {
          const c = best < 0 ? -1 : refCompare(ref[i], ref[best]) || ref[i].seq - ref[best].seq;
          if (c < 0) best = i;
        }
        const expected = best < 0 ? undefined : ref.splice(best, 1)[0];
        expect(q.peek()).toBe(expected);
        expect(q.pop()).toBe(expected);
      }
      expect(q.size).toBe(ref.length);
    }
  });
});
