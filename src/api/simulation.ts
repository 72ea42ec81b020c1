/**
 * The stepping API, for notebooks and teaching: one simulation you advance by events or to a virtual
 * time, whose actors you can read and whose trace you can subscribe to between steps — like SimPy's
 * `env.step()` and `env.run(until=…)`. It drives the same `SimSystem` as `runScenario`, through the same
 * kernel calls, so stepping changes nothing in a run's results.
 */
import { type Counters, diffCounters, readCounters } from '../metrics/counters.ts';
import { type Metrics, summarize } from '../metrics/summary.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Policy } from '../policies/policy.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { SimSystem } from '../runtime/system.ts';
import type { TraceEvent } from '../runtime/trace.ts';
import { resolveScenario, type ScenarioInput } from '../scenario/resolve.ts';
import { validateScenario } from '../scenario/schema.ts';

export interface SimulationOptions {
  executor?: ExecutorKind;
  /** A threading model of your own instead of `scenario.model`'s (docs/guide/write-a-policy.md). */
  policy?: Policy;
}

/** One actor as it is now: its machine's state and its context (read it; never change it). */
export interface ActorView {
  key: string;
  state: string;
  context: unknown;
}

/**
 * A simulation to drive step by step. Built and started at virtual time 0 (the workload's first
 * messages are queued); nothing runs until you step or run it.
 *
 * @example
 * ```ts
 * import { Simulation } from 'vhost-sim';
 *
 * const sim = new Simulation({ vms: 2, model: 'per-cpu' });
 * sim.step(); // one kernel event
 * const seen: string[] = [];
 * const off = sim.subscribe((ev) => { if (ev.kind === 'deliver') seen.push(`${ev.actor}: ${ev.event}`); });
 * sim.run({ untilNs: 20_000 }); // 20 µs of virtual time
 * off();
 * console.log(sim.nowNs, sim.events, seen.length, sim.actor('cpu0').state);
 * sim.run({ untilNs: sim.warmupEndNs });
 * sim.resetMetrics(); // the warm-up boundary, as runScenario draws it
 * sim.run(); // to the scenario's end
 * console.log(sim.metrics().throughput.value);
 * ```
 */
export class Simulation {
  readonly scenario: Scenario;
  /**
   * The actor system underneath, for what this class does not show (docs/architecture.md): the
   * simulator's internals, not part of the API, and free to change in any version.
   * @internal
   */
  readonly system: SimSystem;
  private readonly listeners = new Set<(ev: TraceEvent) => void>();
  private before: Counters;
  private fromNs = 0;

  /** `input` is a partial scenario (defaults fill the rest) or a resolved one; throws ScenarioError. */
  constructor(input: ScenarioInput | Scenario = {}, options: SimulationOptions = {}) {
    this.scenario = validateScenario(resolveScenario(input as ScenarioInput));
    this.system = new SimSystem(this.scenario, {
      executor: options.executor,
      policy: options.policy,
      onTrace: (ev) => {
        for (const l of this.listeners) l(ev);
      },
    });
    this.system.start();
    this.before = readCounters(this.system.host);
  }

  /** Virtual time now, in nanoseconds. */
  get nowNs(): number {
    return this.system.kernel.nowNs;
  }

  /** Kernel events fired so far. */
  get events(): number {
    return this.system.kernel.eventsFired;
  }

  /** Where the warm-up ends (`warmupS`) and the scenario ends (`warmupS + durationS`), in ns. */
  get warmupEndNs(): number {
    return Math.round(this.scenario.warmupS * 1e9);
  }
  get endNs(): number {
    return this.warmupEndNs + Math.round(this.scenario.durationS * 1e9);
  }

  /** Fire the next event; false when none is left. */
  step(): boolean {
    return this.system.kernel.step();
  }

  /** Fire every event up to `untilNs` (default: the scenario's end); the clock then reads `untilNs`. */
  run({ untilNs = this.endNs }: { untilNs?: number } = {}): void {
    if (!Number.isFinite(untilNs) || untilNs < this.nowNs)
      throw new RangeError(`untilNs: expected a time >= now (${this.nowNs} ns), got ${untilNs}`);
    this.system.kernel.run({ untilNs });
  }

  /** Every actor's key: `cpu3`, `nic`, `vm2.vcpu0`, `vm2.dev0.tx`, vhost workers by name. */
  actorKeys(): readonly string[] {
    return this.system.keys;
  }

  /** One actor's state and context now (the live context: read it, never change it). */
  actor(key: string): ActorView {
    const id = this.system.keys.indexOf(key);
    if (id < 0)
      throw new RangeError(`actor: no actor '${key}' (e.g. ${this.system.keys.slice(0, 3).join(', ')})`);
    const ex = this.system.executor;
    return { key, state: ex.stateOf(id), context: ex.read(id) };
  }

  /** Receive every delivery (actor, event, state after it) from now on; returns the unsubscribe. */
  subscribe(listener: (ev: TraceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Discard what was counted so far: metrics() then covers from now on (the warm-up boundary). */
  resetMetrics(): void {
    this.system.flushAccounting();
    this.system.host.recorder.reset(this.nowNs);
    this.before = readCounters(this.system.host);
    this.fromNs = this.nowNs;
  }

  /** The metrics from the start (or the last resetMetrics) to now. */
  metrics(): Metrics {
    this.system.flushAccounting();
    const counters = diffCounters(this.before, readCounters(this.system.host));
    return summarize(this.system.host, counters, this.nowNs - this.fromNs);
  }
}
