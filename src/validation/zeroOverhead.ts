import { defaultScenario } from '../scenario/defaults.ts';
import type { ScenarioInput } from '../scenario/resolve.ts';

/**
 * A zero-overhead open-loop setup for queueing-theory rows: every cost of the profile set to zero (the
 * simulator charges 1 ns for a zero segment) but the vhost TX handler's `serviceNs`, no wire, NIC or peer
 * latency, and requests (`OPEN_RR`, 1 byte) arriving by a Poisson process. The RX side still exists (each
 * request's response comes back through handle_rx) but costs 1 ns a packet; the TX per-packet sojourn is
 * then the waiting plus service of a single FIFO server.
 */
export function zeroOverhead(opts: {
  serviceNs: number;
  service: 'exponential' | 'constant';
  ratePerSec: number;
  durationS: number;
  model?: 'per-device' | 'per-cpu';
  vms?: number;
}): ScenarioInput {
  const costs: Record<string, number> = {};
  for (const k of Object.keys(defaultScenario().profile.costs)) costs[k] = 0;
  return {
    model: opts.model ?? 'per-device',
    vms: opts.vms ?? 1,
    durationS: opts.durationS,
    warmupS: 0.05,
    workload: { kind: 'OPEN_RR', instances: 1, ratePerSec: opts.ratePerSec, arrival: 'poisson' },
    costDistribution: { kind: opts.service },
    profile: {
      costs: { ...costs, vhostTxPktNs: opts.serviceNs, udpStackFactor: 1 },
      nic: { txNs: 0, wireNs: 0, itrIntervalNs: 0, peerTurnaroundNs: 0, peerJitterCv: 0 },
      // A woken vCPU preempts a worker at once, so arrivals are not held back behind a service segment.
      sched: { wakeupGranularityNs: 0 },
    },
  };
}
