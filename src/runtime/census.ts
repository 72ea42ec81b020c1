import type { PcpuContext } from '../../machines/pcpu.machine.ts';
import type { VcpuContext } from '../../machines/vcpu.machine.ts';
import type { VhostWorkerContext } from '../../machines/vhostWorker.machine.ts';
import type { VirtqueueContext } from '../../machines/virtqueue.machine.ts';
import type { SimSystem } from './system.ts';

/** Where the packets that exist right now are. */
export interface Census {
  rings: number;
  /** Guest qdiscs (packets waiting for a stopped TX queue). */
  qdiscs: number;
  sockets: number;
  vhost: number;
  guest: number;
  irq: number;
  /** Messages on links: frames in NIC moderation or on the wire, replies coming back, IPIs... */
  links: number;
  total: number;
}

/**
 * Count every packet in flight by looking where packets can be: virtqueue rings and tap sockets, the
 * packet a vhost handler or a guest NAPI poll is processing (or an IPI carries), interrupts pending on
 * cores, and messages on actor links (frames on the wire, replies coming back, IPIs). With the recorder's created / consumed /
 * dropped counters this gives conservation: created = consumed + dropped + in flight.
 */
export function census(sys: SimSystem): Census {
  const h = sys.host;
  const ex = sys.executor;
  const c: Census = {
    rings: 0,
    qdiscs: 0,
    sockets: 0,
    vhost: 0,
    guest: 0,
    irq: 0,
    links: sys.linkPackets,
    total: 0,
  };
  for (const slots of [...h.txVq, ...h.rxVq]) {
    for (const id of slots) {
      const vq = ex.read<VirtqueueContext>(id);
      c.rings += vq.ring.length;
      c.sockets += vq.sock.length;
    }
  }
  for (const queues of h.guest.txq) for (const q of queues) c.qdiscs += q.qdisc.length;
  for (const id of h.workerActor) if (ex.read<VhostWorkerContext>(id).pkt !== null) c.vhost++;
  for (const ids of h.vcpuActor) {
    for (const id of ids) {
      const v = ex.read<VcpuContext>(id);
      for (const job of v.job === null ? v.jobs : [v.job, ...v.jobs]) {
        if ((job.k === 'napi' && job.pkt !== null) || job.k === 'ipi') c.guest++;
      }
    }
  }
  for (const id of h.cpuActor) c.irq += ex.read<PcpuContext>(id).irqPkts.length;
  c.total = c.rings + c.qdiscs + c.sockets + c.vhost + c.guest + c.irq + c.links;
  return c;
}
