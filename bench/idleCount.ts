/**
 * `node --expose-gc --import tsx bench/idleCount.ts [VMS] [PROFILE] [SECONDS] [ROUNDS]`: what the per-LLC
 * idle count (src/sched/runQueue.ts) saves select_idle_sibling(), paired in one process so that the noise
 * between processes does not decide it. Each round runs the same per-cpu TCP_RR scenario twice, with the
 * counts kept and detached (every `llcIdle` null: the 3.6 scan on every wake-up), in alternating order, timed
 * in CPU time after 0.01 s of virtual warm-up. Then, on the state a run ends in, one select_idle_sibling()
 * call with and without the counts (every task placed from its own CPU, many passes) and what that makes
 * per event at the run's wake-ups per event: a figure the noise of whole runs (±20 % a round) cannot hide.
 */
import { SimSystem } from '../src/runtime/system.ts';
import { resolveScenario } from '../src/scenario/resolve.ts';
import { selectIdleSibling } from '../src/sched/selectCpu.ts';

const [vms = '1024', profile = '2x64', seconds = '0.03', rounds = '5'] = process.argv.slice(2);
const scenario = resolveScenario({
  vms: Number(vms),
  model: 'per-cpu',
  profile,
  durationS: Number(seconds),
  warmupS: 0.01,
});

function timed(keep: boolean, sys = new SimSystem(scenario)): { events: number; nsPerEvent: number } {
  if (!keep) for (const rq of sys.host.rqs) rq.llcIdle = null;
  sys.start();
  (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc: the last run's garbage is not this one's
  const warmNs = Math.round(scenario.warmupS * 1e9);
  sys.kernel.run({ untilNs: warmNs });
  const e0 = sys.kernel.eventsFired;
  const c0 = process.cpuUsage();
  sys.kernel.run({ untilNs: warmNs + Math.round(scenario.durationS * 1e9) });
  const cpu = process.cpuUsage(c0);
  const events = sys.kernel.eventsFired - e0;
  return { events, nsPerEvent: ((cpu.user + cpu.system) * 1000) / events };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
timed(true); // warm the JIT on both paths
timed(false);
const kept: number[] = [];
const scanned: number[] = [];
for (let r = 0; r < Number(rounds); r++) {
  const order = r % 2 === 0 ? [true, false] : [false, true];
  const got = new Map(order.map((k) => [k, timed(k)]));
  const [k, s] = [got.get(true), got.get(false)] as { events: number; nsPerEvent: number }[];
  if (k.events !== s.events) throw new Error(`round ${r}: ${k.events} events kept, ${s.events} scanned`);
  kept.push(k.nsPerEvent);
  scanned.push(s.nsPerEvent);
  console.log(
    `round ${r}: ${k.events} events, ${s.nsPerEvent.toFixed(0)} ns/event scanned, ${k.nsPerEvent.toFixed(0)} kept (${(k.nsPerEvent / s.nsPerEvent).toFixed(3)})`,
  );
}
const ratios = kept.map((k, i) => k / scanned[i]);
console.log(
  `median: ${median(scanned).toFixed(0)} ns/event scanned, ${median(kept).toFixed(0)} kept; median ratio ${median(ratios).toFixed(3)} (${vms} VMs, ${profile}, ${seconds} s, ${rounds} rounds)`,
);

// One call, on the state a kept run ends in: every task placed from its own CPU, with and without the counts.
const sys = new SimSystem(scenario);
const { events } = timed(true, sys);
const h = sys.host;
let moved = 0; // answers other than the target: also keeps the calls from being optimised away
const perCall = (passes: number): number => {
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < passes; p++)
    for (const t of h.tasks) if (selectIdleSibling(t, t.cpu, t.cpu, t.cpu, h) !== t.cpu) moved++;
  return Number(process.hrtime.bigint() - t0) / (passes * h.tasks.length);
};
const counts = h.rqs.map((rq) => rq.llcIdle);
const calls = { kept: [] as number[], scanned: [] as number[] };
for (let r = 0; r < 5; r++) {
  calls.kept.push(perCall(200));
  for (const rq of h.rqs) rq.llcIdle = null;
  calls.scanned.push(perCall(200));
  h.rqs.forEach((rq, i) => {
    rq.llcIdle = counts[i];
  });
}
const wakesPerEvent = h.recorder.sched.wakeups / events;
const [ck, cs] = [median(calls.kept), median(calls.scanned)];
console.log(
  `select_idle_sibling() per call (${h.tasks.length} tasks, end state, ${((moved / (2000 * h.tasks.length)) * 100).toFixed(1)} % moved): ${cs.toFixed(1)} ns scanned, ${ck.toFixed(1)} kept; ${wakesPerEvent.toFixed(3)} wake-ups per event, so ${((cs - ck) * wakesPerEvent).toFixed(1)} ns per event`,
);
