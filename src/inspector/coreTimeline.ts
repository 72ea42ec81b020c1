/**
 * What each core did over the last stretch of virtual time, as segments (like `perf sched map`, or a
 * Perfetto track per core): each segment is the pcpu machine's state with the thread it ran and the VM
 * that thread served. Fed by the session after every delivery to a core's actor, while a page watches.
 */

/** `[fromNs, toNs, state, thread, vm]`: compact, since every state message carries the window. */
export type Segment = [fromNs: number, toNs: number, state: string, thread: string | null, vm: number];

/** Segments kept per core at most (a busy core switching every microsecond still shows its last ones). */
const MAX_SEGMENTS = 400;

interface Open {
  fromNs: number;
  state: string;
  thread: string | null;
  vm: number;
}

export class CoreTimeline {
  private readonly closed: Segment[][];
  private readonly open: (Open | null)[];

  /** `keepNs`: how far back segments are kept. */
  constructor(
    cpus: number,
    readonly keepNs: number,
  ) {
    this.closed = Array.from({ length: cpus }, () => []);
    this.open = new Array<Open | null>(cpus).fill(null);
  }

  /** Core `cpu` is, from `atNs` on, in `state` running `thread` for `vm` (-1: none). */
  note(cpu: number, atNs: number, state: string, thread: string | null, vm: number): void {
    const o = this.open[cpu];
    if (o !== null && o.state === state && o.thread === thread && o.vm === vm) return;
    if (o !== null && atNs > o.fromNs) {
      const list = this.closed[cpu];
      list.push([o.fromNs, atNs, o.state, o.thread, o.vm]);
      let drop = 0;
      while (drop < list.length && (list[drop][1] < atNs - this.keepNs || list.length - drop > MAX_SEGMENTS))
        drop++;
      if (drop > 0) list.splice(0, drop);
    }
    this.open[cpu] = { fromNs: atNs, state, thread, vm };
  }

  /** Forget everything (no page watches: nothing is recorded, so what was kept would have a gap). */
  clear(): void {
    for (const l of this.closed) l.length = 0;
    this.open.fill(null);
  }

  /** Each core's segments overlapping `[nowNs - windowNs, nowNs]`, cut to it; the open one ends at now. */
  view(nowNs: number, windowNs: number = this.keepNs): Segment[][] {
    const from = nowNs - windowNs;
    return this.closed.map((list, cpu) => {
      const out: Segment[] = [];
      const o = this.open[cpu];
      const all: Segment[] = o === null ? list : [...list, [o.fromNs, nowNs, o.state, o.thread, o.vm]];
      for (const [a, b, state, thread, vm] of all) {
        if (b <= from || a > nowNs) continue;
        out.push([Math.max(a, from), Math.min(b, nowNs), state, thread, vm]);
      }
      return out;
    });
  }
}
