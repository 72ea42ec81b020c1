import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SimKernel } from '../../src/kernel/simKernel.ts';

function logger(kernel: SimKernel, log: string[]) {
  return (label: string) => log.push(`${kernel.nowNs}:${label}`);
}

describe('SimKernel', () => {
  it('fires in time order, then priority, then FIFO', () => {
    const k = new SimKernel();
    const log: string[] = [];
    const rec = logger(k, log);
    k.schedule(10, rec, 'c1');
    k.schedule(5, rec, 'a');
    k.schedule(10, rec, 'c2');
    k.schedule(10, rec, 'b-prio', -1);
    k.at(10, rec, 'c3');
    k.schedule(0, rec, 'zero');
    while (k.step()) {}
    expect(log).toEqual(['0:zero', '5:a', '10:b-prio', '10:c1', '10:c2', '10:c3']);
    expect(k.eventsFired).toBe(6);
    expect(k.pending).toBe(0);
    expect(k.step()).toBe(false);
  });

  it('cancel skips the event lazily and updates pending', () => {
    const k = new SimKernel();
    const log: string[] = [];
    const rec = logger(k, log);
    const a = k.schedule(1, rec, 'a');
    k.schedule(2, rec, 'b');
    const c = k.schedule(3, rec, 'c');
    expect(k.pending).toBe(3);
    k.cancel(a);
    k.cancel(a); // idempotent
    k.cancel(c);
    expect(k.pending).toBe(1);
    k.run({ untilNs: 100 });
    expect(log).toEqual(['2:b']);
    expect(k.eventsFired).toBe(1);
    expect(k.pending).toBe(0);
    expect(k.nowNs).toBe(100);
  });

  it('run({untilNs}) fires events at exactly untilNs, not later, and parks the clock there', () => {
    const k = new SimKernel();
    const log: string[] = [];
    const rec = logger(k, log);
    k.schedule(9, rec, 'before');
    k.schedule(10, rec, 'at');
    k.schedule(11, rec, 'after');
    k.run({ untilNs: 10 });
    expect(log).toEqual(['9:before', '10:at']);
    expect(k.nowNs).toBe(10);
    expect(k.pending).toBe(1);
    // An event scheduled during the window that lands on untilNs is also fired.
    k.schedule(5, () => k.schedule(5, rec, 'chained'), undefined);
    k.run({ untilNs: 20 });
    expect(log).toEqual(['9:before', '10:at', '11:after', '20:chained']);
    expect(k.nowNs).toBe(20);
    // Empty window still advances time.
    k.run({ untilNs: 50 });
    expect(k.nowNs).toBe(50);
    expect(() => k.run({ untilNs: 49 })).toThrow(RangeError);
  });

  it('delay-0 events scheduled while firing run after already-queued same-time events', () => {
    const k = new SimKernel();
    const log: string[] = [];
    const rec = logger(k, log);
    k.schedule(
      5,
      () => {
        rec('first');
        k.schedule(0, rec, 'spawned');
      },
      undefined,
    );
    k.schedule(5, rec, 'second');
    k.schedule(5, rec, 'third');
    k.run({ untilNs: 5 });
    expect(log).toEqual(['5:first', '5:second', '5:third', '5:spawned']);
  });

  it('rejects negative / non-integer delays and past absolute times', () => {
    const k = new SimKernel();
    const noop = () => {};
    expect(() => k.schedule(-1, noop, undefined)).toThrow(RangeError);
    expect(() => k.schedule(1.5, noop, undefined)).toThrow(RangeError);
    expect(() => k.schedule(Number.NaN, noop, undefined)).toThrow(RangeError);
    expect(() => k.schedule(Number.POSITIVE_INFINITY, noop, undefined)).toThrow(RangeError);
    k.run({ untilNs: 100 });
    expect(() => k.at(99, noop, undefined)).toThrow(RangeError);
    expect(() => k.at(100.5, noop, undefined)).toThrow(RangeError);
    expect(() => k.at(100, noop, undefined)).not.toThrow();
    expect(k.pending).toBe(1);
  });

  it('passes the payload to fire', () => {
    const k = new SimKernel();
    const got: Array<{ id: number }> = [];
    const fire = (p: { id: number }) => got.push(p);
    k.schedule(1, fire, { id: 7 });
    k.step();
    expect(got).toEqual([{ id: 7 }]);
  });

  it('is deterministic: the same schedule yields the same firing log', () => {
    const runOnce = (): string[] => {
      const k = new SimKernel();
      const log: string[] = [];
      const rec = logger(k, log);
      // A self-rescheduling process with a simple LCG (no Math.random) plus ties everywhere.
      let x = 12345;
      const tick = (id: number) => {
        rec(`p${id}`);
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        if (k.eventsFired < 500) k.schedule(x % 4, tick, id);
      };
      for (let id = 0; id < 5; id++) k.schedule(0, tick, id, id % 2);
      k.run({ untilNs: 10_000 });
      return log;
    };
    const a = runOnce();
    const b = runOnce();
    expect(a.length).toBeGreaterThan(100);
    expect(a).toEqual(b);
  });
});

