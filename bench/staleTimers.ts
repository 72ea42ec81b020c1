/**
 * `npx tsx bench/staleTimers.ts [VMS] [PROFILE] [SECONDS]`: how many of a run's events are core timers that
 * fire stale (their generation superseded: the segment, switch or interrupt was cut short or re-armed, the
 * slice was ended by a switch), so do nothing. A diagnostic: it wraps the fast executor's `deliver` to look
 * at the receiving core's context before each timer is taken. Per-cpu TCP_RR, 0.01 s of warm-up.
 */
import type { PcpuContext } from '../machines/pcpu.machine.ts';
import type { SimMsg } from '../machines/port.ts';
import { FastExecutor } from '../src/runtime/fastExecutor.ts';
import { runScenario } from '../src/runtime/runScenario.ts';
import { resolveScenario } from '../src/scenario/resolve.ts';

const TIMERS = ['seg.done', 'switch.done', 'wake.done', 'irq.done', 'slice.end'];
const fired = new Map<string, number>();
const stale = new Map<string, number>();
const deliver = FastExecutor.prototype.deliver;
FastExecutor.prototype.deliver = function (this: FastExecutor, id: number, ev: SimMsg): void {
  if (TIMERS.includes(ev.type)) {
    const ctx = this.read<PcpuContext>(id);
    const gen = (ev as { gen?: number }).gen;
    const current = ev.type === 'irq.done' ? ctx.irqGen : ev.type === 'slice.end' ? ctx.sliceGen : ctx.gen;
    fired.set(ev.type, (fired.get(ev.type) ?? 0) + 1);
    if (gen !== current) stale.set(ev.type, (stale.get(ev.type) ?? 0) + 1);
  }
  deliver.call(this, id, ev);
};

const [vms = '1024', profile = '2x64', seconds = '0.02'] = process.argv.slice(2);
const r = runScenario(
  resolveScenario({ vms: Number(vms), model: 'per-cpu', profile, durationS: Number(seconds), warmupS: 0.01 }),
  { executor: 'fast' },
);
let staleTotal = 0;
for (const [type, n] of fired) {
  staleTotal += stale.get(type) ?? 0;
  console.log(
    `${type.padEnd(12)} ${String(n).padStart(9)} fired, ${String(stale.get(type) ?? 0).padStart(9)} stale`,
  );
}
console.log(`${staleTotal} of ${r.events} events stale: ${((staleTotal / r.events) * 100).toFixed(1)} %`);
