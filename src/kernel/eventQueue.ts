/**
 * A scheduled callback in virtual time.
 *
 * `fire` receives `arg` so hot paths can schedule a shared, pre-bound function plus a payload instead of
 * allocating a fresh closure per event.
 */
export interface SimEvent {
  /** Absolute virtual time (integer nanoseconds) at which the event fires. */
  atNs: number;
  /** Tie-breaker at equal `atNs`: lower numbers fire first. */
  priority: number;
  /** Monotonic insertion counter; the final tie-breaker, which makes equal (atNs, priority) FIFO. */
  seq: number;
  /** Lazily cancelled events stay in the heap and are skipped when they surface (O(1) cancel). */
  cancelled: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: the kernel is payload-agnostic; typed at SimKernel.schedule.
  fire: (arg: any) => void;
  arg: unknown;
}

/** True when `a` must fire strictly before `b`. Kept as a free function so the heap allocates nothing. */
function before(a: SimEvent, b: SimEvent): boolean {
  if (a.atNs !== b.atNs) return a.atNs < b.atNs;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

/**
 * Binary min-heap of {@link SimEvent}s.
 *
 * Ordering contract (this is what makes simulations deterministic):
 * 1. earlier `atNs` first;
 * 2. equal `atNs` -> lower `priority` number first;
 * 3. equal both -> FIFO by `seq` (insertion order).
 *
 * `seq` is supplied by the caller (SimKernel assigns it) and must be unique; because it totally orders ties,
 * the heap's lack of stability never leaks into the firing order.
 * Backed by a plain array with hand-written sift loops: no comparator closures on the hot path.
 */
export class EventQueue {
  private readonly heap: SimEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: SimEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    // Sift up: move the hole toward the root while the parent fires later than the new entry.
    while (i > 0) {
      const parentIdx = (i - 1) >> 1;
      const parent = heap[parentIdx];
      if (!before(entry, parent)) break;
      heap[i] = parent;
      i = parentIdx;
    }
    heap[i] = entry;
  }

  peek(): SimEvent | undefined {
    return this.heap[0];
  }

  pop(): SimEvent | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as SimEvent;
    if (n > 1) {
      // Sift down: place `last` into the root hole, pushing the smaller child up each step.
      const size = n - 1;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = l;
        if (r < size && before(heap[r], heap[l])) c = r;
        if (!before(heap[c], last)) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  /** Drop everything (used when a run is abandoned). */
  clear(): void {
    this.heap.length = 0;
  }
}
