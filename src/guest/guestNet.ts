import type { GuestTunables, Scenario } from '../model/scenario.ts';
import { newSock, type SockState } from './socket.ts';
import { newTxQueue, type TxQueue } from './txQueue.ts';

/**
 * The guests' kernel network state that several vCPUs of a VM share through guest memory: each device
 * queue's qdisc and netif state, and each netperf connection's sending socket. Plain data, acted on by
 * the vCPU machine's actions through the functions of `src/guest/`.
 */
export interface GuestNet {
  readonly tun: GuestTunables;
  /** [vm][queue slot] */
  readonly txq: TxQueue[][];
  /** By flow number (vm x instances + instance): the client's socket. */
  readonly socks: SockState[];
}

export function guestNet(s: Scenario, slots: number): GuestNet {
  return {
    tun: s.guest,
    txq: Array.from({ length: s.vms }, () => Array.from({ length: slots }, newTxQueue)),
    socks: Array.from({ length: s.vms * s.workload.instances }, () => newSock(s.guest.sndbufBytes)),
  };
}
