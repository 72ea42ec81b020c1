import { DispatchIndex } from '../src/policies/dispatchIndex.ts';

/** The obvious alternative: scan the node's workers for (load, lastIdle, index) on every pick. */
class LinearScan {
  readonly load: Int32Array;
  readonly lastIdleNs: Float64Array;
  constructor(
    private readonly byNode: number[][],
    n: number,
  ) {
    this.load = new Int32Array(n);
    this.lastIdleNs = new Float64Array(n);
  }
  pick(node: number, exclude: number): number {
    let best = -1;
    for (const w of this.byNode[node]) {
      if (w === exclude && this.byNode[node].length > 1) continue;
      if (
        best < 0 ||
        this.load[w] < this.load[best] ||
        (this.load[w] === this.load[best] &&
          (this.lastIdleNs[w] < this.lastIdleNs[best] ||
            (this.lastIdleNs[w] === this.lastIdleNs[best] && w < best)))
      )
        best = w;
    }
    return best;
  }
  queued(w: number): void {
    this.load[w]++;
  }
  finished(w: number, t: number): void {
    this.load[w]--;
    this.lastIdleNs[w] = t;
  }
}

interface Dispatcher {
  pick(node: number, exclude: number): number;
  queued(w: number): void;
  finished(w: number, t: number): void;
}

/** A dispatch-heavy load: each pick queues a work; works finish in FIFO order a few picks later. */
function drive(d: Dispatcher, workers: number, nodes: number, picks: number): number {
  const inflight = new Int32Array(64);
  let head = 0;
  let tail = 0;
  let checksum = 0;
  for (let i = 0; i < picks; i++) {
    const from = (i * 7919) % workers;
    const node = Math.floor((from * nodes) / workers);
    const w = d.pick(node, from);
    d.queued(w);
    checksum += w;
    inflight[tail++ & 63] = w;
    if (tail - head > 32) d.finished(inflight[head++ & 63], i);
  }
  return checksum;
}

export interface DispatchResult {
  workers: number;
  picksPerSec: number;
  linearPicksPerSec: number;
  speedup: number;
}

/**
 * Picks/s of the dispatch index and of a linear scan over the same workers and load. Like the executor
 * figures: measured in alternating rounds (index, scan, index, ...) after a warm-up, best round of each, so
 * a burst of load from another process hits both alike.
 */
export function benchDispatch(workers: number, seconds = 0.25, rounds = 3): DispatchResult {
  const nodes = 2;
  const nodeOf = Array.from({ length: workers }, (_, w) => Math.floor((w * nodes) / workers));
  const byNode = [0, 1].map((n) => nodeOf.flatMap((m, w) => (m === n ? [w] : [])));
  const rate = (make: () => Dispatcher): number => {
    let picks = 10_000;
    for (;;) {
      const d = make();
      const t0 = performance.now();
      drive(d, workers, nodes, picks);
      const ms = performance.now() - t0;
      if (ms > seconds * 1000) return (picks / ms) * 1000;
      picks *= 2;
    }
  };
  const index = () => new DispatchIndex(nodeOf, nodes);
  const scan = () => new LinearScan(byNode, workers);
  drive(index(), workers, nodes, 50_000); // warm-up (JIT)
  drive(scan(), workers, nodes, 50_000);
  let picksPerSec = 0;
  let linearPicksPerSec = 0;
  for (let r = 0; r < rounds; r++) {
    picksPerSec = Math.max(picksPerSec, rate(index));
    linearPicksPerSec = Math.max(linearPicksPerSec, rate(scan));
  }
  return { workers, picksPerSec, linearPicksPerSec, speedup: picksPerSec / linearPicksPerSec };
}
