import { CAT_GUEST, CAT_IDLE, CAT_IRQ, CAT_SWITCH, CAT_VHOST } from '../src/host/categories.ts';
import { rxFrames, rxPacketNs } from '../src/host/rxFrames.ts';
import type { Packet } from '../src/model/packet.ts';
import { pickNextIndex, updateMinVruntime, wakeupPreempts } from '../src/sched/cfs.ts';
import { findPull, recordIdle } from '../src/sched/idleBalance.ts';
import { enqueue, setCurr, takeQueued } from '../src/sched/runQueue.ts';
import { defineMachine, type Guard, plain, type Recipe } from './define.ts';
import type { Port } from './port.ts';

/** A physical core: runs at most one thread at a time from its run queue, takes interrupts, accounts its time. */
export interface PcpuContext {
  cpu: number;
  node: number;
  /** What the core's time is charged to since `sinceNs`. */
  activity: 'idle' | 'switch' | 'run' | 'irq';
  sinceNs: number;
  /** Activity interrupted by an IRQ taken while busy, resumed when it ends. */
  resume: 'switch' | 'run' | null;
  /** Generation of the pending switch/segment timer: stale timer events are ignored. */
  gen: number;
  timerEndNs: number;
  irqGen: number;
  irqEndNs: number;
  /** Generation of the running task's time slice (0 = none armed). */
  sliceGen: number;
  /** Packets whose receive interrupt is pending or being handled, and the wire frames they came in. */
  irqPkts: Packet[];
  irqFrames: number;
  /** Hard interrupts stashed while leaving idle, not yet charged (frames that joined a poll bring none). */
  irqEntries: number;
  /** Task being switched to or running, its accounting category and VM. */
  tid: number;
  runCat: number;
  runVm: number;
  switches: number;
  irqs: number;
}

export type PcpuEvent =
  | { type: 'rq.wake' }
  | { type: 'wake.done'; gen: number }
  | { type: 'switch.done'; gen: number }
  | { type: 'seg.done'; gen: number }
  | { type: 'irq.raise'; pkt: Packet; irq: boolean }
  | { type: 'irq.done'; gen: number }
  | { type: 'slice.end'; gen: number }
  | { type: 'acct.flush' };

type A = Recipe<PcpuContext, PcpuEvent>;
type G = Guard<PcpuContext, PcpuEvent>;

export function pcpuContext(cpu: number, node: number): PcpuContext {
  return {
    cpu,
    node,
    activity: 'idle',
    sinceNs: 0,
    resume: null,
    gen: 0,
    timerEndNs: 0,
    irqGen: 0,
    irqEndNs: 0,
    sliceGen: 0,
    irqPkts: [],
    irqFrames: 0,
    irqEntries: 0,
    tid: -1,
    runCat: CAT_IDLE,
    runVm: -1,
    switches: 0,
    irqs: 0,
  };
}

/** Charge the time since `sinceNs` to the current activity (and the running task's vruntime). */
function settle(ctx: PcpuContext, port: Port): void {
  const now = port.nowNs;
  const ns = now - ctx.sinceNs;
  if (ns <= 0) return;
  const rec = port.host.recorder;
  switch (ctx.activity) {
    case 'run': {
      const task = port.host.tasks[ctx.tid];
      task.vruntime += ns;
      task.runNs += ns;
      task.lastRanNs = now;
      rec.account(ctx.cpu, ctx.runCat, ctx.runVm, ns);
      break;
    }
    case 'switch':
      rec.account(ctx.cpu, CAT_SWITCH, -1, ns);
      break;
    case 'irq':
      rec.account(ctx.cpu, CAT_IRQ, -1, ns);
      break;
    case 'idle':
      rec.account(ctx.cpu, CAT_IDLE, -1, ns);
      break;
  }
  ctx.sinceNs = now;
}

function setTimer(
  ctx: PcpuContext,
  port: Port,
  type: 'switch.done' | 'seg.done' | 'wake.done',
  atNs: number,
): void {
  ctx.gen++;
  ctx.timerEndNs = atNs;
  port.send(port.self, { type, gen: ctx.gen }, atNs - port.nowNs);
}

