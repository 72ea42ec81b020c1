import type { VhostWork } from '../vhost/vhostWork.ts';
import type { Policy, PolicyInput, WorkerSpec } from './policy.ts';

/**
 * Upstream vhost in 2012: one kthread per virtio-net device (`vhost-<qemu pid>`), serving the device's TX
 * and RX works serially on one list. Unpinned, NUMA-unaware, in its VM's cgroup.
 */
export class PerDevicePolicy implements Policy {
  readonly name = 'per-device' as const;
  picks = 0;
  private devicesPerVm = 1;

  createWorkers({ vms, devicesPerVm }: PolicyInput): WorkerSpec[] {
    this.devicesPerVm = devicesPerVm;
    const workers: WorkerSpec[] = [];
    for (let vm = 0; vm < vms; vm++) {
      for (let dev = 0; dev < devicesPerVm; dev++)
        workers.push({ name: `vhost-vm${vm}.${dev}`, allowed: null, vm });
    }
    return workers;
  }

  selectWorker(work: VhostWork): number {
    this.picks++;
    return work.vm * this.devicesPerVm + work.dev;
  }

  workFinished(): void {}
}
