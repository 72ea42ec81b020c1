/** The callback of a scheduled event; `fire(arg)` lets hot paths share one pre-bound function. */
// biome-ignore lint/suspicious/noExplicitAny: the kernel is payload-agnostic; typed at SimKernel.schedule.
export type FireFn = (arg: any) => void;

const INITIAL_CAPACITY = 64;
/**
 * Default bucket width (2^18 ns ≈ 262 µs) and count (256: ≈ 67 ms ahead) of the far tier. Chosen by
 * replaying the queue operations of recorded runs (x3650-m2 8 VMs, 2x64 256 and 1,024 VMs) into variants
 * from 2^12 × 8,192 to 2^19 × 128: this one was fastest or within 3 % of it on all three. Only speed depends
 * on them, never the order.
 */
const BUCKET_SHIFT = 18;
const BUCKETS = 256;

/**
 * The event queue: a binary min-heap of the events due soon, and buckets for those far ahead (below),
 * stored as a struct of arrays: no object per event.
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
 *
 * Two tiers, so the heap holds only what is due soon. Most queued events of a large host are far ahead:
 * the CFS slice timers (milliseconds out; on `2x64` with 1,024 VMs nearly all of the 20,000-27,000 queued
 * events, most of them stale by the time they fire), and a binary heap pays for every one of them on each
 * push and pop of the near events (15 levels instead of 9: the heap holds ≈ 440 with the buckets). An
 * event at or after `boundary` that falls within the next `buckets` × 2^`shift` ns goes into an unsorted
 * bucket of width 2^`shift` ns instead (an intrusive list
 * through `link`, O(1)); the whole bucket is moved into the heap when the heap's head is not before
 * `boundary`, and `boundary` then advances one bucket. The heap therefore holds every event before
 * `boundary` (plus any beyond the buckets' reach), the buckets only events at or after it, so the heap's
 * head, once it is before `boundary`, is the earliest of all: the firing order is exactly one heap's.
 * (A calendar queue in the sense of R. Brown, "Calendar queues", CACM 31(10), 1988, with a heap for the
 * current bucket: https://doi.org/10.1145/63039.63045.)
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
  /**
   * heapAt[k] = at[heap[k]]: each heap position carries its event's time, so a sift compares within the
   * heap's own contiguous arrays and reads a slot's fields only on a tie of times (the slots of a large
   * queue are scattered, and each read of one is a likely cache miss).
   */
  private heapAt = new Float64Array(INITIAL_CAPACITY);
  private free = new Int32Array(INITIAL_CAPACITY);
  private n = 0;
  private freeTop = 0;
  private capacity = INITIAL_CAPACITY;
  /** Far tier: per-bucket list heads (-1: empty) and the next slot of each listed slot. */
  private readonly bucketHead: Int32Array;
  private link = new Int32Array(INITIAL_CAPACITY);
  private readonly mask: number;
  private readonly width: number;
  /** Events in the buckets; the first bucket's number (`boundary` = `base` × width). */
  private far = 0;
  private base = 0;
  private boundary = 0;

  /** `shift`: log2 of a bucket's width in ns; `buckets`: how many (a power of two). Neither changes the order. */
  constructor(shift = BUCKET_SHIFT, buckets = BUCKETS) {
    if (buckets < 1 || (buckets & (buckets - 1)) !== 0)
      throw new RangeError('buckets must be a power of two');
    this.width = 2 ** shift;
    this.mask = buckets - 1;
    this.bucketHead = new Int32Array(buckets).fill(-1);
    this.resetFree();
  }

  get size(): number {
    return this.n + this.far;
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
    if (atNs >= this.boundary) {
      const b = Math.floor(atNs / this.width);
      if (b <= this.base + this.mask) {
        const idx = b & this.mask;
        this.link[slot] = this.bucketHead[idx];
        this.bucketHead[idx] = slot;
        this.far++;
        return slot;
      }
    }
    this.heapPush(slot);
    return slot;
  }

  private heapPush(slot: number): void {
    // Sift up: move the hole toward the root while the parent fires later than the new entry.
    const heap = this.heap;
    const heapAt = this.heapAt;
    const t = this.at[slot];
    let i = this.n++;
    while (i > 0) {
      const parentIdx = (i - 1) >> 1;
      const pt = heapAt[parentIdx];
      if (pt < t || (pt === t && !this.tieBefore(slot, heap[parentIdx]))) break;
      heap[i] = heap[parentIdx];
      heapAt[i] = pt;
      i = parentIdx;
    }
    heap[i] = slot;
    heapAt[i] = t;
  }

  /** The head's slot (the next to fire), or -1 when empty. */
  peek(): number {
    if (this.n > 0 && this.heapAt[0] < this.boundary) return this.heap[0];
    return this.settle();
  }

  /** Move buckets into the heap until its head is the earliest event of all; returns the head or -1. */
  private settle(): number {
    for (;;) {
      if (this.n > 0 && this.heapAt[0] < this.boundary) return this.heap[0];
      if (this.far === 0) {
        if (this.n === 0) return -1;
        // No bucketed events: move the buckets' window up to the head, so later pushes use it again.
        const b = Math.floor(this.heapAt[0] / this.width);
        if (b > this.base) {
          this.base = b;
          this.boundary = b * this.width;
        }
        return this.heap[0];
      }
      const idx = this.base & this.mask;
      let slot = this.bucketHead[idx];
      this.bucketHead[idx] = -1;
      while (slot >= 0) {
        const next = this.link[slot];
        this.heapPush(slot);
        this.far--;
        slot = next;
      }
      this.base++;
      this.boundary = this.base * this.width;
    }
  }

  /** Remove the head and free its slot; returns the slot (fields readable until the next push), or -1. */
  pop(): number {
    const top = this.peek();
    if (top < 0) return -1;
    const heap = this.heap;
    const heapAt = this.heapAt;
    const size = this.n - 1;
    this.n = size;
    if (size > 0) {
      const last = heap[size];
      const lt = heapAt[size];
      // Sift down: place `last` into the root hole, pushing the earlier child up each step.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let ci = l;
        let ct = heapAt[l];
        if (r < size) {
          const rt = heapAt[r];
          if (rt < ct || (rt === ct && this.tieBefore(heap[r], heap[l]))) {
            ci = r;
            ct = rt;
          }
        }
        if (ct > lt || (ct === lt && !this.tieBefore(heap[ci], last))) break;
        heap[i] = heap[ci];
        heapAt[i] = ct;
        i = ci;
      }
      heap[i] = last;
      heapAt[i] = lt;
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
    this.far = 0;
    this.bucketHead.fill(-1);
    this.fires.fill(null as unknown as FireFn);
    this.args.fill(undefined);
    this.resetFree();
  }

  /** Of two slots due at the same time, true when `a` must fire strictly before `b`. */
  private tieBefore(a: number, b: number): boolean {
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
    this.heapAt = f64(this.heapAt);
    const link = new Int32Array(cap);
    link.set(this.link);
    this.link = link;
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
