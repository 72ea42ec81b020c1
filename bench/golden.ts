/**
 * `npx tsx bench/golden.ts [--json]`: a fixed set of runs and the SHA-256 of each one's result (scenario,
 * metrics and the number of kernel events), to check that a speed-up changes no result: run it on the
 * tree before and after a change and compare the lines. The set covers every threading model, each
 * workload, both profiles, and the 3.6 scheduler's rules switched off one at a time.
 */
import { createHash } from 'node:crypto';
import { runScenario } from '../src/runtime/runScenario.ts';
import { resolveScenario, type ScenarioInput } from '../src/scenario/resolve.ts';

const short = { durationS: 0.02, warmupS: 0.01 };
const noRule = (flag: string): ScenarioInput => ({
  vms: 64,
  model: 'per-cpu',
  profile: { name: '2x64', sched: { [flag]: false } },
  ...short,
});

export const goldenRuns: Record<string, ScenarioInput> = {
  'per-device 16': { vms: 16, model: 'per-device', ...short },
  'per-cpu 16': { vms: 16, model: 'per-cpu', ...short },
  'multi-worker 8': { vms: 8, model: 'multi-worker', ...short },
  'busy-poll 8': { vms: 8, model: 'busy-poll', ...short },
  'sidecore 8': { vms: 8, model: 'sidecore', ...short },
  'pmd 8': { vms: 8, model: 'pmd', ...short },
  'tcp-stream 8': { vms: 8, model: 'per-cpu', workload: { kind: 'TCP_STREAM' }, ...short },
  'udp-stream east-west 4': {
    vms: 4,
    model: 'per-device',
    workload: { kind: 'UDP_STREAM', peer: 'east-west' },
    ...short,
  },
  'udp-rr 6': { vms: 6, model: 'per-cpu', workload: { kind: 'UDP_RR' }, ...short },
  'open-rr 6': { vms: 6, model: 'per-device', workload: { kind: 'OPEN_RR' }, ...short },
  '2x64 per-cpu 8': { vms: 8, model: 'per-cpu', profile: '2x64', ...short },
  '2x64 per-cpu 256': { vms: 256, model: 'per-cpu', profile: '2x64', durationS: 0.005, warmupS: 0.005 },
  '2x64 per-device 256': {
    vms: 256,
    model: 'per-device',
    profile: '2x64',
    durationS: 0.005,
    warmupS: 0.005,
  },
  '2x64 per-device 64 pinned': {
    vms: 64,
    model: 'per-device',
    profile: '2x64',
    pinning: { vcpu: 'node' },
    ...short,
  },
  '2x64 no wakeAffine': noRule('wakeAffine'),
  '2x64 no selectIdleSibling': noRule('selectIdleSibling'),
  '2x64 no periodicBalance': noRule('periodicBalance'),
  '2x64 no cacheHot': noRule('cacheHot'),
  '2x64 no decayedLoad': noRule('decayedLoad'),
};

const asJson = process.argv.includes('--json');
const out: Record<string, string> = {};
for (const [name, input] of Object.entries(goldenRuns)) {
  const r = runScenario(resolveScenario(input));
  const text = JSON.stringify({ scenario: r.scenario, metrics: r.metrics, events: r.events });
  out[name] = createHash('sha256').update(text).digest('hex').slice(0, 16);
  if (!asJson) console.log(`${out[name]}  ${String(r.events).padStart(9)}  ${name}`);
}
if (asJson) console.log(JSON.stringify(out, null, 2));
