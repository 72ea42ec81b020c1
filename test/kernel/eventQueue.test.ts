import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { EventQueue } from '../../src/kernel/eventQueue.ts';

const noop = (): void => {};

interface Entry {
  atNs: number;
  priority: number;
  seq: number;
}

/** Small ranges force many duplicate (atNs, priority) pairs, which is where FIFO bugs hide. */
const entryArb = fc.record({
  atNs: fc.integer({ min: 0, max: 20 }),
  priority: fc.integer({ min: -2, max: 2 }),
});

function refCompare(a: Entry, b: Entry): number {
  return a.atNs - b.atNs || a.priority - b.priority;
}

function push(q: EventQueue, e: Entry): number {
  return q.push(e.atNs, e.priority, e.seq, noop, e.seq);
}

describe('EventQueue', () => {
  // Up to 300 entries: well past the initial capacity, so growth is exercised too.
  test.prop([fc.array(entryArb, { maxLength: 300 })])('pops in stable (atNs, priority) order', (entries) => {
    const q = new EventQueue();
    const input = entries.map((e, i) => ({ ...e, seq: i }));
    for (const e of input) push(q, e);
    expect(q.size).toBe(input.length);
    const out: number[] = [];
    for (let s = q.pop(); s >= 0; s = q.pop()) {
      expect(q.arg(s)).toBe(q.seq(s));
      out.push(q.seq(s));
    }
    // Array.prototype.sort is stable, so ties keep insertion order = FIFO by seq.
    const expected = [...input].sort(refCompare).map((e) => e.seq);
    expect(out).toEqual(expected);
    expect(q.size).toBe(0);
    expect(q.pop()).toBe(-1);
    expect(q.peek()).toBe(-1);
  });

  const opArb = fc.oneof(
    { weight: 3, arbitrary: entryArb.map((e) => ({ kind: 'push' as const, ...e })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'pop' as const }) },
  );

  test.prop([fc.array(opArb, { maxLength: 400 })])('interleaved push/pop matches a reference', (ops) => {
    const q = new EventQueue();
    const ref: Entry[] = [];
    let seq = 0;
    for (const op of ops) {
      if (op.kind === 'push') {
        const e = { atNs: op.atNs, priority: op.priority, seq: seq++ };
        const slot = push(q, e);
        // A queued event's fields are readable through its slot.
        expect([q.atNs(slot), q.priority(slot), q.seq(slot), q.arg(slot), q.fire(slot)]).toEqual([
          e.atNs,
          e.priority,
          e.seq,
          e.seq,
          noop,
        ]);
        ref.push(e);
      } else {
        // Reference: linear scan for the minimum by (atNs, priority, seq).
        let best = -1;
        for (let i = 0; i < ref.length; i++) {
          const c = best < 0 ? -1 : refCompare(ref[i], ref[best]) || ref[i].seq - ref[best].seq;
          if (c < 0) best = i;
        }
        const expected = best < 0 ? undefined : ref.splice(best, 1)[0];
        const head = q.peek();
        const slot = q.pop();
        expect(slot).toBe(head);
        if (expected === undefined) expect(slot).toBe(-1);
        else
          expect([q.atNs(slot), q.priority(slot), q.seq(slot)]).toEqual([
            expected.atNs,
            expected.priority,
            expected.seq,
          ]);
      }
      expect(q.size).toBe(ref.length);
    }
  });

  test.prop([fc.array(fc.nat({ max: 3 }), { maxLength: 200 })])(
    'marks start at 0 on every push, also in reused slots',
    (bits) => {
      const q = new EventQueue();
      let seq = 0;
      for (const b of bits) {
        const slot = q.push(b, 0, seq++, noop, null);
        expect(q.mark(slot)).toBe(0);
        q.setMark(slot, b);
        expect(q.mark(slot)).toBe(b);
        if (b % 2 === 0) q.pop();
      }
      q.clear();
      expect(q.size).toBe(0);
      expect(q.peek()).toBe(-1);
    },
  );
});
