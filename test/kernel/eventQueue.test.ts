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

/** The slot `pop` returned holds `expected`'s (time, priority, seq), or is -1 when nothing was queued. */
function expectPopped(q: EventQueue, slot: number, expected: Entry | undefined): void {
  if (expected === undefined) expect(slot).toBe(-1);
  else
    expect([q.atNs(slot), q.priority(slot), q.seq(slot)]).toEqual([
      expected.atNs,
      expected.priority,
      expected.seq,
    ]);
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
        expectPopped(q, slot, expected);
      }
      expect(q.size).toBe(ref.length);
    }
  });

  // Buckets 2 ns wide, 4 of them (8 ns ahead), times up to 60: events go to the heap, to the buckets and
  // beyond them, and pops in between move the window (also past empty buckets, and by a jump when none is
  // queued). Times may go backwards here: the queue must not rely on the kernel's monotone clock.
  const farOpArb = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .record({ atNs: fc.integer({ min: 0, max: 60 }), priority: fc.integer({ min: -1, max: 1 }) })
        .map((e) => ({ kind: 'push' as const, ...e })),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'pop' as const }) },
  );

  test.prop([fc.array(farOpArb, { maxLength: 400 })])('the far tier keeps the single heap order', (ops) => {
    const q = new EventQueue(1, 4);
    const ref: Entry[] = [];
    let seq = 0;
    for (const op of ops) {
      if (op.kind === 'push') {
        const e = { atNs: op.atNs, priority: op.priority, seq: seq++ };
        push(q, e);
        ref.push(e);
      } else {
        ref.sort((a, b) => refCompare(a, b) || a.seq - b.seq);
        const expected = ref.shift();
        const slot = q.pop();
        expectPopped(q, slot, expected);
      }
      expect(q.size).toBe(ref.length);
    }
    // Drain: the rest in order too.
    ref.sort((a, b) => refCompare(a, b) || a.seq - b.seq);
    for (const e of ref) expect(q.seq(q.pop())).toBe(e.seq);
    expect(q.pop()).toBe(-1);
  });

  test('an event bucketed at the very time of the heap head still fires first when it is ahead in order', () => {
    const q = new EventQueue(1, 4);
    q.push(50, 0, 0, noop, null); // beyond the buckets' 8 ns: into the heap
    expect(q.seq(q.peek())).toBe(0); // no bucketed events: the window jumps to the head (boundary 50)
    q.push(50, -1, 1, noop, null); // at the boundary: into a bucket
    q.push(50, 0, 2, noop, null);
    expect([q.seq(q.pop()), q.seq(q.pop()), q.seq(q.pop())]).toEqual([1, 0, 2]);
  });

  test('rejects a bucket count that is not a power of two', () => {
    expect(() => new EventQueue(2, 6)).toThrow(/power of two/);
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
