import { EventQueue, type FireFn } from './eventQueue.ts';
import { NowQueue } from './nowQueue.ts';

/** A handle to a scheduled event, for `cancel`. Opaque: a number unique within one kernel. */
export type EventId = number;

/** Queue marks: the event was cancelled; the event has a handle in `tracked`. */
const CANCELLED = 1;
const TRACKED = 2;

/**
 * The discrete-event simulation kernel: a virtual clock in integer nanoseconds plus an event queue.
 *
 * Nothing here reads wall-clock time, so a run is a pure function of its inputs and seeds. Integer
 * nanoseconds (safe up to ~104 days of virtual time as doubles) avoid float drift when summing delays.
 *
 * Events are ordered by `(atNs, priority, seq)` (see {@link EventQueue}): FIFO at equal time and priority.
 * `schedule`/`at` return a handle that `cancel` accepts; `post` is the same as `schedule` at priority 0
 * without a handle, for hot paths that never cancel (it keeps no bookkeeping beyond the queue entry).
 *
 * A zero-delay `post` (about a third of a simulation's events) skips the heap: it fires at the current
 * instant after everything queued before it, so its place in the order is known at once and a FIFO
 * ({@link NowQueue}) keeps it. Each step fires whichever of the heap's head and the FIFO's head comes first
 * by `(atNs, priority, seq)`, so the firing order is exactly the single heap's.
 */
export class SimKernel {
  private readonly queue = new EventQueue();
  /** Zero-delay posts, all due at `now` (the clock cannot pass them), in `seq` order. */
  private readonly nowQueue = new NowQueue();
  private now = 0;
  private nextSeq = 0;
  private fired = 0;
  private cancelledPending = 0;
  /** Handle -> queue slot, for events scheduled with a handle that have not fired or been cancelled. */
  private readonly tracked = new Map<EventId, number>();

  /** Current virtual time in nanoseconds. Only ever increases. */
  get nowNs(): number {
    return this.now;
  }

  /** Number of events fired so far (cancelled events are not counted). */
  get eventsFired(): number {
    return this.fired;
  }

  /** Number of live (not cancelled) events still queued. */
  get pending(): number {
    return this.queue.size + this.nowQueue.size - this.cancelledPending;
  }

  /**
   * Schedule `fire(arg)` after `delayNs` of virtual time. Delay 0 means "later at the current instant":
   * it runs after everything already queued for now at the same priority (FIFO), never re-entrantly.
   */
  schedule<A>(delayNs: number, fire: (arg: A) => void, arg: A, priority = 0): EventId {
    if (!Number.isInteger(delayNs) || delayNs < 0) {
      throw new RangeError(`delayNs must be a non-negative integer, got ${delayNs}`);
    }
    return this.enqueueTracked(this.now + delayNs, fire, arg, priority);
  }

  /**
   * `schedule(delayNs, fire, arg)` at priority 0, without a handle: the event cannot be cancelled, and
   * nothing but its queue entry is kept. Same ordering as `schedule` (one shared `seq` counter).
   * @example
   * kernel.post(1_000, deliver, message); // deliver(message) 1 µs from now
   */
  post<A>(delayNs: number, fire: (arg: A) => void, arg: A): void {
    if (!Number.isInteger(delayNs) || delayNs < 0) {
      throw new RangeError(`delayNs must be a non-negative integer, got ${delayNs}`);
    }
    if (delayNs === 0) this.nowQueue.push(this.nextSeq++, fire, arg);
    else this.queue.push(this.now + delayNs, 0, this.nextSeq++, fire, arg);
  }

  /** Schedule `fire(arg)` at absolute virtual time `atNs` (an integer, not in the past). */
  at<A>(atNs: number, fire: (arg: A) => void, arg: A, priority = 0): EventId {
    if (!Number.isInteger(atNs)) throw new RangeError(`atNs must be an integer, got ${atNs}`);
    // Time never goes backwards: scheduling into the past would silently reorder causality.
    if (atNs < this.now) throw new RangeError(`atNs ${atNs} is before now (${this.now})`);
    return this.enqueueTracked(atNs, fire, arg, priority);
  }

