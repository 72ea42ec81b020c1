import type { ActorId } from '../model/actor.ts';

/**
 * A `struct vhost_work`: the handler of one virtqueue (handle_tx_kick / handle_rx_kick). It is data, not an
 * actor. `queued` is the VHOST_WORK_QUEUED bit: a work sits on a worker's list at most once, so kicks that
 * arrive while it is queued coalesce.
 */
export interface VhostWork {
  wid: number;
  vm: number;
  dev: number;
  dir: 'tx' | 'rx';
  /** The virtqueue actor the handler drains. */
  vq: ActorId;
  queued: boolean;
  /** Policy worker index it was last queued on (-1 before the first queueing). */
  worker: number;
  /** Virtual time it was queued, for sojourn time. */
  queuedAtNs: number;
  /** Its handler's last run was cut by the weight (vhost_exceeds_weight): more was waiting than one run moves. */
  backlogged: boolean;
}