describe('SimKernel handles and post', () => {
  it('post shares the FIFO order (one seq counter) with schedule and at', () => {
    const k = new SimKernel();
    const log: string[] = [];
    const rec = logger(k, log);
    k.post(10, rec, 'p1');
    k.schedule(10, rec, 's1');
    k.post(10, rec, 'p2');
    k.at(10, rec, 'a1');
    k.post(0, rec, 'zero');
    k.schedule(10, rec, 'prio', -1);
    k.run({ untilNs: 10 });
    expect(log).toEqual(['0:zero', '10:prio', '10:p1', '10:s1', '10:p2', '10:a1']);
    expect(() => k.post(-1, rec, 'x')).toThrow(RangeError);
    expect(() => k.post(0.5, rec, 'x')).toThrow(RangeError);
  });

  it('cancelling an event that already fired is a no-op, even when its slot was reused', () => {
    const k = new SimKernel();
    const log: string[] = [];
    const rec = logger(k, log);
    const a = k.schedule(1, rec, 'a');
    k.run({ untilNs: 1 });
    k.schedule(1, rec, 'b'); // likely lands in a's freed slot
    k.cancel(a);
    expect(k.pending).toBe(1);
    k.run({ untilNs: 5 });
    expect(log).toEqual(['1:a', '2:b']);
    expect(k.pending).toBe(0);
  });

  it('keeps order and pending right through queue growth with cancellations', () => {
    const k = new SimKernel();
    const log: number[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 1000; i++) ids.push(k.schedule((i * 7919) % 101, (x: number) => log.push(x), i));
    for (let i = 0; i < 1000; i += 3) k.cancel(ids[i]);
    expect(k.pending).toBe(1000 - 334);
    k.run({ untilNs: 1000 });
    const expected = [...Array(1000).keys()]
      .filter((i) => i % 3 !== 0)
      .sort((x, y) => ((x * 7919) % 101) - ((y * 7919) % 101) || x - y);
    expect(log).toEqual(expected);
    expect(k.pending).toBe(0);
    expect(k.eventsFired).toBe(1000 - 334);
  });

  // Zero-delay posts skip the heap (a FIFO of events due now); the order must be the single heap's.
  const opArb = fc.record({
    delayNs: fc.integer({ min: 0, max: 3 }),
    priority: fc.integer({ min: -1, max: 1 }),
    viaPost: fc.boolean(),
    children: fc.integer({ min: 0, max: 2 }),
  });
  /** The ops run on `k`: each fired event schedules its children; returns the firing order. */
  function drive(
    k: KernelLike,
    ops: { delayNs: number; priority: number; viaPost: boolean; children: number }[],
  ) {
    const fired: number[] = [];
    let seq = 0;
    let budget = 200;
    let next = 0;
    const add = () => {
      const op = ops[next++ % ops.length];
      const id = seq++;
      const fire = () => {
        fired.push(id);
        for (let c = 0; c < op.children && budget > 0; c++, budget--) add();
      };
      if (op.viaPost) k.post(op.delayNs, fire, undefined);
      else k.schedule(op.delayNs, fire, undefined, op.priority);
    };
    for (let i = 0; i < ops.length; i++) add();
    k.run({ untilNs: 10_000 });
    return fired;
  }
  test.prop([fc.array(opArb, { minLength: 1, maxLength: 60 })])(
    'zero-delay posts fire in (atNs, priority, seq) order among heap events, also when posted while firing',
    (ops) => {
      const k = new SimKernel();
      expect(drive(k, ops)).toEqual(drive(new ReferenceKernel(), ops));
      expect(k.pending).toBe(0);
    },
  );
});

type KernelLike = Pick<SimKernel, 'post' | 'schedule' | 'run'>;

/** A kernel by the definition: every step fires the pending event with the smallest (atNs, priority, seq). */
class ReferenceKernel implements KernelLike {
  private now = 0;
  private seq = 0;
  private pending: { at: number; pri: number; seq: number; fire: (arg: unknown) => void }[] = [];
  post<A>(delayNs: number, fire: (arg: A) => void): void {
    this.schedule(delayNs, fire, undefined as A, 0);
  }
  schedule<A>(delayNs: number, fire: (arg: A) => void, _arg: A, priority = 0): number {
    const e = {
      at: this.now + delayNs,
      pri: priority,
      seq: this.seq++,
      fire: fire as (arg: unknown) => void,
    };
    this.pending.push(e);
    return e.seq;
  }
  run({ untilNs }: { untilNs: number }): void {
    for (;;) {
      let best = -1;
      this.pending.forEach((e, i) => {
        const b = this.pending[best];
        if (
          best < 0 ||
          e.at < b.at ||
          (e.at === b.at && (e.pri < b.pri || (e.pri === b.pri && e.seq < b.seq)))
        )
          best = i;
      });
      if (best < 0 || this.pending[best].at > untilNs) break;
      const [e] = this.pending.splice(best, 1);
      this.now = e.at;
      e.fire(undefined);
    }
    this.now = untilNs;
  }
}