  /**
   * Cancel lazily (O(1)): the entry stays in the heap and is skipped when popped. Idempotent, and a no-op
   * for an event that has already fired.
   */
  cancel(id: EventId): void {
    const slot = this.tracked.get(id);
    if (slot === undefined) return;
    this.tracked.delete(id);
    this.queue.setMark(slot, CANCELLED);
    this.cancelledPending++;
  }

  /**
   * The virtual time the next `step()` would move the clock to, or null when no event remains. Lets a
   * viewer of several kernels fire their events in one merged time order.
   */
  get nextAtNs(): number | null {
    const slot = this.peekLive();
    if (this.nowFirst(slot)) return this.now;
    return slot < 0 ? null : this.queue.atNs(slot);
  }

  /** Fire the next live event, advancing the clock to its time. Returns false when none remain. */
  step(): boolean {
    const slot = this.peekLive();
    if (this.nowFirst(slot)) {
      this.fireNow();
      return true;
    }
    if (slot < 0) return false;
    this.fireHead(slot);
    return true;
  }

  /**
   * Fire, in order, every event with `atNs <= untilNs` (including ones scheduled while running), then
   * set the clock to `untilNs`. Events exactly at `untilNs` ARE fired, so consecutive windows
   * `run(t1); run(t2)` partition time without double-firing or skipping anything.
   */
  run({ untilNs }: { untilNs: number }): void {
    if (!Number.isInteger(untilNs)) throw new RangeError(`untilNs must be an integer, got ${untilNs}`);
    if (untilNs < this.now) throw new RangeError(`untilNs ${untilNs} is before now (${this.now})`);
    const queue = this.queue;
    for (;;) {
      const slot = this.peekLive();
      // A zero-delay post is due now, and now <= untilNs.
      if (this.nowFirst(slot)) {
        this.fireNow();
        continue;
      }
      if (slot < 0 || queue.atNs(slot) > untilNs) break;
      this.fireHead(slot);
    }
    this.now = untilNs;
  }

  /** Pop the live head `slot` and fire it. Its fields are read before `fire` can reuse the slot. */
  private fireHead(slot: number): void {
    const queue = this.queue;
    queue.pop();
    if (queue.mark(slot) === TRACKED) this.tracked.delete(queue.seq(slot));
    const fire = queue.fire(slot);
    const arg = queue.arg(slot);
    this.now = queue.atNs(slot);
    this.fired++;
    fire(arg);
  }

  /**
   * Does the FIFO's head fire before the heap's live head `slot` (-1: none)? The FIFO's entries are at
   * `(now, 0, seq)`; a heap entry is never earlier than now.
   */
  private nowFirst(slot: number): boolean {
    const fifo = this.nowQueue;
    if (fifo.size === 0) return false;
    if (slot < 0) return true;
    const queue = this.queue;
    if (queue.atNs(slot) !== this.now) return true;
    const pri = queue.priority(slot);
    return pri !== 0 ? pri > 0 : queue.seq(slot) > fifo.headSeq();
  }

  /** Fire the FIFO's head (due now: the clock does not move). */
  private fireNow(): void {
    const fifo = this.nowQueue;
    const fire: FireFn = fifo.headFire();
    const arg = fifo.shift();
    this.fired++;
    fire(arg);
  }

  private enqueueTracked<A>(atNs: number, fire: (arg: A) => void, arg: A, priority: number): EventId {
    const seq = this.nextSeq++;
    const slot = this.queue.push(atNs, priority, seq, fire, arg);
    this.queue.setMark(slot, TRACKED);
    this.tracked.set(seq, slot);
    return seq;
  }

  /** Discard cancelled entries sitting at the head so callers see the next event that will really fire. */
  private peekLive(): number {
    const queue = this.queue;
    let head = queue.peek();
    while (head >= 0 && queue.mark(head) === CANCELLED) {
      queue.pop();
      this.cancelledPending--;
      head = queue.peek();
    }
    return head;
  }
}
