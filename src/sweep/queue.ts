/**
 * Sweeps across machines on a BullMQ job queue in Redis: the queue executor behind `runPoints` (the
 * producer side, used by `sweep … --queue`) and the consumer that `vhost-sim worker` runs.
 *
 * Every run is one job whose id is a hash of what determines its result (the resolved scenario with its
 * seed, the executor, the vhost-sim version), so the same run is never enqueued twice: re-running a
 * sweep finds its finished jobs and reuses their results. Completed jobs are kept in Redis for that.
 * A worker runs each job on the same task as the local pool (worker.mjs → runPointTask on a piscina
 * thread), so a queued sweep gives the same bytes as a local one. A worker that dies mid-job stops
 * renewing the job's lock; when the lock expires another worker's stalled-job check puts the job back in
 * the queue. A run that throws is retried (`attempts`); after the last attempt it is recorded as failed
 * with its error and the sweep goes on.
 */
import { createHash } from 'node:crypto';
import type { Job, QueueEvents as QueueEventsT, RedisOptions } from 'bullmq';
import type { Scenario } from '../model/scenario.ts';
import { importOptional } from '../optional.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import type { RunResult } from '../runtime/runScenario.ts';
import { ScenarioError } from '../scenario/schema.ts';
import { VERSION } from '../version.ts';
import { distinctRuns } from './distinct.ts';
import type { QueueTarget } from './queueTarget.ts';
import { type PointError, type PointOutcome, type PointTask, toPointError } from './task.ts';

export type { QueueTarget };
export { VERSION };

/** BullMQ, an optional package: loaded only by the queue's producer and workers. */
const bullmq = () => importOptional(() => import('bullmq'), '--queue', ['bullmq']);

/** Key prefix of every vhost-sim key in Redis. */
export const QUEUE_PREFIX = 'vhost-sim';
/** One queue per version, so a worker never runs a job of another version (its results could differ). */
export const queueName = (version = VERSION) => `points-${version}`;
/** Attempts per job before it is recorded as failed. */
export const DEFAULT_ATTEMPTS = 3;
/** A worker fails a job for good after this many attempts, whatever the producer asked for. */
export const MAX_ATTEMPTS = 10;
/** Retries wait 1 s, 2 s, 4 s, ...: a run that fails at once does not spin. */
const RETRY_BACKOFF = { type: 'exponential', delay: 1000 } as const;
/** Default per-run budget on a worker (`--max-run-seconds`): a run past it is failed, not waited on. */
export const DEFAULT_MAX_RUN_MS = 3_600_000;

/** What a job carries: the task a local pool thread would get, and the version that queued it. */
export interface PointJobData extends PointTask {
  version: string;
  /** Set by the worker when the run threw, so the sweep gets the error's name as well as its message. */
  error?: PointError;
}

/** The idempotent job id of one run: `pt-` and the SHA-256 of the scenario, executor and version. */
export function pointJobId(scenario: Scenario, executor: ExecutorKind = 'fast', version = VERSION): string {
  const text = JSON.stringify({ scenario, executor, version });
  return `pt-${createHash('sha256').update(text).digest('hex')}`;
}

/** Split `scheme://userinfo@rest` at the LAST `@`: a password may hold `:`, `@`, `#` or `/` unencoded. */
function splitUrl(url: string): { scheme: string; user: string; password?: string; rest: string } | null {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(url);
  if (m === null) return null;
  const [, scheme, tail] = m as unknown as [string, string, string];
  const at = tail.lastIndexOf('@');
  if (at < 0) return { scheme, user: '', rest: tail };
  const info = tail.slice(0, at);
  const colon = info.indexOf(':');
  return colon < 0
    ? { scheme, user: info, rest: tail.slice(at + 1) }
    : { scheme, user: info.slice(0, colon), password: info.slice(colon + 1), rest: tail.slice(at + 1) };
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // not percent-encoded: taken as written
  }
};

/** The URL without its password, for logs, errors and meta.json. */
export function redactQueueUrl(url: string): string {
  const p = splitUrl(url);
  if (p === null || p.password === undefined) return url;
  return `${p.scheme}${p.user}:***@${p.rest}`;
}