/**
 * Arm the tick check for the running task when others wait: CFS preempts it once it has run its slice,
 * sched_latency shared by the runnable tasks but at least sched_min_granularity.
 */
function armSlice(ctx: PcpuContext, port: Port): void {
  const h = port.host;
  const waiting = h.rqs[ctx.cpu].queue.length;
  if (waiting === 0 || ctx.sliceGen > 0) return;
  ctx.sliceGen = ctx.gen;
  const sliceNs = Math.max(h.tun.minGranularityNs, Math.round(h.tun.latencyNs / (waiting + 1)));
  port.send(port.self, { type: 'slice.end', gen: ctx.sliceGen }, sliceNs);
}

function startSeg(ctx: PcpuContext, port: Port): void {
  const task = port.host.tasks[ctx.tid];
  ctx.activity = 'run';
  ctx.runVm = task.segVm;
  ctx.runCat = task.kind === 'vcpu' ? CAT_GUEST : CAT_VHOST;
  setTimer(ctx, port, 'seg.done', port.nowNs + task.segRemainingNs);
}

/** After the owner was told something, it either asked for CPU or to sleep. */
function afterOwner(ctx: PcpuContext, port: Port): void {
  const task = port.host.tasks[ctx.tid];
  if (task.hasSeg) startSeg(ctx, port);
  else if (!task.wantsBlock) throw new Error(`task ${task.name} neither asked for CPU nor blocked`);
}

/** Core time a received packet costs: its softirq share (per frame, src/host/rxFrames.ts), plus the hard interrupt if it brought one. */
function pktIrqNs(port: Port, pkt: Packet, irq: boolean): number {
  const h = port.host;
  return rxPacketNs(pkt, h.scenario.profile.nic, h.costs, h.workload.udp) + (irq ? h.costs.nicIrqNs : 0);
}

/**
 * A frame takes a receive descriptor of its CPU's queue until the softirq batch that cleans it ends
 * (ixgbe's RX ring, `nic.rxRingFrames`); with none left the NIC drops it (rx_missed_errors). Returns the
 * packet's frames, or 0 when it was dropped.
 */
function admitFrames(ctx: PcpuContext, port: Port, pkt: Packet): number {
  const h = port.host;
  const frames = rxFrames(pkt, h.scenario.profile.nic);
  if (ctx.irqFrames + frames > h.scenario.profile.nic.rxRingFrames) {
    h.drop(pkt, 'nicRxFull');
    return 0;
  }
  ctx.irqFrames += frames;
  return frames;
}

/**
 * ixgbe_poll() cleans at most the NAPI budget (64, the queue's weight) of frames per call; when it used the
 * whole budget it returns it and net_rx_action() (New-B/Linux3.6:net/core/dev.c) polls the queue again
 * (New-B/Linux3.6:drivers/net/ethernet/intel/ixgbe/ixgbe_main.c). The `k`-th frame of a softirq batch
 * (1-based) starts such a further round when k - 1 is a positive multiple of the budget.
 */
export function napiRepolls(fromFrame: number, toFrame: number, budget: number): number {
  if (budget <= 0 || toFrame <= 1) return 0;
  return pollRounds(toFrame, budget) - pollRounds(fromFrame, budget);
}

/** Poll rounds beyond the first that `k` frames take at `budget` frames a round. */
function pollRounds(k: number, budget: number): number {
  return k <= 1 ? 0 : Math.floor((k - 1) / budget);
}

/** Extra poll rounds' cost as the batch grows from `before` to `after` frames (counted in the recorder). */
function repollNs(port: Port, before: number, after: number): number {
  const n = napiRepolls(before, after, port.host.scenario.profile.nic.napiBudget);
  port.host.recorder.napiRepolls += n;
  return n * port.host.costs.napiPollNs;
}

/** What the softirq owes for shared lines it took when it last queued works here (paid now, then cleared). */
function irqDebt(ctx: PcpuContext, port: Port): number {
  const d = port.host.irqDebtNs;
  const ns = d[ctx.cpu];
  d[ctx.cpu] = 0;
  return ns;
}

const canPull = (ctx: PcpuContext, port: Port): boolean => {
  const h = port.host;
  return findPull(h.rqs[ctx.cpu], h.rqs, h.tasks, h.tun.migrationCostNs) !== null;
};

