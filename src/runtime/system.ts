import { current, isDraft } from 'immer';
import type { Subject } from 'rxjs';
import { nicContext, nicMachine } from '../../machines/nic.machine.ts';
import { pcpuContext, pcpuMachine } from '../../machines/pcpu.machine.ts';
import { vcpuContext, vcpuMachine } from '../../machines/vcpu.machine.ts';
import { vhostWorkerContext, vhostWorkerMachine } from '../../machines/vhostWorker.machine.ts';
import { virtqueueContext, virtqueueMachine } from '../../machines/virtqueue.machine.ts';
import { newLine } from '../host/cacheLine.ts';
import { Host } from '../host/host.ts';
import { SimKernel } from '../kernel/simKernel.ts';
import type { ActorId, SimMsg } from '../model/actor.ts';
import type { Scenario } from '../model/scenario.ts';
import { buildTopology, type Topology } from '../model/topology.ts';
import { createPolicy } from '../policies/index.ts';
import type { Policy } from '../policies/policy.ts';
import { nrRunning } from '../sched/cpuLoad.ts';
import { newTask } from '../sched/task.ts';
import { createWorkload } from '../workloads/index.ts';
import { pairPeers } from '../workloads/pairing.ts';
import type { FlowState } from '../workloads/workload.ts';
import type { Executor, ExecutorKind } from './executor.ts';
import { FastExecutor } from './fastExecutor.ts';
import { type Delivery, LinkSubject, LinkSubscriber } from './link.ts';
import { SimPort } from './simPort.ts';
import type { TraceEvent } from './trace.ts';
import { XStateExecutor } from './xstateExecutor.ts';

export interface SystemOptions {
  executor?: ExecutorKind;
  /** Receives every delivery; off (undefined) costs nothing. */
  onTrace?: (ev: TraceEvent) => void;
  /** Passed to XState actors (live executor only). */
  inspect?: (ev: unknown) => void;
  /** A threading model of your own, used instead of the one `scenario.model` names (docs/guide/write-a-policy.md). */
  policy?: Policy;
}

/**
 * A copy of exactly its length. An array filled by `push` from empty keeps 17 slots (≈ 150 bytes) however
 * few it holds; a host keeps several short ones per VM for the whole run.
 */
const compact = <T>(list: T[]): T[] => list.slice();

/** Shallow: actions hand over fresh event objects whose fields may be drafts of their context. */
function undraftEvent(ev: SimMsg): SimMsg {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(ev)) {
    if (isDraft(v)) {
      out ??= { ...ev };
      out[k] = current(v);
    }
  }
  return (out ?? ev) as SimMsg;
}

/**
 * The actor system for one scenario: kernel, host state, one actor per core, vCPU, virtqueue, vhost
 * worker and the NIC, wired by one RxJS Subject per kind of actor's inbound link. Messages travel as data
 * on the links; the kernel delivers them at their virtual time.
 */
export class SimSystem {
  readonly kernel = new SimKernel();
  readonly topo: Topology;
  readonly host: Host;
  readonly executor: Executor;
  readonly port: SimPort;
  /** Actor keys by id, for traces and the inspector. */
  readonly keys: string[] = [];
  readonly links: Subject<Delivery>[] = [];
  /** Messages carrying a packet that are on a link now (sent, not yet delivered), for the census. */
  linkPackets = 0;
  private readonly onTrace?: (ev: TraceEvent) => void;

