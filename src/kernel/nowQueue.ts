import type { FireFn } from './eventQueue.ts';

const INITIAL_CAPACITY = 64;

/**
 * The events posted with zero delay: they are due at the current instant, after everything queued before
 * them, so they arrive already in firing order (increasing `seq`) and a FIFO holds them without the
 * heap's sifting. A ring buffer of parallel arrays, so nothing is allocated per event.
 */
export class NowQueue {
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private fires: FireFn[] = new Array(INITIAL_CAPACITY).fill(null);
  private args: unknown[] = new Array(INITIAL_CAPACITY).fill(undefined);
  private head = 0;
  private n = 0;
  /** Capacity - 1; the capacity is a power of two. */
  private mask = INITIAL_CAPACITY - 1;

  get size(): number {
    return this.n;
  }

  /** Append an event; `seq` must be larger than any queued one. */
  push(seq: number, fire: FireFn, arg: unknown): void {
    if (this.n > this.mask) this.grow();
    const i = (this.head + this.n) & this.mask;
    this.seqs[i] = seq;
    this.fires[i] = fire;
    this.args[i] = arg;
    this.n++;
  }

  /** The head's `seq` (only when not empty). */
  headSeq(): number {
    return this.seqs[this.head];
  }

  /** The head's callback (only when not empty). */
  headFire(): FireFn {
    return this.fires[this.head];
  }

  /** Remove the head and return its argument; the references are dropped so the payload can be collected. */
  shift(): unknown {
    const i = this.head;
    const arg = this.args[i];
    this.fires[i] = null as unknown as FireFn;
    this.args[i] = undefined;
    this.head = (i + 1) & this.mask;
    this.n--;
    return arg;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const seqs = new Float64Array(cap);
    const fires: FireFn[] = new Array(cap).fill(null);
    const args: unknown[] = new Array(cap).fill(undefined);
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) & this.mask;
      seqs[k] = this.seqs[i];
      fires[k] = this.fires[i];
      args[k] = this.args[i];
    }
    this.seqs = seqs;
    this.fires = fires;
    this.args = args;
    this.head = 0;
    this.mask = cap - 1;
  }
}
