/**
 * What `run --help` and `sweep --help` show besides the options (issue 20.5): each scenario flag's
 * default (read from the default scenario, so it never drifts), and examples.
 */
import { resolveScenario } from '../scenario/resolve.ts';

const defaults = resolveScenario({}) as unknown as Record<string, unknown>;

/** ` (default: X)` for the scenario field at `path`, as the default scenario has it. */
export function scenarioDefault(path: string): string {
  const v = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], defaults);
  return v === undefined ? '' : ` (default: ${typeof v === 'string' ? v : JSON.stringify(v)})`;
}

export const RUN_HELP = `
Every field a flag does not set comes from the scenario file, then the defaults (all of them, commented:
vhost-sim init). The run's header lists what differs from the defaults.

Examples:
  vhost-sim run                                       # the default scenario: 1 VM, TCP_RR, per-device
  vhost-sim run --model per-cpu --vms 8 --duration 0.2
  vhost-sim run --workload tcp_stream --instances 4 --fields THROUGHPUT,LOCAL_SD
  vhost-sim run my-scenario.yaml --set profile.costs.ctxSwitchNs=0
  vhost-sim run --vms 2 --trace trace.json --trace-window 0.1:0.11
  vhost-sim run --vms 4 --sched latency
  vhost-sim init my-scenario.yaml                     # every field at its default, commented
`;

export const SWEEP_HELP = `
Every field a flag does not set comes from the scenario file, then the defaults (vhost-sim init).

Examples:
  vhost-sim sweep --vms-list 1,2,4,8 --reps 3
  vhost-sim sweep --models per-device,per-cpu,multi-worker --workload udp_rr
  vhost-sim sweep --axis profile.costs.ctxSwitchNs=1000,2000,4000 --vms-list 8,16
  vhost-sim sweep --out results/mine --resume                 # finish an interrupted sweep
`;