  constructor(
    readonly scenario: Scenario,
    options: SystemOptions = {},
  ) {
    const kind = options.executor ?? 'fast';
    this.onTrace = options.onTrace;
    this.topo = buildTopology(scenario.profile.cpu);
    // With a trace, each delivery also carries its sender (the port's `self` when it was sent).
    const link =
      this.onTrace === undefined
        ? (to: ActorId, ev: SimMsg, delayNs: number) => this.links[to].next({ to, ev, delayNs })
        : (to: ActorId, ev: SimMsg, delayNs: number) =>
            this.links[to].next({ to, ev, delayNs, from: this.port.self });
    this.port = new SimPort(this.kernel, link, kind === 'xstate' ? undraftEvent : null);
    this.executor =
      kind === 'xstate'
        ? new XStateExecutor(this.port, this.kernel, options.inspect)
        : new FastExecutor(this.port);
    this.port.executor = this.executor;
    const policy = options.policy ?? createPolicy(scenario.model, scenario);
    this.host = new Host(
      scenario,
      this.topo,
      policy,
      createWorkload(scenario.workload),
      link,
      () => this.kernel.nowNs,
    );
    this.port.host = this.host;
    this.build();
    // Of its final length, so that setting an actor's entry never turns it into a dictionary.
    this.ownFire = new Array(this.keys.length);
  }

  private spawn(key: string, def: Parameters<Executor['spawn']>[0], context: object): ActorId {
    const id = this.executor.spawn(def, context);
    this.keys[id] = key;
    let subject = this.linkOfKind.get(def);
    if (subject === undefined) {
      subject = new LinkSubject();
      subject.subscribe(new LinkSubscriber(this.accept));
      this.linkOfKind.set(def, subject);
    }
    this.links[id] = subject;
    return id;
  }

  /**
   * The inbound link of every actor of one kind (one machine), shared: a delivery names its receiver
   * (`to`), and the subscriber does the same for each, so one Subject per kind fires in the order one per
   * actor would. An RxJS Subject and its subscription hold ≈ 0.7 KiB; per actor that was ≈ 2.8 KiB per
   * VM under per-device (docs/design.md (e)).
   */
  private readonly linkOfKind = new Map<object, LinkSubject>();

  /**
   * What every link's subscriber does with a delivery: put it on the kernel (no cancel handle needed).
   * An actor's message to itself (a timer) is queued as the actor's own fire function and the message,
   * without the delivery: a large host holds thousands of CFS slice timers at once, most of them stale
   * (≈ 26 per VM on `2x64` at 1,024 VMs), and a delivery with its boxed delay is 64 bytes of each. Same
   * time, same `seq`: the firing order does not depend on which of the two is queued. "Itself" is the
   * receiver being `port.self` (outside a delivery, the actor delivered last: queued either way, the same
   * order). With a trace every delivery is queued, for its sender.
   */
  private readonly accept = (d: Delivery): void => {
    const ev = d.ev;
    if (ev.pkt !== undefined) this.linkPackets++;
    const to = d.to;
    if (to === this.port.self && this.onTrace === undefined) {
      this.kernel.post(d.delayNs, this.ownFire[to] ?? this.ownFireOf(to), ev);
    } else this.kernel.post(d.delayNs, this.fire, d);
  };

  /** Per actor that has sent itself a message: deliver a queued message to it (see `accept`). */
  private ownFire: (((ev: SimMsg) => void) | undefined)[] = [];

  private ownFireOf(to: ActorId): (ev: SimMsg) => void {
    const fire = (ev: SimMsg): void => {
      if (ev.pkt !== undefined) this.linkPackets--;
      this.executor.deliver(to, ev);
    };
    this.ownFire[to] = fire;
    return fire;
  }

  private readonly fire = (d: Delivery): void => {
    if (d.ev.pkt !== undefined) this.linkPackets--;
    this.executor.deliver(d.to, d.ev);
    if (this.onTrace !== undefined) {
      // Whatever runs next outside a delivery (a kernel timer) sends as the kernel.
      this.port.self = -1;
      this.onTrace({
        kind: 'deliver',
        atNs: this.kernel.nowNs,
        actor: this.keys[d.to],
        event: d.ev.type,
        state: this.executor.stateOf(d.to),
        from: d.from !== undefined && d.from >= 0 ? this.keys[d.from] : 'kernel',
        msg: d.ev,
      });
    }
  };

