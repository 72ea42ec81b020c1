/** The callback of a scheduled event; `fire(arg)` lets hot paths share one pre-bound function. */
// biome-ignore lint/suspicious/noExplicitAny: the kernel is payload-agnostic; typed at SimKernel.schedule.
export type FireFn = (arg: any) => void;

const INITIAL_CAPACITY = 64;

/**
 * Binary min-heap of scheduled events, stored as a struct of arrays: no object per event.
 *
 * Ordering contract (this is what makes simulations deterministic):
 * 1. earlier `atNs` first;
 * 2. equal `atNs` -> lower `priority` number first;
 * 3. equal both -> FIFO by `seq` (insertion order).
 *
 * `seq` is supplied by the caller (SimKernel assigns it) and must be unique; because it totally orders ties,
 * the heap's lack of stability never leaks into the firing order.
 *
 * Each queued event lives in a *slot*: its fields sit at the slot's index in parallel arrays (typed arrays
 * for the numbers), and the heap itself is an `Int32Array` of slot numbers, so a sift moves one integer
 * and nothing is allocated per event. A slot number is stable while the event is queued; `pop` frees it,
 * and its fields stay readable until the next `push` (which may reuse it).
 */
export class EventQueue {
  private at = new Float64Array(INITIAL_CAPACITY);
  private pri = new Float64Array(INITIAL_CAPACITY);
  private sq = new Float64Array(INITIAL_CAPACITY);
  private marks = new Uint8Array(INITIAL_CAPACITY);
  private fires: FireFn[] = new Array(INITIAL_CAPACITY).fill(null);
  private args: unknown[] = new Array(INITIAL_CAPACITY).fill(undefined);
  /** heap[0..n) are slot numbers in heap order; free[0..freeTop) are unused slots. */
  private heap = new Int32Array(INITIAL_CAPACITY);
  private free = new Int32Array(INITIAL_CAPACITY);
  private n = 0;
  private freeTop = 0;
  private capacity = INITIAL_CAPACITY;

  constructor() {
    this.resetFree();
  }

  get size(): number {
    return this.n;
  }

  /** Queue an event; returns its slot. */
  push(atNs: number, priority: number, seq: number, fire: FireFn, arg: unknown): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop];
    this.at[slot] = atNs;
    this.pri[slot] = priority;
    this.sq[slot] = seq;
    this.marks[slot] = 0;
    this.fires[slot] = fire;
    this.args[slot] = arg;
    // Sift up: move the hole toward the root while the parent fires later than the new entry.
    const heap = this.heap;
    let i = this.n++;
    while (i > 0) {
      const parentIdx = (i - 1) >> 1;
      const parent = heap[parentIdx];
      if (!this.before(slot, parent)) break;
      heap[i] = parent;
      i = parentIdx;
    }
    heap[i] = slot;
    return slot;
  }

  /** The head's slot (the next to fire), or -1 when empty. */
  peek(): number {
    return this.n === 0 ? -1 : this.heap[0];
  }

  /** Remove the head and free its slot; returns the slot (fields readable until the next push), or -1. */
  pop(): number {
    const n = this.n;
    if (n === 0) return -1;
    const heap = this.heap;
    const top = heap[0];
    const size = n - 1;
    this.n = size;
    if (size > 0) {
      const last = heap[size];
      // Sift down: place `last` into the root hole, pushing the smaller child up each step.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = heap[l];
        let ci = l;
        if (r < size && this.before(heap[r], c)) {
          c = heap[r];
          ci = r;
        }
        if (!this.before(c, last)) break;
        heap[i] = c;
        i = ci;
      }
      heap[i] = last;
    }
    this.free[this.freeTop++] = top;
    return top;
  }

  atNs(slot: number): number {
    return this.at[slot];
  }

  priority(slot: number): number {
    return this.pri[slot];
  }

  seq(slot: number): number {
    return this.sq[slot];
  }

  fire(slot: number): FireFn {
    return this.fires[slot];
  }

  arg(slot: number): unknown {
    return this.args[slot];
  }

  /** Caller-owned bits per queued event (SimKernel keeps its cancel and tracking flags here); 0 on push. */
  mark(slot: number): number {
    return this.marks[slot];
  }

  setMark(slot: number, bits: number): void {
    this.marks[slot] = bits;
  }

  /** Drop everything (used when a run is abandoned). */
  clear(): void {
    this.n = 0;
    this.fires.fill(null as unknown as FireFn);
    this.args.fill(undefined);
    this.resetFree();
  }

  /** True when slot `a` must fire strictly before slot `b`. */
  private before(a: number, b: number): boolean {
    const at = this.at;
    if (at[a] !== at[b]) return at[a] < at[b];
    const pri = this.pri;
    if (pri[a] !== pri[b]) return pri[a] < pri[b];
    return this.sq[a] < this.sq[b];
  }

  private resetFree(): void {
    // Lowest slot on top, so a small queue keeps reusing the same few (cache-warm) slots.
    const cap = this.capacity;
    for (let k = 0; k < cap; k++) this.free[k] = cap - 1 - k;
    this.freeTop = cap;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.at = f64(this.at);
    this.pri = f64(this.pri);
    this.sq = f64(this.sq);
    const marks = new Uint8Array(cap);
    marks.set(this.marks);
    this.marks = marks;
    const heap = new Int32Array(cap);
    heap.set(this.heap);
    this.heap = heap;
    for (let k = old; k < cap; k++) {
      this.fires.push(null as unknown as FireFn);
      this.args.push(undefined);
    }
    // Every slot was in use (the free stack was empty): the new ones are free.
    const free = new Int32Array(cap);
    for (let k = 0; k < old; k++) free[k] = cap - 1 - k;
    this.free = free;
    this.freeTop = old;
    this.capacity = cap;
  }
}