const hasWork = (ctx: PcpuContext, port: Port): boolean =>
  port.host.rqs[ctx.cpu].queue.length > 0 || canPull(ctx, port);

const actions: Record<string, A> = {
  leaveIdle(ctx, _ev, port) {
    const rq = port.host.rqs[ctx.cpu];
    const idleNs = port.nowNs - rq.idleSinceNs;
    recordIdle(rq, idleNs, port.host.tun.migrationCostNs);
    // A core that has really been idle must first leave its idle state; one idle for no time is awake.
    setTimer(ctx, port, 'wake.done', port.nowNs + (idleNs > 0 ? port.host.costs.idleExitNs : 0));
  },
  stashIrq(ctx, ev, port) {
    if (ev.type !== 'irq.raise') return;
    if (admitFrames(ctx, port, ev.pkt) === 0) return;
    ctx.irqPkts.push(ev.pkt);
    if (ev.irq) ctx.irqEntries++;
  },
  startIrq(ctx, _ev, port) {
    settle(ctx, port);
    const c = port.host.costs;
    ctx.activity = 'irq';
    ctx.irqGen++;
    let softirqNs = 0;
    for (const p of ctx.irqPkts) softirqNs += pktIrqNs(port, p, false);
    ctx.irqEndNs =
      port.nowNs +
      softirqNs +
      ctx.irqEntries * c.nicIrqNs +
      repollNs(port, 0, ctx.irqFrames) +
      irqDebt(ctx, port);
    ctx.irqEntries = 0;
    ctx.irqs += ctx.irqPkts.length;
    port.send(port.self, { type: 'irq.done', gen: ctx.irqGen }, ctx.irqEndNs - port.nowNs);
  },
  extendIrq(ctx, ev, port) {
    if (ev.type !== 'irq.raise') return;
    const frames = admitFrames(ctx, port, ev.pkt);
    if (frames === 0) return;
    ctx.irqPkts.push(ev.pkt);
    ctx.irqs++;
    ctx.irqGen++;
    ctx.irqEndNs +=
      pktIrqNs(port, ev.pkt, ev.irq) +
      repollNs(port, ctx.irqFrames - frames, ctx.irqFrames) +
      irqDebt(ctx, port);
    port.send(port.self, { type: 'irq.done', gen: ctx.irqGen }, ctx.irqEndNs - port.nowNs);
  },
  /** An interrupt on a busy core steals time from the switch or segment in progress. */
  stealIrq(ctx, ev, port) {
    if (ev.type !== 'irq.raise') return;
    const frames = admitFrames(ctx, port, ev.pkt);
    if (frames === 0) return;
    const frame = pktIrqNs(port, ev.pkt, ev.irq) + irqDebt(ctx, port);
    settle(ctx, port);
    if (ctx.activity !== 'irq') {
      ctx.resume = ctx.activity === 'switch' ? 'switch' : 'run';
      ctx.activity = 'irq';
      ctx.irqEndNs = port.nowNs;
    }
    ctx.irqPkts.push(ev.pkt);
    const cost = frame + repollNs(port, ctx.irqFrames - frames, ctx.irqFrames);
    ctx.irqs++;
    ctx.irqGen++;
    ctx.irqEndNs += cost;
    port.send(port.self, { type: 'irq.done', gen: ctx.irqGen }, ctx.irqEndNs - port.nowNs);
    setTimer(ctx, port, ctx.resume === 'switch' ? 'switch.done' : 'seg.done', ctx.timerEndNs + cost);
  },
  /** End of the softirq: each received frame goes up the stack into its tap socket, waking vhost. */
  finishIrq(ctx, _ev, port) {
    settle(ctx, port);
    if (ctx.resume !== null) {
      ctx.activity = ctx.resume;
      ctx.resume = null;
    }
    const h = port.host;
    for (const p of ctx.irqPkts) {
      const pkt = plain(p);
      port.call(h.rxVq[pkt.dst][pkt.dev], { type: 'sock.enqueue', pkt });
      h.queueWork(h.rxWork[pkt.dst][pkt.dev], ctx.cpu);
    }
    ctx.irqPkts = [];
    ctx.irqFrames = 0;
  },
  /** Pick the next task (pulling one from a busier CPU if ours has none) and start switching to it. */
  beginSwitch(ctx, _ev, port) {
    settle(ctx, port);
    const h = port.host;
    const rq = h.rqs[ctx.cpu];
    if (rq.queue.length === 0) {
      const pull = findPull(rq, h.rqs, h.tasks, h.tun.migrationCostNs);
      if (pull === null) throw new Error(`cpu${ctx.cpu}: switch with nothing to run`);
      h.moveTask(pull.from, pull.index, ctx.cpu);
      h.recorder.sched.newIdlePulls++;
    }
    const tid = takeQueued(rq, pickNextIndex(rq, h.tasks));
    setCurr(rq, tid);
    rq.switches++;
    h.tasks[tid].state = 'running';
    ctx.tid = tid;
    ctx.switches++;
    ctx.activity = 'switch';
    setTimer(ctx, port, 'switch.done', port.nowNs + h.costs.ctxSwitchNs + h.switchInNs(ctx.cpu, tid));
  },
  /** The switch is done: resume the task's segment, or ask its owner what to run. */
  grant(ctx, _ev, port) {
    settle(ctx, port);
    const h = port.host;
    h.rqs[ctx.cpu].lastTid = ctx.tid;
    ctx.sliceGen = 0;
    const task = h.tasks[ctx.tid];
    if (task.hasSeg) {
      startSeg(ctx, port);
      armSlice(ctx, port);
      return;
    }
    ctx.activity = 'run';
    port.call(task.owner, { type: 'cpu.granted', cpu: ctx.cpu });
    afterOwner(ctx, port);
    if (task.hasSeg) armSlice(ctx, port);
  },
  armSlice(ctx, _ev, port) {
    armSlice(ctx, port);
  },
  endSeg(ctx, _ev, port) {
    settle(ctx, port);
    const task = port.host.tasks[ctx.tid];
    task.hasSeg = false;
    task.segRemainingNs = 0;
    port.call(task.owner, { type: 'cpu.done', cpu: ctx.cpu });
    afterOwner(ctx, port);
  },
  /** Voluntary switch: the running task sleeps. */
  blockCurr(ctx, _ev, port) {
    settle(ctx, port);
    const h = port.host;
    const rq = h.rqs[ctx.cpu];
    const task = h.tasks[ctx.tid];
    task.wantsBlock = false;
    task.state = 'blocked';
    task.nvcsw++;
    h.loadChanging(ctx.cpu);
    setCurr(rq, -1);
    updateMinVruntime(rq, h.tasks);
  },
  /** Involuntary switch: a woken task with enough vruntime lead takes the core. */
  preempt(ctx, _ev, port) {
    settle(ctx, port);
    const h = port.host;
    const rq = h.rqs[ctx.cpu];
    const task = h.tasks[ctx.tid];
    task.segRemainingNs = ctx.timerEndNs - port.nowNs;
    task.state = 'runnable';
    task.nivcsw++;
    task.preempted = true;
    enqueue(rq, ctx.tid);
    setCurr(rq, -1);
    updateMinVruntime(rq, h.tasks);
  },
  enterIdle(ctx, _ev, port) {
    settle(ctx, port);
    const rq = port.host.rqs[ctx.cpu];
    setCurr(rq, -1);
    rq.idleSinceNs = port.nowNs;
    ctx.activity = 'idle';
    ctx.tid = -1;
    port.host.cpuIdle(ctx.cpu);
  },
  settle(ctx, _ev, port) {
    settle(ctx, port);
  },
};

