/**
 * `npm run bench`: every figure is measured in this run next to its baseline, so ratios hold on a noisy,
 * shared machine where absolute numbers do not. Writes results/bench.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { runScenario } from '../src/runtime/runScenario.ts';
import { defaultScenario } from '../src/scenario/defaults.ts';
import { benchDispatch } from './dispatch.ts';
import { heapLoop } from './heapLoop.ts';

function standardScenario(durationS: number) {
  const s = defaultScenario();
  s.vms = 8;
  s.model = 'per-cpu';
  s.durationS = durationS;
  s.warmupS = 0;
  return s;
}

function executorRate(executor: 'fast' | 'xstate', durationS: number) {
  const t0 = performance.now();
  const r = runScenario(standardScenario(durationS), { executor });
  const ms = performance.now() - t0;
  return { events: r.events, ms, eventsPerSec: (r.events / ms) * 1000 };
}

const fast = executorRate('fast', 0.2);
const xstate = executorRate('xstate', 0.01);
// The baseline runs as many entities (actors) and events as the fast run did.
const entities = 8 * 5 + 8 + 1;
const loop = heapLoop(entities, fast.events);

const dispatch = [8, 64, 512, 4096].map((w) => benchDispatch(w));

const results = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  scenario: 'TCP_RR, 8 VMs, per-cpu, x3650-m2',
  executor: {
    fastEventsPerSec: Math.round(fast.eventsPerSec),
    xstateEventsPerSec: Math.round(xstate.eventsPerSec),
    handWrittenLoopEventsPerSec: Math.round(loop.eventsPerSec),
    fastOverLoop: +(fast.eventsPerSec / loop.eventsPerSec).toFixed(3),
    fastOverXstate: +(fast.eventsPerSec / xstate.eventsPerSec).toFixed(1),
  },
  dispatch: dispatch.map((d) => ({
    workers: d.workers,
    picksPerSec: Math.round(d.picksPerSec),
    linearScanPicksPerSec: Math.round(d.linearPicksPerSec),
    speedupOverScan: +d.speedup.toFixed(2),
  })),
};

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(`machine: ${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}`);
console.log(`\nexecutor on ${results.scenario}`);
console.log(`  fast executor         ${fmt(results.executor.fastEventsPerSec)} events/s`);
console.log(`  XState executor       ${fmt(results.executor.xstateEventsPerSec)} events/s`);
console.log(`  hand-written heap     ${fmt(results.executor.handWrittenLoopEventsPerSec)} events/s`);
console.log(`  fast / hand-written   ${results.executor.fastOverLoop}   (target ≥ 0.25)`);
console.log(`  fast / XState         ${results.executor.fastOverXstate}   (target ≥ 20)`);
console.log('\nper-CPU dispatch (pick idlest local worker)');
console.log('  workers   picks/s        linear scan    speedup');
for (const d of results.dispatch) {
  console.log(
    `  ${String(d.workers).padEnd(9)} ${fmt(d.picksPerSec).padEnd(14)} ${fmt(d.linearScanPicksPerSec).padEnd(14)} ${d.speedupOverScan}`,
  );
}
mkdirSync('results', { recursive: true });
writeFileSync('results/bench.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwrote results/bench.json');
