import type { WorkloadSpec } from '../model/scenario.ts';
import type { Workload } from './workload.ts';

/**
 * netperf TCP_RR: each instance is a closed loop of one request (requestBytes) and one response
 * (responseBytes); a transaction completes when the response reaches the guest application.
 */
export function tcpRr(spec: WorkloadSpec): Workload {
  return {
    firstMessage: () => ({ bytes: spec.requestBytes, kind: 'req' }),
    onGuestRx(pkt, nowNs, done) {
      if (pkt.kind !== 'resp') return null;
      done(pkt.vm, nowNs - pkt.bornNs);
      return { bytes: spec.requestBytes, kind: 'req', bornNs: nowNs };
    },
    peerReply: (pkt) => (pkt.kind === 'req' ? { bytes: spec.responseBytes, kind: 'resp' } : null),
  };
}
