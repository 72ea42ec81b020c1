import { buildTopology, type Topology, type TopologySpec } from '../../src/model/topology.ts';
import { buildDomains, type NumaAffineDistance } from '../../src/sched/domains.ts';
import type { BalanceRules, BalanceState } from '../../src/sched/loadBalance.ts';
import {
  countIdleByLlc,
  enqueue,
  newRunQueue,
  type RunQueue,
  setCurr,
  takeQueued,
} from '../../src/sched/runQueue.ts';
import type { WakeRules } from '../../src/sched/selectCpu.ts';
import { newTask, type Task } from '../../src/sched/task.ts';

export const MIGRATION_COST_NS = 500_000;
export const TICK_NS = 1_000_000;

/** A host of `sockets` x `cores` with fresh run queues (every core idle). */
export function host(sockets = 2, cores = 4): { topo: Topology; rqs: RunQueue[]; tasks: Task[] } {
  const topo = buildTopology({ sockets, coresPerSocket: cores });
  const rqs = topo.nodeOf.map((node, cpu) => newRunQueue(cpu, node, MIGRATION_COST_NS));
  return { topo, rqs, tasks: [] };
}

/** Mutable scheduler state over a topology, with its domains, every rule on, and a settable clock. */
export interface TestState extends BalanceState {
  topo: Topology;
  rqs: RunQueue[];
  tasks: Task[];
  rules: WakeRules;
  balance: BalanceRules;
  nowNs: number;
}

export function schedState(
  spec: TopologySpec = { sockets: 2, coresPerSocket: 4 },
  opts: { affineDistance?: NumaAffineDistance } = {},
): TestState {
  const topo = buildTopology(spec);
  const rqs = topo.nodeOf.map((node, cpu) => newRunQueue(cpu, node, MIGRATION_COST_NS));
  const domains = buildDomains(topo, opts.affineDistance ?? 'reclaim');
  countIdleByLlc(rqs, domains); // as the host keeps them: select_idle_sibling() may skip on the counts
  const state: TestState = {
    topo,
    rqs,
    tasks: [],
    domains,
    power: topo.coreOf.map((core) =>
      topo.threadsOf[core].length === 1 ? 1024 : Math.trunc(1178 / topo.threadsOf[core].length),
    ),
    tickNs: TICK_NS,
    rules: { wakeAffine: true, selectIdleSibling: true },
    balance: { periodicBalance: true, cacheHot: true, decayedLoad: true, migrationCostNs: MIGRATION_COST_NS },
    nowNs: 0,
    now() {
      return state.nowNs;
    },
  };
  return state;
}

/** Add a task whose thread last ran (or sits) on `cpu`. */
export function addTask(
  tasks: Task[],
  cpu: number,
  opts: { allowed?: number[] | null; vruntime?: number } = {},
): Task {
  const t = newTask(tasks.length, `t${tasks.length}`, 'vhost', tasks.length, 0, opts.allowed ?? null, cpu);
  t.vruntime = opts.vruntime ?? 0;
  tasks.push(t);
  return t;
}

/** Make `cpu` busy: a running task, plus `waiting` runnable ones in its queue. */
export function occupy(rqs: RunQueue[], tasks: Task[], cpu: number, waiting = 0): void {
  const curr = addTask(tasks, cpu);
  curr.state = 'running';
  setCurr(rqs[cpu], curr.tid);
  for (let i = 0; i < waiting; i++) {
    const t = addTask(tasks, cpu);
    t.state = 'runnable';
    enqueue(rqs[cpu], t.tid);
  }
}

/** Give a run queue this running task (-1: none) and waiting queue, through the helpers that keep the count. */
export function fill(rq: RunQueue, curr: number, queue: readonly number[]): void {
  while (rq.queue.length > 0) takeQueued(rq, rq.queue.length - 1);
  setCurr(rq, curr);
  for (const tid of queue) enqueue(rq, tid);
}
