/**
 * Give the event loop a turn (timers, I/O, an AbortSignal's listeners) between chunks of an async run.
 * The one wall-clock-world call of the library API: it decides only when a chunk runs, never what it
 * computes, so results stay a pure function of the scenario (exempt in test/lint/noWallClock.test.ts).
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
