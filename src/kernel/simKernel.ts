import { EventQueue, type SimEvent } from './eventQueue.ts';

/**
 * The discrete-event simulation kernel: a virtual clock in integer nanoseconds plus an event queue.
 *
 * Nothing here reads wall-clock time, so a run is a pure function of its inputs and seeds. Integer
 * nanoseconds (safe up to ~104 days of virtual time as doubles) avoid float drift when summing delays.
 */
export class SimKernel {
  private readonly queue = new EventQueue();
  private now = 0;
  private nextSeq = 0;
  private fired = 0;
  private cancelledPending = 0;

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
  schedule<A>(delayNs: number, fire: (arg: A) => void, arg: A, priority = 0): SimEvent {
    if (!Number.isInteger(delayNs) || delayNs < 0) {
      throw new RangeError(`delayNs must be a non-negative integer, got ${delayNs}`);
    }
    return this.enqueue(this.now + delayNs, fire, arg, priority);
  }

  /** Schedule `fire(arg)` at absolute virtual time `atNs` (an integer, not in the past). */
  at<A>(atNs: number, fire: (arg: A) => void, arg: A, priority = 0): SimEvent {
    if (!Number.isInteger(atNs)) throw new RangeError(`atNs must be an integer, got ${atNs}`);
    // Time never goes backwards: scheduling into the past would silently reorder causality.
    if (atNs < this.now) throw new RangeError(`atNs ${atNs} is before now (${this.now})`);
    return this.enqueue(atNs, fire, arg, priority);
  }

  /** Cancel lazily (O(1)): the entry stays in the heap and is skipped when popped. Idempotent. */
  cancel(ev: SimEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.cancelledPending++;
  }

  /** Fire the next live event, advancing the clock to its time. Returns false when none remain. */
  step(): boolean {
    const ev = this.popLive();
    if (ev === undefined) return false;
    this.now = ev.atNs;
    this.fired++;
    ev.fire(ev.arg);
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
    for (;;) {
      const head = this.peekLive();
      if (head === undefined || head.atNs > untilNs) break;
      this.step();
    }
    this.now = untilNs;
  }

  private enqueue<A>(atNs: number, fire: (arg: A) => void, arg: A, priority: number): SimEvent {
    const ev: SimEvent = { atNs, priority, seq: this.nextSeq++, cancelled: false, fire, arg };
    this.queue.push(ev);
    return ev;
  }

  /** Discard cancelled entries sitting at the head so callers see the next event that will really fire. */
  private peekLive(): SimEvent | undefined {
    let head = this.queue.peek();
    while (head?.cancelled) {
      this.queue.pop();
      this.cancelledPending--;
      head = this.queue.peek();
    }
    return head;
  }

  private popLive(): SimEvent | undefined {
    const head = this.peekLive();
    if (head !== undefined) this.queue.pop();
    return head;
  }
}
