/**
 * A cache line that several CPUs write: a spinlock with the data it guards, or a shared counter. Linux
 * 3.6's `vhost_work_queue()` and `vhost_worker()` (New-B/Linux3.6:drivers/vhost/vhost.c) both take
 * `dev->work_lock` (`spin_lock_irqsave` / `spin_lock_irq`) around `dev->work_list`; the lock and the list
 * head sit in one line of `struct vhost_dev`. A CPU that takes it after another CPU wrote it last must pull
 * the line from that CPU's cache (a cache-to-cache transfer: within the L3, or across the socket link),
 * and one that finds it held spins until the holder lets go.
 *
 * The uncontended lock itself is inside the calibrated per-operation costs (the kick's handling, the
 * softirq's share per frame, a handler's per-packet cost); what is charged here is only what sharing adds.
 */
export interface SharedLine {
  /** CPU that wrote the line last (-1: never written). */
  lastCpu: number;
  /** Until when the CPU that took it holds the lock (the line's data, for a plain shared counter: 0). */
  heldUntilNs: number;
}

export function newLine(): SharedLine {
  return { lastCpu: -1, heldUntilNs: 0 };
}

export interface LineCosts {
  /** Pulling a line another core of the same L3 modified. */
  lineLlcNs: number;
  /** Pulling a line a core of another L3 (on the talk's host: the other socket) modified. */
  lineRemoteNs: number;
}

export interface LineTake {
  /** CPU time the taker pays: the spin while it is held, then the transfer. */
  ns: number;
  spinNs: number;
  transfer: 'none' | 'llc' | 'remote';
}

/**
 * `cpu` takes the line at `nowNs` and, for a lock, holds it `holdNs` after it has it (0: a plain write,
 * nothing to wait for). By definition: spin until the holder releases it, then pull it from the last
 * writer's cache unless this CPU wrote it last; the line is this CPU's afterwards.
 */
export function takeLine(
  line: SharedLine,
  cpu: number,
  nowNs: number,
  llcOf: readonly number[],
  costs: LineCosts,
  holdNs: number,
): LineTake {
  const spinNs = holdNs > 0 ? Math.max(0, line.heldUntilNs - nowNs) : 0;
  let transfer: LineTake['transfer'] = 'none';
  if (line.lastCpu >= 0 && line.lastCpu !== cpu)
    transfer = llcOf[line.lastCpu] === llcOf[cpu] ? 'llc' : 'remote';
  const xferNs = transfer === 'llc' ? costs.lineLlcNs : transfer === 'remote' ? costs.lineRemoteNs : 0;
  line.lastCpu = cpu;
  if (holdNs > 0) line.heldUntilNs = nowNs + spinNs + xferNs + holdNs;
  return { ns: spinNs + xferNs, spinNs, transfer };
}
