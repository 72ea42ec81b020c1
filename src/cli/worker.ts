/**
 * `vhost-sim worker --queue redis://HOST:PORT [--concurrency N]`: serve a sweep queue on this machine.
 * Runs the jobs that `sweep … --queue` and `reproduce … --queue` enqueue, each on a worker thread with the
 * same task as a local sweep, until SIGINT or SIGTERM: the first signal stops taking jobs and lets the
 * running ones finish, a second one puts the running ones back in the queue and leaves at once. Either
 * way the worker always stops, Redis or no Redis: once the runs are done (or at the second signal) it
 * gives Redis STOP_GRACE_MS to take the last words, then drops the connections and exits. While it
 * serves, it PINGs Redis every HEALTH_MS and says when Redis stops and starts answering. One line per
 * event on stderr. Registered by `addWorkerCommand`.
 */
import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_MAX_RUN_MS,
  type PointJobInfo,
  queueName,
  queueUrlOption,
  redactQueueUrl,
  startQueueWorker,
} from '../sweep/queue.ts';
import type { PointOutcome } from '../sweep/task.ts';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
};

interface WorkerOpts {
  queue?: string | boolean;
  concurrency?: number;
  maxRunSeconds: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalled: number;
}

/** After the runs are done (or a second signal), Redis gets this long to take the results. */
export const STOP_GRACE_MS = 5000;
/** How often a serving worker checks that Redis answers. */
const HEALTH_MS = 5000;

const log = (text: string) => process.stderr.write(`vhost-sim worker: ${text}\n`);
const describe = (j: PointJobInfo) =>
  `${j.id.slice(0, 11)} (${j.scenario.model}, ${j.scenario.vms} VMs, seed ${j.scenario.seed}${j.attempt > 1 ? `, attempt ${j.attempt}` : ''})`;

async function workerCommand(o: WorkerOpts): Promise<void> {
  const concurrency = o.concurrency ?? availableParallelism();
  const started = new Map<string, number>();
  const url = queueUrlOption(o.queue ?? true) as string;
  const worker = await startQueueWorker({
    url,
    maxRunMs: o.maxRunSeconds * 1000,
    concurrency,
    lockDurationMs: o.lockDuration,
    stalledIntervalMs: o.stalledInterval,
    maxStalledCount: o.maxStalled,
    onStart: (j) => {
      started.set(j.id, performance.now());
      log(`started ${describe(j)}`);
    },
    onFinish: (j: PointJobInfo, outcome: PointOutcome) => {
      const s = ((performance.now() - (started.get(j.id) ?? performance.now())) / 1000).toFixed(2);
      started.delete(j.id);
      if (outcome.ok) log(`ran ${describe(j)} in ${s} s`);
      else log(`failed ${describe(j)} after ${s} s: ${outcome.error.name}: ${outcome.error.message}`);
    },
    onError: (err) => log(`queue error (retrying): ${err.message}`),
  });
  log(
    `serving queue ${queueName()} at ${redactQueueUrl(url)} with ${concurrency} thread${concurrency === 1 ? '' : 's'}; Ctrl-C to stop`,
  );

  // Say when Redis stops answering (BullMQ's reconnects are silent while a connection hangs).
  let silentSince: number | undefined;
  const health = setInterval(() => {
    void worker.ping(HEALTH_MS).then((ok) => {
      if (ok && silentSince !== undefined) {
        log(`Redis at ${redactQueueUrl(url)} answers again`);
        silentSince = undefined;
      } else if (!ok && silentSince === undefined) {
        silentSince = performance.now();
        log(`Redis at ${redactQueueUrl(url)} does not answer (still trying; Ctrl-C stops)`);
      }
    });
  }, HEALTH_MS);
  health.unref();

  const forced = await new Promise<boolean>((resolve) => {
    let signals = 0;
    let stopped = false;
    const done = (force: boolean) => {
      if (stopped) return;
      stopped = true;
      clearInterval(health);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log(force ? 'stopped without waiting for Redis' : 'stopped');
      resolve(force);
    };
    /** Give the close STOP_GRACE_MS (after the runs are done, unless `now`), then drop the connections. */
    const bounded = (closing: Promise<void>, now: boolean) => {
      closing.then(
        () => done(false),
        () => done(false),
      );
      const wait = setInterval(() => {
        if (!now && worker.running > 0) return;
        clearInterval(wait);
        setTimeout(() => {
          if (stopped) return;
          void worker.disconnect();
          done(true);
        }, STOP_GRACE_MS).unref();
      }, 100);
      wait.unref();
    };
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        log(
          `${signal}: finishing ${worker.running} running point${worker.running === 1 ? '' : 's'}, taking no more (signal again to leave now)`,
        );
        bounded(worker.close(), false);
      } else {
        log(`${signal}: leaving now; the running points go back to the queue`);
        bounded(worker.close(true), true);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  // Dropped connections and threads may still hold the event loop: a forced stop leaves now.
  if (forced) process.exit(process.exitCode ?? 0);
}

export function addWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run the points of sweeps queued with --queue (on this machine, until SIGINT/SIGTERM)')
    .option(
      '--queue [url]',
      'the Redis server holding the queue: redis://HOST:PORT[/DB] (default: $VHOST_SIM_QUEUE)',
    )
    .option('--concurrency <n>', 'points run at once, one per thread (default: available cores)', positiveInt)
    .option(
      '--lock-duration <ms>',
      "a job's lock lifetime: a killed worker's job is retried after this",
      positiveInt,
      30_000,
    )
    .option('--stalled-interval <ms>', 'how often to look for jobs whose worker died', positiveInt, 30_000)
    .option('--max-stalled <n>', 'times a job may lose its worker before it is failed', positiveInt, 2)
    .option(
      '--max-run-seconds <s>',
      'per-run budget: a run past it is failed for good',
      positiveInt,
      DEFAULT_MAX_RUN_MS / 1000,
    )
    .action((o: WorkerOpts) => workerCommand(o));
}