const guards: Record<string, G> = {
  hasQueued: (ctx, _ev, port) => port.host.rqs[ctx.cpu].queue.length > 0,
  hasWork: (ctx, _ev, port) => hasWork(ctx, port),
  hasIrq: (ctx) => ctx.irqPkts.length > 0,
  timerCurrent: (ctx, ev) => 'gen' in ev && ev.gen === ctx.gen,
  irqCurrent: (ctx, ev) => ev.type === 'irq.done' && ev.gen === ctx.irqGen,
  irqCurrentWithWork: (ctx, ev, port) =>
    ev.type === 'irq.done' && ev.gen === ctx.irqGen && hasWork(ctx, port),
  shouldPreempt: (ctx, _ev, port) => {
    if (ctx.activity !== 'run') return false;
    const h = port.host;
    // The running task's vruntime as of now, without settling: guards do not write.
    const currVruntime = h.tasks[ctx.tid].vruntime + (port.nowNs - ctx.sinceNs);
    return wakeupPreempts(h.rqs[ctx.cpu], h.tasks, h.tun, currVruntime);
  },
  blockingWithWork: (ctx, _ev, port) => port.host.tasks[ctx.tid].wantsBlock && hasWork(ctx, port),
  blocking: (ctx, _ev, port) => port.host.tasks[ctx.tid].wantsBlock,
  /** check_preempt_tick(): the running task used its slice and another task waits. */
  sliceExpired: (ctx, ev, port) =>
    ev.type === 'slice.end' &&
    ev.gen === ctx.sliceGen &&
    ctx.activity === 'run' &&
    port.host.rqs[ctx.cpu].queue.length > 0,
};

