import type { WorkloadSpec } from '../model/scenario.ts';
import type { Send, Workload } from './workload.ts';

/** struct virtio_scsi_cmd_req with a 32-byte CDB (lun, tag, task_attr, prio, crn, cdb): 51 bytes. */
export const SCSI_CMD_REQ_BYTES = 51;
/** struct virtio_scsi_cmd_resp (sense_len, resid, status_qualifier, status, response, 96-byte sense): 108 bytes. */
export const SCSI_CMD_RESP_BYTES = 108;

/**
 * fio over virtio-scsi to vhost-scsi with a null backend (`--rw=randrw --ioengine=libaio --direct=1`):
 * each instance is a fio job that keeps `iodepth` requests in flight on its queue (blk-mq maps the
 * submitting vCPU to a request virtqueue); a completion reaped is a request submitted. Requests alternate
 * read and write (rwmixread=50): a write carries its `blockBytes` to the host, a read's data comes back
 * with the response. The "peer" is the host's block backend: the vhost handler submits the request
 * (vhost_scsi_handle_vq) and the backend completes it at once onto the same queue's completion work
 * (vhost_scsi_release_cmd -> vhost_vq_work_queue, torvalds/linux:drivers/vhost/scsi.c). Data moves by
 * pinned guest pages, not copies (O_DIRECT in the guest, get_user_pages in vhost): no per-byte cost.
 * Transactions are I/Os; their latency runs from submission to reaping.
 */
export function blockIo(spec: WorkloadSpec): Workload {
  /** Requests each job has submitted, for the read/write alternation. */
  const issued: number[] = [];
  const request = (flow: number, bornNs: number): Send => {
    const n = issued[flow] ?? 0;
    issued[flow] = n + 1;
    const write = n % 2 === 1;
    // The request's kind says which way its data goes: 'req' a read (data comes back), 'data' a write.
    return {
      bytes: SCSI_CMD_REQ_BYTES + (write ? spec.blockBytes : 0),
      kind: write ? 'data' : 'req',
      bornNs,
      ack: 0,
      copy: 0,
    };
  };
  return {
    kind: 'BLOCK',
    unit: 'transactions/s',
    udp: false,
    openLoop: false,
    storage: true,
    start: (flow, nowNs) => Array.from({ length: spec.iodepth }, () => request(flow.flow, nowNs)),
    afterSend: () => [],
    clientRx(flow, pkt, nowNs, sink) {
      if (pkt.kind !== 'resp') return [];
      sink.transaction(pkt.dst, nowNs - pkt.bornNs);
      return [request(flow.flow, nowNs)];
    },
    // The null backend completes every command: a read returns its data with the response.
    serverRx: (pkt) =>
      pkt.kind === 'req' || pkt.kind === 'data'
        ? {
            bytes: SCSI_CMD_RESP_BYTES + (pkt.kind === 'req' ? spec.blockBytes : 0),
            kind: 'resp',
            bornNs: pkt.bornNs,
            ack: 0,
            copy: 0,
          }
        : null,
    arrival: (nowNs) => request(0, nowNs),
  };
}
