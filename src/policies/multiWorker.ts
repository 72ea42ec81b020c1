import type { VhostWork } from '../vhost/vhostWork.ts';
import type { Policy, PolicyInput, WorkerSpec } from './policy.ts';

/**
 * Several workers per device (Linux 6.5+: VHOST_NEW_WORKER / VHOST_ATTACH_VRING_WORKER). SET_OWNER
 * creates the default worker; more can be added and the device's virtqueues attached to them by a map:
 * one worker for all vqs (`shared`, the classic model), a worker per vq (`per-vq`), a worker per queue
 * pair (`per-pair`: for a block device, a request vq and its completion work, which vhost-scsi queues on
 * the vq's own worker, vhost_scsi_release_cmd() -> vhost_vq_work_queue(), torvalds/linux:drivers/vhost/scsi.c),
 * or a given list.
 *
 * What can be created depends on the worker kind: `vhost_task` workers are threads of the VM process,
 * so they count against its RLIMIT_NPROC (`nprocLimit`, together with the vCPUs); kthread workers
 * (fork_owner off) cannot be added at all — VHOST_NEW_WORKER fails — so the device keeps one worker.
 * Either way their CPU time lands in the VM's cgroup.
 */
export class MultiWorkerPolicy implements Policy {
  readonly name = 'multi-worker' as const;
  picks = 0;
  /** Workers each device really got, and how many VHOST_NEW_WORKER calls failed. */
  workersPerDevice = 1;
  createFailures = 0;
  private devices = 1;
  private queuePairs = 1;
  private map: number[] = [];

  createWorkers({ scenario }: PolicyInput): WorkerSpec[] {
    const p = scenario.policy;
    this.devices = scenario.devicesPerVm;
    this.queuePairs = scenario.queuePairs;
    const vqs = 2 * scenario.queuePairs;
    const wanted = p.vqMap === 'shared' ? 1 : Math.max(1, p.workersPerDevice);
    let got = wanted;
    if (p.taskMode === 'kthread') got = 1;
    else if (p.nprocLimit > 0) {
      // The default worker and the added ones all count, besides the vCPU threads.
      const room = Math.floor((p.nprocLimit - scenario.vcpusPerVm) / scenario.devicesPerVm);
      got = Math.max(1, Math.min(wanted, room));
    }
    this.workersPerDevice = got;
    this.createFailures = (wanted - got) * scenario.devicesPerVm * scenario.vms;
    // vq i of a device (TX of pair q = 2q, RX = 2q + 1) -> worker; a worker that could not be created
    // leaves its vqs on the default worker 0.
    this.map = Array.from({ length: vqs }, (_, i) => {
      const w =
        p.vqMap === 'shared'
          ? 0
          : p.vqMap === 'per-vq'
            ? i
            : p.vqMap === 'per-pair'
              ? Math.floor(i / 2)
              : (p.vqMap[i % p.vqMap.length] ?? 0);
      return w < got ? w : 0;
    });
    const workers: WorkerSpec[] = [];
    for (let vm = 0; vm < scenario.vms; vm++) {
      for (let dev = 0; dev < this.devices; dev++) {
        for (let w = 0; w < got; w++) {
          workers.push({
            name: `vhost-vm${vm}.${dev}.w${w}`,
            allowed: null,
            vm,
            mode: 'sleep',
            datapath: 'kernel',
            busyPollNs: 0,
          });
        }
      }
    }
    return workers;
  }

  selectWorker(work: VhostWork): number {
    this.picks++;
    const device = Math.floor(work.dev / this.queuePairs);
    const pair = work.dev % this.queuePairs;
    const vq = 2 * pair + (work.dir === 'rx' ? 1 : 0);
    return (work.vm * this.devices + device) * this.workersPerDevice + this.map[vq];
  }

  workFinished(): void {}
}
