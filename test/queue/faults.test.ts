/**
 * Redis faults (issue 22 item 6): a Redis restarted without persistence mid-sweep, a Redis that stops
 * answering (SIGSTOP), job data that is not JSON, and a worker asked to stop while its Redis is dead.
 * Each test starts its own `redis-server` (a free port, no persistence), so killing or stopping it
 * touches no other test; every child is killed when its test ends (test/children.ts). Without redis-server the tests fail under CI=true and are skipped elsewhere.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { QUEUE_PREFIX, queueName } from '../../src/sweep/queue.ts';
import { runPoints } from '../../src/sweep/sweep.ts';
import { track } from '../children.ts';
import { BIN, ROOT } from '../cliRun.ts';
import { exited, freePort, inCi, REDIS, sleep, startRedis, until } from './redis.ts';

const ENV = { ...process.env, CI: '1', VHOST_SIM_DEBUG: '' };

function startWorker(url: string): { child: ChildProcess; log: () => string } {
  const child = track(
    spawn(
      process.execPath,
      [
        BIN,
        'worker',
        '--queue',
        url,
        '--concurrency',
        '1',
        '--lock-duration',
        '2000',
        '--stalled-interval',
        '500',
      ],
      { cwd: ROOT, env: ENV, stdio: ['ignore', 'ignore', 'pipe'] },
    ),
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  return { child, log: () => log };
}

const base = resolveScenario({ durationS: 0.004, warmupS: 0.001 });
const scenarios = [base, { ...base, vms: 2 }, { ...base, seed: 9 }];

describe.runIf(!REDIS && inCi)('Redis faults (CI)', () => {
  it('needs redis-server', () => {
    expect.fail('redis-server is missing: .ci/run installs it with apt-get install redis-server');
  });
});

describe.skipIf(!REDIS)('Redis faults', () => {
  it('a Redis restarted without persistence mid-sweep: the sweep queues its vanished jobs again and finishes', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const warnings: string[] = [];
    // No worker yet: the jobs wait in Redis when it dies.
    const queued = runPoints(scenarios, {
      queue: { url, healthIntervalMs: 300, unresponsiveMs: 60_000 },
      onWarning: (m) => warnings.push(m),
    });
    const { Queue } = await import('bullmq');
    const probe = new Queue(queueName(), { prefix: QUEUE_PREFIX, connection: { host: '127.0.0.1', port } });
    for (let t = 0; t < 600 && (await probe.getJobCounts('waiting')).waiting < 3; t++) await sleep(100);
    await probe.close();
    redis.kill('SIGKILL');
    await exited(redis);
    redis = await startRedis(port);
    const w = startWorker(url);
    const t0 = Date.now();
    const [q, local] = await Promise.all([queued, runPoints(scenarios, { jobs: 1 })]);
    expect(JSON.stringify(q.outcomes)).toBe(JSON.stringify(local.outcomes));
    expect(warnings.join('\n')).toMatch(/3 of the sweep's jobs vanished from Redis .*; queued them again/);
    expect(Date.now() - t0).toBeLessThan(60_000);
    w.child.kill('SIGTERM');
    expect((await exited(w.child)).code).toBe(0);
  }, 120_000);

  it('a Redis that stops answering (SIGSTOP) ends the sweep with one line naming --queue, and a worker still stops on SIGTERM', async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const w = startWorker(url);
    await until('the worker to serve', () => w.log().includes('serving queue'));
    // A run long enough that the worker is mid-run when Redis stops.
    const long = resolveScenario({ vms: 8, durationS: 0.3, warmupS: 0.01 });
    const queued = runPoints([long], { queue: { url, healthIntervalMs: 200, unresponsiveMs: 2000 } });
    queued.catch(() => {});
    await until('the worker to start the run', () => w.log().includes('started'));
    redis.kill('SIGSTOP');
    const t0 = Date.now();
    await expect(queued).rejects.toThrow(
      /^--queue: Redis at redis:\/\/127\.0\.0\.1:\d+ has not answered for \d+ s .*--resume$/,
    );
    expect(Date.now() - t0).toBeLessThan(20_000);

    const t1 = Date.now();
    w.child.kill('SIGTERM');
    const end = await exited(w.child);
    expect(end.code).toBe(0);
    // The run finishes, then Redis gets STOP_GRACE_MS (5 s) to take its result before the worker leaves.
    expect(Date.now() - t1).toBeLessThan(40_000);
    expect(w.log()).toMatch(/stopped without waiting for Redis/);
    redis.kill('SIGCONT');
  }, 120_000);

  it('job data that is not JSON is failed with a reason, not left in active', async () => {
    const port = await freePort();
    await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const { Queue } = await import('bullmq');
    const q = new Queue(queueName(), { prefix: QUEUE_PREFIX, connection: { host: '127.0.0.1', port } });
    try {
      await q.add('point', { placeholder: true }, { jobId: 'bad-1', attempts: 1 });
      const client = (await q.client) as unknown as {
        hset(k: string, f: string, v: string): Promise<number>;
      };
      await client.hset(q.toKey('bad-1'), 'data', '{not json');
      const w = startWorker(url);
      await until('the bad job to fail', () => /failed bad-1|job bad-1: its data is not JSON/.test(w.log()));
      for (let t = 0; t < 100 && (await q.getJobState('bad-1')) !== 'failed'; t++) await sleep(200);
      expect(await q.getJobState('bad-1')).toBe('failed');
      const job = await q.getJob('bad-1');
      expect(job?.failedReason).toMatch(/job data is not JSON: "\{not json"/);
      w.child.kill('SIGTERM');
      expect((await exited(w.child)).code).toBe(0);
    } finally {
      await q.close();
    }
  }, 120_000);
});
