/** Where `runPoints` sends a sweep's points instead of local threads (a file of its own: no bullmq types). */
export interface QueueTarget {
  /** `redis://HOST:PORT[/DB]`. */
  url: string;
  /** Attempts per run before it is recorded as failed (default 3). */
  attempts?: number;
  /**
   * A sweep whose Redis answers no command for this long stops with an error (ms, default 60,000):
   * the journal keeps the finished runs for `--resume`.
   */
  unresponsiveMs?: number;
  /** How often the sweep checks that Redis answers and that its jobs still exist (ms, default 5,000). */
  healthIntervalMs?: number;
}
