/** runScenario without blocking the event loop: chunks of virtual time, progress, cancellation. */
import type { Metrics } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import type { RunResult } from '../runtime/runScenario.ts';
import type { ScenarioInput } from '../scenario/resolve.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';
import { yieldToEventLoop } from './yield.ts';

/** Where an async run is, given to `onProgress` after each chunk. */
export interface RunProgress {
  phase: 'warmup' | 'measure';
  nowNs: number;
  endNs: number;
  /** nowNs / endNs, 0 to 1. */
  fraction: number;
  events: number;
}

export interface RunAsyncOptions extends SimulationOptions {
  onProgress?: (p: RunProgress) => void;
  /** Abort the run: the promise rejects with the signal's reason (an AbortError by default). */
  signal?: AbortSignal;
  /** Chunks the virtual time is cut into (default 100); the event loop runs between them. */
  chunks?: number;
}

/**
 * Run one scenario as `runScenario` does — warm-up, reset, measured window — in chunks of virtual time,
 * yielding to the event loop between them. Same scenario, same metrics as `runScenario`.
 *
 * @example
 * ```ts
 * import { resolveScenario, runAsync } from 'vhost-sim';
 *
 * const controller = new AbortController();
 * const { metrics } = await runAsync(resolveScenario({ vms: 2, durationS: 0.01 }), {
 *   signal: controller.signal,
 *   onProgress: (p) => process.stderr.write(`\r${p.phase} ${(100 * p.fraction).toFixed(0)} %`),
 * });
 * console.log(metrics.throughput.value);
 * ```
 */
export async function runAsync(
  input: Scenario | ScenarioInput,
  options: RunAsyncOptions = {},
): Promise<RunResult> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const sim = new Simulation(input, options);
  const chunks = Math.max(1, Math.floor(options.chunks ?? 100));
  const end = sim.endNs;
  const slice = Math.max(1, Math.ceil(end / chunks));
  const advance = async (untilNs: number, phase: RunProgress['phase']) => {
    while (sim.nowNs < untilNs) {
      sim.run({ untilNs: Math.min(untilNs, sim.nowNs + slice) });
      onProgress?.({
        phase,
        nowNs: sim.nowNs,
        endNs: end,
        fraction: end > 0 ? sim.nowNs / end : 1,
        events: sim.events,
      });
      await yieldToEventLoop();
      signal?.throwIfAborted();
    }
  };
  await advance(sim.warmupEndNs, 'warmup');
  sim.resetMetrics();
  await advance(end, 'measure');
  const metrics: Metrics = sim.metrics();
  return { scenario: sim.scenario, metrics, events: sim.events };
}
