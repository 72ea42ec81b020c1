import { EventQueue } from './eventQueue.ts';

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
 */
export class SimKernel {
  private readonly queue = new EventQueue();
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
    return this.queue.size - this.cancelledPending;
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
    this.queue.push(this.now + delayNs, 0, this.nextSeq++, fire, arg);
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

  /** Fire the next live event, advancing the clock to its time. Returns false when none remain. */
  step(): boolean {
    const slot = this.peekLive();
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