/**
 * `redis://[user:password@]HOST[:PORT][/DB]` (or `rediss://` for TLS) as BullMQ connection options.
 * `--queue` with no URL reads it from `$VHOST_SIM_QUEUE`, which keeps a password out of the process list.
 */
export function parseQueueUrl(url: string): RedisOptions & { host: string; port: number } {
  const p = splitUrl(url);
  let u: URL;
  try {
    u = new URL(p === null ? url : `${p.scheme}${p.rest}`);
  } catch {
    u = new URL('invalid:');
  }
  const db = u.pathname.replace(/^\//, '');
  if ((u.protocol !== 'redis:' && u.protocol !== 'rediss:') || u.hostname === '' || !/^\d*$/.test(db)) {
    throw new ScenarioError(
      '--queue',
      redactQueueUrl(url),
      'redis://HOST[:PORT][/DB]',
      `--queue: expected redis://HOST[:PORT][/DB], got '${redactQueueUrl(url)}'`,
    );
  }
  const opts: RedisOptions & { host: string; port: number } = {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? 6379 : Number(u.port),
  };
  if (p !== null && p.user !== '') opts.username = decode(p.user);
  if (p?.password !== undefined && p.password !== '') opts.password = decode(p.password);
  if (db !== '') opts.db = Number(db);
  if (u.protocol === 'rediss:') opts.tls = {};
  return opts;
}

/** `--queue URL` or `--queue` (from $VHOST_SIM_QUEUE) as the queue target of a sweep. */
export function queueTarget(value: string | boolean | undefined): { url: string } | undefined {
  const url = queueUrlOption(value);
  if (url === undefined) return undefined;
  parseQueueUrl(url); // a malformed URL is refused here, before any work or any lock on --out
  return { url };
}

/** The queue URL as results may record it: without its password (undefined without a queue). */
export function redactedQueue(value: string | boolean | undefined): string | undefined {
  const t = queueTarget(value);
  return t === undefined ? undefined : redactQueueUrl(t.url);
}

/** The queue URL a command was given: `--queue URL`, or `--queue` alone for `$VHOST_SIM_QUEUE`. */
export function queueUrlOption(value: string | boolean | undefined): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true) return value;
  const env = process.env.VHOST_SIM_QUEUE;
  if (env === undefined || env === '') {
    throw new ScenarioError('--queue', '', 'a URL', '--queue: no URL given and $VHOST_SIM_QUEUE is not set');
  }
  return env;
}

/** Redis at `url` answers (and has the database it names), or a ScenarioError naming `--queue`. */
export async function checkQueueReachable(url: string): Promise<void> {
  await probe(url, parseQueueUrl(url));
}

