// An example threading model written against the public library API only (docs/guide/write-a-policy.md).
// K shared vhost workers per NUMA node, pinned to the node's first K cores; each VM's works go
// round-robin over the workers of the VM's home (memory) node. It is not a published design: it shows
// every required member of the Policy interface and one optional hook (bindWorks).
import type { Policy, PolicyInput, VhostWork, WorkerSpec } from '../../src/index.ts';

export class RoundRobinPerNodePolicy implements Policy {
  /** Any name not among the built-in models; reports and traces of your own can use it. */
  readonly name = 'rr-per-node';
  /** Dispatch decisions made so far (the runtime reports it as vhost.dispatchPicksPerSec). */
  picks = 0;
  /** workersOf[node]: the indices, into createWorkers' result, of that node's workers. */
  private workersOf: number[][] = [];
  /** next[vm]: how many of that VM's works have been dispatched, i.e. its round-robin cursor. */
  private next: number[] = [];
  /** homeNode[vm]: the node holding the VM's memory, as the host placed it (given in bindWorks). */
  private homeNode: readonly number[] = [];

  /** @param perNode K, workers per node (capped at the node's core count). */
  constructor(private readonly perNode = 2) {
    if (!Number.isInteger(perNode) || perNode < 1) throw new RangeError('perNode must be an integer >= 1');
  }

  /** Called once, before any VM exists: declare the threads. The array index is the worker's id. */
  createWorkers({ topo, scenario }: PolicyInput): WorkerSpec[] {
    const workers: WorkerSpec[] = [];
    this.workersOf = topo.cpusOf.map((cpus) =>
      // The node's first K cores, one worker pinned to each.
      cpus.slice(0, this.perNode).map((cpu) => {
        workers.push({
          name: `rr-node${topo.nodeOf[cpu]}-cpu${cpu}`,
          allowed: [cpu], // pinned: the scheduler never runs it elsewhere
          vm: -1, // shared by every VM: its time is charged to each work's VM (the worker machine does it)
          mode: 'sleep', // vhost_worker(): run queued works, sleep on an empty list, woken by a queueing
          datapath: 'kernel', // vhost-net with tap and bridge (costs vhostTxPktNs / vhostRxPktNs)
          busyPollNs: 0, // no busyloop_timeout: an empty ring ends the handler at once
        });
        return workers.length - 1;
      }),
    );
    this.next = new Array<number>(scenario.vms).fill(0);
    return workers;
  }

  /** Called once the works exist; vmNode is the host's own VM -> memory node map, so we never guess it. */
  bindWorks(_works: readonly VhostWork[], vmNode: readonly number[]): void {
    this.homeNode = vmNode;
  }

  /** Called for every queueing that is not coalesced (kick, NIC interrupt, weight requeue). */
  selectWorker(work: VhostWork): number {
    this.picks++;
    const candidates = this.workersOf[this.homeNode[work.vm]];
    // The VM's next worker in turn, whichever CPU queued the work (fromCpu is not needed).
    return candidates[this.next[work.vm]++ % candidates.length];
  }

  /** Round-robin keeps no load figure, so a finished work changes nothing. */
  workFinished(): void {}
}

/** The module's default export, for `--policy docs/examples/roundRobinPerNode.ts` (K = 2). */
export default RoundRobinPerNodePolicy;