const flush = { 'acct.flush': { actions: ['settle'] } };

export const pcpuMachine = defineMachine<PcpuContext, PcpuEvent>({
  id: 'pcpu',
  description: 'A physical core running one thread at a time from its CFS run queue',
  initial: 'idle',
  states: {
    idle: {
      description: 'Nothing runnable: the core sits in an idle state until a wake-up or an interrupt',
      tags: ['idle'],
      on: {
        'rq.wake': { guard: 'hasQueued', target: 'waking', actions: ['leaveIdle'] },
        'irq.raise': { target: 'waking', actions: ['leaveIdle', 'stashIrq'] },
        ...flush,
      },
    },
    waking: {
      description: 'Leaving the idle state (C-state exit, wake-up IPI) before doing anything',
      tags: ['idle'],
      on: {
        'irq.raise': { actions: ['stashIrq'] },
        'wake.done': [
          { guard: 'hasIrq', target: 'irq', actions: ['startIrq'] },
          { guard: 'hasWork', target: 'switching', actions: ['beginSwitch'] },
          { target: 'idle', actions: ['enterIdle'] },
        ],
        ...flush,
      },
    },
    irq: {
      description: 'Handling the NIC receive interrupt and softirq on an otherwise idle core',
      tags: ['busy'],
      on: {
        'irq.raise': { actions: ['extendIrq'] },
        'irq.done': [
          { guard: 'irqCurrentWithWork', target: 'switching', actions: ['finishIrq', 'beginSwitch'] },
          { guard: 'irqCurrent', target: 'idle', actions: ['finishIrq', 'enterIdle'] },
        ],
        ...flush,
      },
    },
    switching: {
      description: 'Context switch in progress: schedule(), mm switch, cache refill for a cold thread',
      tags: ['busy'],
      on: {
        'switch.done': { guard: 'timerCurrent', target: 'running', actions: ['grant'] },
        'irq.raise': { actions: ['stealIrq'] },
        'irq.done': { guard: 'irqCurrent', actions: ['finishIrq'] },
        ...flush,
      },
    },
    running: {
      description: 'A thread runs a CPU segment requested by its owner (guest code or a vhost handler)',
      tags: ['busy'],
      on: {
        'seg.done': { guard: 'timerCurrent', actions: ['endSeg'] },
        'rq.wake': [
          { guard: 'shouldPreempt', target: 'switching', actions: ['preempt', 'beginSwitch'] },
          { actions: ['armSlice'] },
        ],
        'slice.end': { guard: 'sliceExpired', target: 'switching', actions: ['preempt', 'beginSwitch'] },
        'irq.raise': { actions: ['stealIrq'] },
        'irq.done': { guard: 'irqCurrent', actions: ['finishIrq'] },
        ...flush,
      },
      always: [
        { guard: 'blockingWithWork', target: 'switching', actions: ['blockCurr', 'beginSwitch'] },
        { guard: 'blocking', target: 'idle', actions: ['blockCurr', 'enterIdle'] },
      ],
    },
  },
  actions,
  guards,
});
