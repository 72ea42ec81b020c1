/** Whether the worker of the queueing CPU may take the work (`policy.perCpuOwnWorker`). */
export type OwnWorker = 'never' | 'when-idle' | 'always';

/** What "idlest" compares first (`policy.perCpuKey`); `works` alone is what the heap orders by. */
export type DispatchKey = 'works' | 'cpu' | 'works-then-cpu';

/**
 * The per-CPU dispatcher's hot path: for each NUMA node, a binary min-heap of that node's workers ordered
 * by (load, lastIdleNs, worker index). `load` is the number of works queued on or running in the worker;
 * `lastIdleNs` is when it last finished a work (earlier = idle for longer, the proxy for the lowest recent
 * utilization). Updates and picks are O(log W); a pick never scans the workers. A count of idle workers
 * (load 0) per node, kept on every load change, tells in O(1) whether a pick passed an idle worker over.
 */
export class DispatchIndex {
  private readonly load: Int32Array;
  private readonly lastIdleNs: Float64Array;
  private readonly nodeOf: Int32Array;
  /** Position of each worker inside its node's heap. */
  private readonly pos: Int32Array;
  private readonly heaps: Int32Array[];
  private readonly sizes: Int32Array;
  /** Workers with load 0, per node. */
  private readonly idle: Int32Array;
  picks = 0;
  /** Picks that chose a worker with load > 0 while a worker of the node had load 0. */
  busyPicks = 0;

  constructor(workerNodes: readonly number[], nodes: number) {
    const n = workerNodes.length;
    this.load = new Int32Array(n);
    this.lastIdleNs = new Float64Array(n);
    this.nodeOf = Int32Array.from(workerNodes);
    this.pos = new Int32Array(n);
    this.sizes = new Int32Array(nodes);
    const counts = new Array<number>(nodes).fill(0);
    for (const node of workerNodes) counts[node]++;
    this.heaps = counts.map((c) => new Int32Array(c));
    this.idle = Int32Array.from(counts);
    // Inserting in index order with equal keys already satisfies the heap property.
    for (let w = 0; w < n; w++) {
      const node = workerNodes[w];
      const i = this.sizes[node]++;
      this.heaps[node][i] = w;
      this.pos[w] = i;
    }
  }

  /**
   * The idlest worker on `node`; `ownWorker` (the worker of the CPU the work came from) is skipped under
   * `never`, skipped under `when-idle` unless its load is 0, and competes like the others under `always`.
   * It is taken anyway when it is the node's only worker. In a min-heap the runner-up is one of the
   * root's two children, so the exclusion costs O(1).
   */
  pick(node: number, ownWorker: number, own: OwnWorker = 'never'): number {
    return this.counted(node, this.choose(node, ownWorker, own));
  }

  private counted(node: number, w: number): number {
    this.picks++;
    // An idle worker was there (ownWorker included) and the pick went to a busy one.
    if (w >= 0 && this.load[w] > 0 && this.idle[node] > 0) this.busyPicks++;
    return w;
  }

  /**
   * The idlest worker on `node` by a key that includes `cpuLoad(w)`, the run-queue length of worker w's
   * CPU: (cpuLoad, load, lastIdleNs, index) for `cpu`, (load, cpuLoad, lastIdleNs, index) for
   * `works-then-cpu`; the own worker as in `pick`. Run queues change on every wake-up, switch and sleep,
   * outside this index, so this scans the node's W workers (O(W)) instead of keeping them ordered.
   */
  pickBy(
    node: number,
    ownWorker: number,
    own: OwnWorker,
    key: Exclude<DispatchKey, 'works'>,
    cpuLoad: (w: number) => number,
  ): number {
    const heap = this.heaps[node];
    const size = this.sizes[node];
    let best = -1;
    let bestCpu = 0;
    for (let i = 0; i < size; i++) {
      const w = heap[i];
      if (w === ownWorker && size > 1 && own !== 'always' && !(own === 'when-idle' && this.load[w] === 0))
        continue;
      const c = cpuLoad(w);
      if (best < 0 || this.keyLess(w, c, best, bestCpu, key === 'cpu')) {
        best = w;
        bestCpu = c;
      }
    }
    return this.counted(node, best);
  }

  private keyLess(a: number, ca: number, b: number, cb: number, cpuFirst: boolean): boolean {
    const la = this.load[a];
    const lb = this.load[b];
    if (cpuFirst) {
      if (ca !== cb) return ca < cb;
      if (la !== lb) return la < lb;
    } else {
      if (la !== lb) return la < lb;
      if (ca !== cb) return ca < cb;
    }
    return this.less(a, b);
  }

  private choose(node: number, ownWorker: number, own: OwnWorker): number {
    const heap = this.heaps[node];
    const size = this.sizes[node];
    if (size === 0) return -1;
    const root = heap[0];
    if (root !== ownWorker || size === 1 || own === 'always') return root;
    if (own === 'when-idle' && this.load[root] === 0) return root;
    if (size === 2) return heap[1];
    return this.less(heap[1], heap[2]) ? heap[1] : heap[2];
  }

  /** A work was queued on `w`. */
  queued(w: number): void {
    if (this.load[w]++ === 0) this.idle[this.nodeOf[w]]--;
    this.siftDown(this.nodeOf[w], this.pos[w]);
  }

  /** `w` finished a work at `nowNs`. */
  finished(w: number, nowNs: number): void {
    if (--this.load[w] === 0) this.idle[this.nodeOf[w]]++;
    this.lastIdleNs[w] = nowNs;
    const node = this.nodeOf[w];
    // load fell (moves up) but lastIdleNs rose (may move down): restore both ways.
    this.siftUp(node, this.pos[w]);
    this.siftDown(node, this.pos[w]);
  }

  loadOf(w: number): number {
    return this.load[w];
  }

  private less(a: number, b: number): boolean {
    const la = this.load[a];
    const lb = this.load[b];
    if (la !== lb) return la < lb;
    const ia = this.lastIdleNs[a];
    const ib = this.lastIdleNs[b];
    if (ia !== ib) return ia < ib;
    return a < b;
  }

  private siftUp(node: number, i: number): void {
    const heap = this.heaps[node];
    const w = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!this.less(w, p)) break;
      heap[i] = p;
      this.pos[p] = i;
      i = parent;
    }
    heap[i] = w;
    this.pos[w] = i;
  }

  private siftDown(node: number, i: number): void {
    const heap = this.heaps[node];
    const size = this.sizes[node];
    const w = heap[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && this.less(heap[r], heap[l]) ? r : l;
      if (!this.less(heap[c], w)) break;
      heap[i] = heap[c];
      this.pos[heap[i]] = i;
      i = c;
    }
    heap[i] = w;
    this.pos[w] = i;
  }
}
