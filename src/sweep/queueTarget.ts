/** Where `runPoints` sends a sweep's points instead of local threads (a file of its own: no bullmq types). */
export interface QueueTarget {
  /** `redis://HOST:PORT[/DB]`. */
  url: string;
  /** Attempts per run before it is recorded as failed (default 3). */
  attempts?: number;
}
