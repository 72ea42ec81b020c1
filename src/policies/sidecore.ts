import type { VhostWork } from '../vhost/vhostWork.ts';
import type { Policy, PolicyInput, WorkerSpec } from './policy.ts';

/**
 * Sidecore polling (ELVIS, ATC 2013, and its successors): a few dedicated I/O cores — the last
 * `sidecoresPerNode` of each node, kept free of vCPUs — each run a polling thread that serves the
 * virtqueues of many VMs of its node, round-robin, a handler run at a time. Guests never kick: the
 * pollers keep notifications off and see new buffers on their next pass. Interrupts reach the guest
 * without exits (ELI-style), so the guest pays `exitlessIrqEntryNs` instead of an injection and an EOI trap.
 */
export class SidecorePolicy implements Policy {
  readonly name = 'sidecore' as const;
  readonly exitlessInterrupts = true;
  picks = 0;
  private cores: number[][] = [];
  private workerOfCore = new Map<number, number>();
  private vmNode: readonly number[] = [];

  reservedCpus(): number[] {
    return this.cores.flat();
  }

  createWorkers({ topo, scenario }: PolicyInput): WorkerSpec[] {
    // The last cores of each node, leaving at least one core per node for vCPUs.
    const perNode = scenario.policy.sidecoresPerNode;
    this.cores = topo.cpusOf.map((cpus) => cpus.slice(Math.max(1, cpus.length - perNode)));
    const workers: WorkerSpec[] = [];
    for (const cpu of this.cores.flat()) {
      this.workerOfCore.set(cpu, workers.length);
      workers.push({
        name: `sidecore${cpu}`,
        allowed: [cpu],
        vm: -1,
        mode: 'poll',
        datapath: 'kernel',
        busyPollNs: 0,
      });
    }
    return workers;
  }

  /** The VMs' memory nodes, from the host: a VM is served by the sidecores of its own node. */
  bindWorks(_works: readonly VhostWork[], vmNode: readonly number[]): void {
    this.vmNode = vmNode;
  }

  /** A VM's queues go to the sidecores of its own node, spread over them by VM. */
  selectWorker(work: VhostWork): number {
    this.picks++;
    const cores = this.cores[this.vmNode[work.vm]];
    return this.workerOfCore.get(cores[Math.floor(work.vm / this.cores.length) % cores.length]) as number;
  }

  workFinished(): void {}
}
