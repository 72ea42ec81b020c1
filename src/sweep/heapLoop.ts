/**
 * The baseline for the executor: a minimal hand-written discrete-event loop (binary heap of
 * (time, seq) with parallel typed arrays, no closures, no objects per event) running a load of the same
 * shape as a simulation: N entities, each event schedules the next one of its entity a few µs later.
 * The bench compares the executor with it (docs/performance.md); the estimate of a sweep's wall time
 * reads the machine's present speed off it (estimate.ts). `now` is the wall clock in ms.
 */
export function heapLoop(entities: number, events: number, now: () => number): { eventsPerSec: number } {
  const cap = entities + 1;
  const at = new Float64Array(cap);
  const seq = new Float64Array(cap);
  const who = new Int32Array(cap);
  let size = 0;
  let nextSeq = 0;
  const less = (i: number, j: number) => at[i] < at[j] || (at[i] === at[j] && seq[i] < seq[j]);
  const swap = (i: number, j: number) => {
    const a = at[i];
    at[i] = at[j];
    at[j] = a;
    const s = seq[i];
    seq[i] = seq[j];
    seq[j] = s;
    const w = who[i];
    who[i] = who[j];
    who[j] = w;
  };
  const push = (t: number, w: number) => {
    let i = size++;
    at[i] = t;
    seq[i] = nextSeq++;
    who[i] = w;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(i, p)) break;
      swap(i, p);
      i = p;
    }
  };
  const pop = () => {
    size--;
    swap(0, size);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const c = l + 1 < size && less(l + 1, l) ? l + 1 : l;
      if (!less(c, i)) break;
      swap(c, i);
      i = c;
    }
  };
  for (let w = 0; w < entities; w++) push(w * 1000, w);
  let x = 12345;
  const t0 = now();
  for (let n = 0; n < events; n++) {
    const t = at[0];
    const w = who[0];
    pop();
    // xorshift: a cheap deterministic delay of 1-8 µs, like a simulated cost.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    push(t + 1000 + ((x >>> 0) % 7000), w);
  }
  const ms = now() - t0;
  return { eventsPerSec: (events / ms) * 1000 };
}
