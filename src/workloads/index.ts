import type { WorkloadSpec } from '../model/scenario.ts';
import { blockIo } from './block.ts';
import { requestResponse } from './rr.ts';
import { rxStream } from './rxStream.ts';
import { tcpStream, udpStream } from './stream.ts';
import type { Workload } from './workload.ts';

export function createWorkload(spec: WorkloadSpec): Workload {
  switch (spec.kind) {
    case 'TCP_RR':
    case 'UDP_RR':
    case 'OPEN_RR':
      return requestResponse(spec);
    case 'TCP_STREAM':
      return spec.direction === 'rx' ? rxStream(spec) : tcpStream(spec);
    case 'UDP_STREAM':
      return udpStream(spec);
    case 'BLOCK':
      return blockIo(spec);
  }
}
