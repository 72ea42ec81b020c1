import { buildTopology, type Topology } from '../../src/model/topology.ts';
import { newRunQueue, type RunQueue } from '../../src/sched/runQueue.ts';
import { newTask, type Task } from '../../src/sched/task.ts';

export const MIGRATION_COST_NS = 500_000;

/** A host of `sockets` x `cores` with fresh run queues (every core idle). */
export function host(sockets = 2, cores = 4): { topo: Topology; rqs: RunQueue[]; tasks: Task[] } {
  const topo = buildTopology({ sockets, coresPerSocket: cores, ghz: 2 });
  const rqs = topo.nodeOf.map((node, cpu) => newRunQueue(cpu, node, MIGRATION_COST_NS));
  return { topo, rqs, tasks: [] };
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
  rqs[cpu].curr = curr.tid;
  for (let i = 0; i < waiting; i++) {
    const t = addTask(tasks, cpu);
    t.state = 'runnable';
    rqs[cpu].queue.push(t.tid);
  }
}