/** Connect once without retrying, so an unreachable or wrong address fails at once with one line. */
async function probe(url: string, connection: RedisOptions): Promise<void> {
  const { Queue } = await bullmq();
  const q = new Queue(queueName(), {
    prefix: QUEUE_PREFIX,
    connection: { ...connection, retryStrategy: () => null, enableOfflineQueue: false },
  });
  q.on('error', () => {});
  try {
    await q.waitUntilReady();
    // ioredis falls back to database 0 when SELECT fails: ask once, so an index out of range is an error.
    if (connection.db !== undefined) {
      const client = (await q.client) as unknown as { select(db: number): Promise<unknown> };
      await client.select(connection.db);
    }
  } catch (err) {
    throw new ScenarioError(
      '--queue',
      redactQueueUrl(url),
      'a reachable Redis server',
      `--queue: cannot reach Redis at ${redactQueueUrl(url)}: ${(err as Error).message}`,
    );
  } finally {
    await q.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- producer: the sweep side

export interface QueueRunOptions extends QueueTarget {
  executor?: ExecutorKind;
  onDone?: (index: number, outcome: PointOutcome) => void;
  /** A connection error the client recovers from by reconnecting (default: ignored). */
  onError?: (err: Error) => void;
  /** Told when jobs vanished from Redis and were queued again. */
  onWarning?: (message: string) => void;
}

/** The few raw Redis commands the watchdogs send (ioredis; BullMQ's client type does not list them). */
interface RawClient {
  ping(): Promise<string>;
  pipeline(): { exists(key: string): unknown; exec(): Promise<[Error | null, unknown][] | null> };
  lrange(key: string, from: number, to: number): Promise<string[]>;
  hget(key: string, field: string): Promise<string | null>;
  hset(key: string, field: string, value: string): Promise<number>;
}

/** Default of `QueueTarget.unresponsiveMs`. */
export const DEFAULT_UNRESPONSIVE_MS = 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** `p`, or a rejection after `ms` (the command may still answer later; its answer is then ignored). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Close a BullMQ client, but never wait more than `ms` for a Redis that does not answer. */
async function closeWithin(c: { close(): Promise<void>; disconnect(): Promise<void> }, ms = 2000) {
  await within(c.close(), ms, 'close').catch(() => c.disconnect().catch(() => {}));
}

/**
 * Enqueue every scenario as a job (reusing jobs that already exist under the same id), wait for every
 * job to finish on whatever workers serve the queue, and return the outcomes by input index. Jobs that
 * completed earlier count at once; jobs that failed earlier are enqueued again.
 */
export async function runOnQueue(
  scenarios: readonly Scenario[],
  options: QueueRunOptions,
): Promise<PointOutcome[]> {
  const { Queue, QueueEvents } = await bullmq();
  const connection = parseQueueUrl(options.url);
  if (scenarios.length === 0) return [];
  await probe(options.url, connection);
  const executor = options.executor ?? 'fast';
  const attempts = Math.min(MAX_ATTEMPTS, Math.max(1, Math.floor(options.attempts ?? DEFAULT_ATTEMPTS)));
  const onError = (err: Error) => options.onError?.(err);

  // Runs by job id: identical scenarios in one sweep share one job.
  const byId = distinctRuns(scenarios, (scenario) => pointJobId(scenario, executor));
  const outcomes = new Array<PointOutcome>(scenarios.length);
  let pending = byId.size;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const settle = (id: string, outcome: PointOutcome) => {
    const indices = byId.get(id);
    if (indices === undefined || outcomes[indices[0]] !== undefined) return;
    for (const i of indices) {
      outcomes[i] = outcome;
      options.onDone?.(i, outcome);
    }
    if (--pending === 0) allDone();
  };

  const queue = new Queue<PointJobData, RunResult>(queueName(), {
    prefix: QUEUE_PREFIX,
    connection,
    // Completion events are how results arrive: keep enough of them for a whole sweep.
    streams: { events: { maxLen: Math.max(10_000, 2 * byId.size) } },
  });
  queue.on('error', onError);
  let events: QueueEventsT | undefined;

  // The watchdog: Redis must answer a PING within `unresponsiveMs`, or the sweep stops with an error
  // (no command timeout on BullMQ's own connections: its workers' blocking reads would time out too).
  const unresponsiveMs = options.unresponsiveMs ?? DEFAULT_UNRESPONSIVE_MS;
  let giveUp: (err: Error) => void = () => {};
  const dead = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  dead.catch(() => {});
  const guard = <T>(p: Promise<T>) => Promise.race([p, dead]);
  /** Jobs this sweep added and waits for: re-added if they vanish (Redis restarted without persistence). */
  const added = new Set<string>();
  const indexOf = new Map([...byId].map(([id, indices]) => [id, indices[0] as number]));
  const jobOf = (id: string) => ({
    name: 'point',
    data: { scenario: scenarios[indexOf.get(id) ?? 0] as Scenario, executor, version: VERSION },
    opts: { jobId: id, attempts, backoff: RETRY_BACKOFF, removeOnComplete: false, removeOnFail: false },
  });
  const addJobs = async (ids: readonly string[]) => {
    // In batches, so a large sweep does not build one huge command.
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      for (const id of batch) added.add(id);
      await queue.addBulk(batch.map(jobOf));
    }
  };
  let stopped = false;
  const watchdog = (async () => {
    let answered = Date.now();
    while (!stopped) {
      await sleep(options.healthIntervalMs ?? 5000);
      if (stopped) return;
      try {
        const client = (await within(queue.client, unresponsiveMs, 'connect')) as unknown as RawClient;
        await within(client.ping(), Math.max(1000, unresponsiveMs / 4), 'PING');
        answered = Date.now();
        const open = [...added].filter((id) => outcomes[indexOf.get(id) ?? 0] === undefined);
        const missing: string[] = [];
        for (let i = 0; i < open.length; i += 500) {
          const batch = open.slice(i, i + 500);
          const pipe = client.pipeline();
          for (const id of batch) pipe.exists(queue.toKey(id));
          const res = await within(pipe.exec(), unresponsiveMs, 'EXISTS');
          res?.forEach(([, n], j) => {
            if (n === 0) missing.push(batch[j] as string);
          });
        }
        const still = missing.filter((id) => outcomes[indexOf.get(id) ?? 0] === undefined);
        if (still.length > 0) {
          options.onWarning?.(
            `${still.length} of the sweep's jobs vanished from Redis at ${redactQueueUrl(options.url)} (restarted without persistence, or flushed?); queued them again`,
          );
          still.sort((a, b) => (indexOf.get(a) ?? 0) - (indexOf.get(b) ?? 0));
          await within(addJobs(still), unresponsiveMs, 'add');
        }
      } catch (err) {
        if (Date.now() - answered >= unresponsiveMs) {
          giveUp(
            new ScenarioError(
              '--queue',
              redactQueueUrl(options.url),
              'a Redis server that answers',
              `--queue: Redis at ${redactQueueUrl(options.url)} has not answered for ${Math.round((Date.now() - answered) / 1000)} s (${(err as Error).message}); the finished runs are journaled: rerun with --resume`,
            ),
          );
          return;
        }
      }
    }
  })();
  try {
    await guard(queue.waitUntilReady());
    // A failed job's error: name and message as the worker recorded them, else the queue's reason.
    const failedJob = async (id: string, reason: string): Promise<PointOutcome> => {
      const fallback: PointError = { name: 'Error', message: reason };
      const job = await queue.getJob(id).catch(() => undefined);
      return { ok: false, error: job?.data.error ?? fallback };
    };

    // Listen from a mark put at the events stream's end before looking at any job, so no finish is
    // missed: a job that finished before the mark is seen by its state below, any later one by its event.
    const client = await guard(queue.client);
    const mark = await guard(client.xadd(queue.toKey('events'), '*', { event: 'vhost-sim:sweep-start' }));
    events = new QueueEvents(queueName(), { prefix: QUEUE_PREFIX, connection, lastEventId: mark });
    events.on('error', onError);
    events.on('completed', ({ jobId, returnvalue }) => {
      if (byId.has(jobId)) settle(jobId, { ok: true, result: returnvalue as unknown as RunResult });
    });
    events.on('failed', ({ jobId, failedReason }) => {
      if (byId.has(jobId)) void failedJob(jobId, failedReason).then((o) => settle(jobId, o));
    });
    await guard(events.waitUntilReady());

    // What each job id already is: finished (reuse), failed (run again), queued or running (wait), or new.
    const toAdd: string[] = [];
    const known = Promise.all(
      [...byId.keys()].map(async (id) => {
        const job = await queue.getJob(id);
        if (job === undefined) {
          toAdd.push(id);
          return;
        }
        const state = await job.getState();
        const settled = outcomes[(byId.get(id) as number[])[0]] !== undefined; // by an event meanwhile
        if (settled) return;
        added.add(id); // queued or running: waited for, and re-added if it vanishes
        if (state === 'completed' && job.returnvalue != null)
          settle(id, { ok: true, result: job.returnvalue });
        else if (state === 'completed' || state === 'failed') {
          await job.remove();
          toAdd.push(id);
        }
      }),
    );
    await guard(known);
    toAdd.sort((a, b) => (indexOf.get(a) ?? 0) - (indexOf.get(b) ?? 0));
    await guard(addJobs(toAdd)); // in grid order
    if (pending > 0) await guard(finished);
    return outcomes;
  } finally {
    stopped = true;
    void watchdog;
    if (events !== undefined) await closeWithin(events);
    await closeWithin(queue);
  }
}

// ---------------------------------------------------------------- consumer: `vhost-sim worker`

export interface QueueWorkerOptions {
  url: string;
  /** Runs at a time, each on its own thread (default 1). */
  concurrency?: number;
  /** How long a job's lock lives without renewal (ms, default 30 000); a dead worker's job waits this long. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (ms, default 30 000). */
  stalledIntervalMs?: number;
  /** Times a job may lose its worker before it is failed (default 2). */
  maxStalledCount?: number;
  onStart?: (job: PointJobInfo) => void;
  onFinish?: (job: PointJobInfo, outcome: PointOutcome) => void;
  /** A connection or queue error the worker recovers from (default: ignored). */
  onError?: (err: Error) => void;
  /** Per-run budget in wall ms (default DEFAULT_MAX_RUN_MS): a run past it is failed for good. */
  maxRunMs?: number;
}

/** What a job must carry; anything else (a producer's bug, foreign data) is failed before it runs. */
export function checkJobData(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return 'job data is not an object';
  const d = data as Record<string, unknown>;
  if (typeof d[UNREADABLE] === 'string') return `job data is not JSON: ${JSON.stringify(d[UNREADABLE])}`;
  if (d.scenario === null || typeof d.scenario !== 'object' || Array.isArray(d.scenario))
    return 'job data has no scenario object';
  if (d.executor !== undefined && d.executor !== 'fast' && d.executor !== 'xstate')
    return `job data has an unknown executor ${JSON.stringify(d.executor)}`;
  if (typeof d.version !== 'string') return 'job data has no version';
  return undefined;
}

/** The key a job's data is wrapped under when it was not JSON (see `repairUnreadableJobs`). */
const UNREADABLE = 'vhostSimUnreadable';

/**
 * Jobs in `active` whose data or options are not JSON: BullMQ cannot build them, emits an error and
 * leaves them in `active` for ever (the stalled check puts them back, they fail to parse again). Their
 * data is wrapped in JSON (the first 200 characters, under UNREADABLE), so the next attempt reaches the
 * processor and `checkJobData` fails it for good with a reason. Returns the repaired job ids.
 */
export async function repairUnreadableJobs(client: RawClient, key: (suffix: string) => string) {
  const repaired: string[] = [];
  for (const id of await client.lrange(key('active'), 0, -1)) {
    for (const field of ['data', 'opts']) {
      const text = await client.hget(key(id), field);
      if (text === null) continue;
      try {
        JSON.parse(text);
      } catch {
        const fixed = field === 'data' ? JSON.stringify({ [UNREADABLE]: text.slice(0, 200) }) : '{}';
        await client.hset(key(id), field, fixed);
        if (!repaired.includes(id)) repaired.push(id);
      }
    }
  }
  return repaired;
}

export interface PointJobInfo {
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  scenario: Scenario;
}

export interface QueueWorkerHandle {
  /**
   * Stop taking jobs. Without `force`, let the running ones finish first; with it, put the running ones
   * back in the queue at once (their attempt does not count) and stop.
   */
  close(force?: boolean): Promise<void>;
  /** Runs currently in progress. */
  readonly running: number;
  /** Whether Redis answers a PING within `ms`. */
  ping(ms: number): Promise<boolean>;
  /** Drop the connections and threads at once, whatever Redis does (the last resort of a forced stop). */
  disconnect(): Promise<void>;
}

class PointRunError extends Error {
  constructor(e: PointError) {
    super(e.message);
    this.name = e.name;
  }
}

/** Serve the queue at `url` until closed: each job runs on a piscina thread through worker.mjs. */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const { UnrecoverableError, WaitingError, Worker } = await bullmq();
  const connection = parseQueueUrl(o.url);
  await probe(o.url, connection);
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? 1));
  const { Piscina } = await import('piscina');
  const pool = new Piscina<PointTask, PointOutcome>({
    filename: new URL('./worker.mjs', import.meta.url).href,
    minThreads: concurrency,
    maxThreads: concurrency,
    concurrentTasksPerWorker: 1,
  });
  let running = 0;
  let leaving = false;
  const active = new Map<string, { job: Job<PointJobData, RunResult>; token?: string }>();
  const processor = async (job: Job<PointJobData, RunResult>, token?: string): Promise<RunResult> => {
    const bad = checkJobData(job.data);
    if (bad !== undefined) throw new UnrecoverableError(bad);
    const { scenario, executor, version } = job.data;
    if (version !== VERSION) {
      throw new UnrecoverableError(`job for vhost-sim ${version} reached a ${VERSION} worker`);
    }
    const info: PointJobInfo = { id: String(job.id), attempt: job.attemptsMade + 1, scenario };
    running++;
    active.set(info.id, { job, token });
    o.onStart?.(info);
    let outcome: PointOutcome;
    const maxRunMs = o.maxRunMs ?? DEFAULT_MAX_RUN_MS;
    const budget = AbortSignal.timeout(maxRunMs); // wall time: the worker's own resource limit, not the simulation's
    try {
      outcome = await pool.run({ scenario, executor }, { signal: budget });
    } catch (err) {
      // The thread itself died (crash, out of memory), or the run overran its budget: this attempt failed.
      outcome = budget.aborted
        ? {
            ok: false,
            error: {
              name: 'BudgetExceeded',
              message: `the run took longer than its budget of ${maxRunMs / 1000} s`,
            },
          }
        : { ok: false, error: toPointError(err) };
    } finally {
      running--;
      active.delete(info.id);
    }
    // Left in a hurry: the job is already back in the queue (or its lock will expire), not failed.
    if (leaving) throw new WaitingError();
    o.onFinish?.(info, outcome);
    if (outcome.ok) return outcome.result;
    await job.updateData({ ...job.data, error: outcome.error });
    // A budget overrun would overrun again; a producer's huge `attempts` is capped here.
    if (outcome.error.name === 'BudgetExceeded' || info.attempt >= MAX_ATTEMPTS)
      throw new UnrecoverableError(`${outcome.error.name}: ${outcome.error.message}`);
    throw new PointRunError(outcome.error);
  };
  const worker = new Worker<PointJobData, RunResult>(queueName(), processor, {
    prefix: QUEUE_PREFIX,
    connection,
    concurrency,
    lockDuration: o.lockDurationMs ?? 30_000,
    stalledInterval: o.stalledIntervalMs ?? 30_000,
    maxStalledCount: o.maxStalledCount ?? 2,
    autorun: false,
  });
  worker.on('error', (err) => {
    o.onError?.(err);
    // A job whose data is not JSON cannot be built (BullMQ's JSON.parse throws before the processor).
    if (err instanceof SyntaxError) {
      void worker.client
        .then((c) => repairUnreadableJobs(c as unknown as RawClient, (k) => worker.toKey(k)))
        .then((ids) => {
          for (const id of ids) o.onError?.(new Error(`job ${id}: its data is not JSON; it will be failed`));
        })
        .catch(() => {});
    }
  });
  void worker.run().catch((err) => o.onError?.(err as Error));
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    get running() {
      return running;
    },
    async ping(ms) {
      try {
        const c = (await within(worker.client, ms, 'connect')) as unknown as RawClient;
        await within(c.ping(), ms, 'PING');
        return true;
      } catch {
        return false;
      }
    },
    async disconnect() {
      leaving = true;
      await Promise.allSettled([worker.disconnect(), pool.destroy()]);
    },
    close(force = false) {
      if (force) {
        leaving = true;
        const giveBack = [...active.values()].map(({ job, token }) => job.moveToWait(token).catch(() => {}));
        closing = Promise.all(giveBack)
          .then(() => Promise.all([worker.close(true), pool.destroy()]))
          .then(() => {});
        return closing;
      }
      closing ??= worker.close().then(() => pool.destroy());
      return closing;
    },
  };
}