  private build(): void {
    const { scenario: s, topo, host } = this;
    const placed = new Array<number>(topo.cpus).fill(0);
    // Initial placement: the allowed CPU with the fewest threads so far (fork balancing), lowest id on ties.
    const place = (allowed: number[] | null): number => {
      let best = -1;
      for (let cpu = 0; cpu < topo.cpus; cpu++) {
        if (allowed !== null && !allowed.includes(cpu)) continue;
        if (best < 0 || placed[cpu] < placed[best]) best = cpu;
      }
      placed[best]++;
      return best;
    };

    for (let cpu = 0; cpu < topo.cpus; cpu++) {
      host.cpuActor.push(this.spawn(`cpu${cpu}`, pcpuMachine, pcpuContext(cpu, topo.nodeOf[cpu])));
    }
    host.nicActor = this.spawn('nic', nicMachine, nicContext());

    // A queue slot is one queue pair of one device: its own TX/RX virtqueues, works and vhost-net fd.
    const slots = s.devicesPerVm * s.queuePairs;
    const workers = host.policy.createWorkers({
      topo,
      scenario: s,
      slots,
      nrRunning: (cpu) => nrRunning(host.rqs[cpu]),
    });
    host.dispatchLines = Array.from({ length: topo.nodes }, newLine);
    host.irqDebtNs = new Array<number>(topo.cpus).fill(0);
    // Cores a design takes for its own threads (sidecores, PMDs) are kept free of vCPUs.
    const reserved = new Set(host.policy.reservedCpus?.(topo) ?? []);
    const spawnWorker = (w: number) => {
      const spec = workers[w];
      const tid = host.tasks.length;
      const init = {
        worker: w,
        tid,
        vm: spec.vm,
        mode: spec.mode,
        datapath: spec.datapath,
        busyPollNs: spec.busyPollNs,
      };
      const id = this.spawn(spec.name, vhostWorkerMachine, vhostWorkerContext(init));
      host.tasks.push(newTask(tid, spec.name, 'vhost', id, spec.vm, spec.allowed, place(spec.allowed)));
      host.workerActor[w] = id;
      host.workerTid[w] = tid;
      host.workLines[w] = newLine();
    };
    // Shared workers exist before any VM (created per CPU at boot).
    workers.forEach((spec, w) => {
      if (spec.vm < 0) spawnWorker(w);
    });

    // The vCPUs' affinity depends only on the VM's node: one list per node, shared by its VMs' tasks
    // (read-only), so a 1,024-VM host does not hold 1,024 copies of a 64-CPU list and its mask.
    const allowedOfNode = new Map<number, number[] | null>();
    const vcpuAllowed = (node: number): number[] | null => {
      let allowed = allowedOfNode.get(node);
      if (allowed === undefined) {
        const wanted = s.pinning.vcpu === 'node' ? topo.cpusOf[node] : topo.cpusOf.flat();
        const free = wanted.filter((cpu) => !reserved.has(cpu));
        allowed = reserved.size === 0 && s.pinning.vcpu === 'none' ? null : free.length > 0 ? free : wanted;
        allowedOfNode.set(node, allowed);
      }
      return allowed;
    };
    const peers = pairPeers(s.workload.pairing, host.vmNode, host.stream('pairing'));
    for (let vm = 0; vm < s.vms; vm++) {
      const node = host.vmNode[vm];
      const tx: ActorId[] = [];
      const rx: ActorId[] = [];
      const txW: number[] = [];
      const rxW: number[] = [];
      for (let dev = 0; dev < slots; dev++) {
        tx.push(
          this.spawn(`vm${vm}.dev${dev}.tx`, virtqueueMachine, virtqueueContext(vm, dev, 'tx', s.ringSize)),
        );
        rx.push(
          this.spawn(`vm${vm}.dev${dev}.rx`, virtqueueMachine, virtqueueContext(vm, dev, 'rx', s.ringSize)),
        );
        for (const [dir, vq, list] of [['tx', tx[dev], txW] as const, ['rx', rx[dev], rxW] as const]) {
          list.push(host.works.length);
          host.works.push({
            wid: host.works.length,
            vm,
            dev,
            dir,
            vq,
            queued: false,
            worker: -1,
            queuedAtNs: 0,
            backlogged: false,
          });
        }
      }
      const txVq = compact(tx);
      const rxVq = compact(rx);
      host.txVq.push(txVq);
      host.rxVq.push(rxVq);
      host.txWork.push(compact(txW));
      host.rxWork.push(compact(rxW));

      const allowed = vcpuAllowed(node);
      const vcpus: ActorId[] = [];
      for (let idx = 0; idx < s.vcpusPerVm; idx++) {
        // Instance k runs on vCPU k mod vCPUs, on device k mod devices, sending on that vCPU's queue pair (XPS).
        const flows: FlowState[] = [];
        for (let k = idx; k < s.workload.instances; k += s.vcpusPerVm) {
          const dev = (k % s.devicesPerVm) * s.queuePairs + (idx % s.queuePairs);
          const peer = s.workload.peer === 'east-west' ? peers[vm] : -1;
          flows.push({ flow: vm * s.workload.instances + k, dev, peer });
        }
        const tid = host.tasks.length;
        const cpu = place(allowed);
        const name = `vm${vm}.vcpu${idx}`;
        const id = this.spawn(
          name,
          vcpuMachine,
          vcpuContext({ vm, idx, tid, node, cpu, txVq, rxVq, flows: compact(flows) }),
        );
        host.tasks.push(newTask(tid, name, 'vcpu', id, vm, allowed, cpu));
        vcpus.push(id);
      }
      host.vcpuActor.push(compact(vcpus));
      workers.forEach((spec, w) => {
        if (spec.vm === vm) spawnWorker(w);
      });
    }
    host.workNs = new Float64Array(host.works.length);
    host.policy.bindWorks?.(host.works, host.vmNode);
    // Spawning set `self`; what is sent from here until the first delivery comes from the kernel.
    this.port.self = -1;
  }

