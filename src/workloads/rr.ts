import type { WorkloadSpec } from '../model/scenario.ts';
import type { Send, Workload } from './workload.ts';

/**
 * Request/response: netperf TCP_RR and UDP_RR (closed loop: each instance has one transaction
 * outstanding; the response triggers the next request) and OPEN_RR (open loop: requests arrive by a
 * Poisson or constant process whatever the responses do). A transaction completes when the response
 * reaches the client application; its latency runs from the request's creation.
 */
export function requestResponse(spec: WorkloadSpec): Workload {
  const openLoop = spec.kind === 'OPEN_RR';
  const request = (bornNs: number): Send => ({
    bytes: spec.requestBytes,
    kind: 'req',
    bornNs,
    ack: 0,
    copy: spec.requestBytes,
  });
  return {
    kind: spec.kind,
    unit: 'transactions/s',
    udp: spec.kind === 'UDP_RR',
    openLoop,
    start: (_flow, nowNs) => (openLoop ? [] : [request(nowNs)]),
    afterSend: () => [],
    clientRx(_flow, pkt, nowNs, sink) {
      if (pkt.kind !== 'resp') return [];
      sink.transaction(pkt.dst, nowNs - pkt.bornNs);
      return openLoop ? [] : [request(nowNs)];
    },
    serverRx: (pkt) =>
      pkt.kind === 'req'
        ? { bytes: spec.responseBytes, kind: 'resp', bornNs: pkt.bornNs, ack: 0, copy: spec.responseBytes }
        : null,
    arrival: request,
  };
}
