import type { VhostWork } from '../vhost/vhostWork.ts';
import type { Policy, PolicyInput, WorkerSpec } from './policy.ts';

/**
 * Upstream vhost in 2012: one kthread per virtio-net device (`vhost-<qemu pid>`), serving the device's TX
 * and RX works serially on one list (each queue pair of a multiqueue device has its own vhost-net fd,
 * hence its own worker). Unpinned, NUMA-unaware, in its VM's cgroup. With `busyPollNs` it is the
 * busy-polling variant (QEMU `poll-us`, vhost_net busyloop_timeout).
 */
export class PerDevicePolicy implements Policy {
  picks = 0;
  private slots = 1;

  constructor(
    private readonly busyPollNs = 0,
    readonly name: 'per-device' | 'busy-poll' = 'per-device',
  ) {}

  createWorkers({ scenario, slots }: PolicyInput): WorkerSpec[] {
    this.slots = slots;
    const workers: WorkerSpec[] = [];
    for (let vm = 0; vm < scenario.vms; vm++) {
      for (let dev = 0; dev < slots; dev++) {
        workers.push({
          name: `vhost-vm${vm}.${dev}`,
          allowed: null,
          vm,
          mode: 'sleep',
          datapath: 'kernel',
          busyPollNs: this.busyPollNs,
        });
      }
    }
    return workers;
  }

  selectWorker(work: VhostWork): number {
    this.picks++;
    return work.vm * this.slots + work.dev;
  }

  workFinished(): void {}
}