  /** Tell each polling thread which queues it owns (at start, and after a design reassigns them). */
  private assignPolls(): void {
    const { host } = this;
    const owned = new Map<number, number[]>();
    for (const work of host.works) {
      const w = host.policy.selectWorker(work, -1, this.kernel.nowNs);
      owned.set(w, [...(owned.get(w) ?? []), work.wid]);
    }
    host.workerActor.forEach((id, w) => {
      if (this.executor.read<{ mode: string }>(id).mode !== 'poll') return;
      this.links[id].next({ to: id, ev: { type: 'poll.assign', wids: owned.get(w) ?? [] }, delayNs: 0 });
    });
  }

  /** A design that rebalances itself is given the measured load every tick. */
  private readonly tick = (): void => {
    const policy = this.host.policy;
    if (policy.tick?.(this.kernel.nowNs, this.host.workNs)) this.assignPolls();
    if (policy.tickNs !== undefined) this.kernel.schedule(policy.tickNs, this.tick, undefined);
  };

  private readonly balanceDue = (cpu: number): void => this.host.balanceDue(cpu);

  /** Start the workload: each vCPU begins at a seeded offset so VMs do not run in lockstep. */
  start(): void {
    this.host.armBalance = (cpu, atNs) =>
      this.kernel.schedule(atNs - this.kernel.nowNs, this.balanceDue, cpu);
    for (let cpu = 0; cpu < this.topo.cpus; cpu++) this.host.cpuIdle(cpu);
    if (this.host.workerActor.some((id) => this.executor.read<{ mode: string }>(id).mode === 'poll')) {
      this.assignPolls();
    }
    const tickNs = this.host.policy.tickNs;
    if (tickNs !== undefined) this.kernel.schedule(tickNs, this.tick, undefined);
    const spreadNs = 50_000;
    this.host.vcpuActor.forEach((ids, vm) => {
      const rng = this.host.stream(`start.vm${vm}`);
      for (const id of ids)
        this.links[id].next({ to: id, ev: { type: 'vcpu.start' }, delayNs: rng.int(spreadNs) });
    });
  }

  /** Bring every core's accounting up to now (at the warm-up boundary and the end). */
  flushAccounting(): void {
    for (const id of this.host.cpuActor) this.executor.deliver(id, { type: 'acct.flush' });
  }
}
