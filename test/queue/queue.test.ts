/**
 * Sweeps on a real BullMQ queue: each test starts its own Debian `redis-server` on 127.0.0.1 (a free port,
 * no persistence) and `vhost-sim worker` processes, and compares the queued sweep with the same sweep run
 * locally. Without redis-server the tests fail under CI=true (.ci/run installs it) and are skipped
 * elsewhere.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/model/scenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import {
  checkJobData,
  MAX_ATTEMPTS,
  parseQueueUrl,
  pointJobId,
  queueTarget,
  redactQueueUrl,
} from '../../src/sweep/queue.ts';
import { runPoints } from '../../src/sweep/sweep.ts';
import { track } from '../children.ts';
import { BIN, ROOT, runCli } from '../cliRun.ts';
import { exited, freePort, inCi, REDIS, sleep, startRedis, until } from './redis.ts';

// Short locks so a killed worker's job comes back within seconds (production defaults are 30 s).
const FAST_LOCKS = ['--lock-duration', '2000', '--stalled-interval', '500'];
const ENV = { ...process.env, CI: '1', VHOST_SIM_DEBUG: '' };
const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-queue-'));
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');

const cli = (args: string[]) => runCli(args);

/** A `vhost-sim worker` process and its stderr log. */
class WorkerProc {
  readonly child: ChildProcess;
  log = '';
  constructor(url: string) {
    this.child = track(
      spawn(process.execPath, [BIN, 'worker', '--queue', url, '--concurrency', '1', ...FAST_LOCKS], {
        cwd: ROOT,
        env: ENV,
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
      { keep: true },
    );
    this.child.stderr?.on('data', (d: Buffer) => {
      this.log += d.toString();
    });
  }
  /** Job ids (`pt-` and 8 hex digits) of the log lines starting with `verb`. */
  jobs(verb: 'started' | 'ran' | 'failed'): string[] {
    return [...this.log.matchAll(new RegExp(`^vhost-sim worker: ${verb} (pt-[0-9a-f]+)`, 'gm'))].map(
      (m) => m[1],
    );
  }
  ready = () => until('a worker to serve the queue', () => this.log.includes('serving queue'));
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return (await exited(this.child)).code;
  }
}

describe('job ids and queue URLs', () => {
  it('hashes the scenario, seed, executor and version into a stable id', () => {
    const s = resolveScenario({ vms: 2 });
    expect(pointJobId(s)).toBe(pointJobId(structuredClone(s)));
    expect(pointJobId(s)).toMatch(/^pt-[0-9a-f]{64}$/);
    expect(pointJobId({ ...s, seed: 2 })).not.toBe(pointJobId(s));
    expect(pointJobId(s, 'xstate')).not.toBe(pointJobId(s, 'fast'));
    expect(pointJobId(s, 'fast', '9.9.9')).not.toBe(pointJobId(s, 'fast'));
  });

  it('reads redis:// URLs and rejects others', () => {
    expect(parseQueueUrl('redis://HOST')).toEqual({ host: 'HOST', port: 6379 });
    expect(parseQueueUrl('rediss://u:p%40ss@HOST:7000/3')).toEqual({
      host: 'HOST',
      port: 7000,
      username: 'u',
      password: 'p@ss',
      db: 3,
      tls: {},
    });
    expect(() => parseQueueUrl('http://HOST:6379')).toThrow(/expected redis:\/\/HOST/);
    expect(() => parseQueueUrl('HOST:6379')).toThrow(/expected redis:\/\/HOST/);
    expect(redactQueueUrl('redis://u:secret@HOST:6379')).toBe('redis://u:***@HOST:6379');
  });

  it('a password with : @ # / is parsed whole and never shown, in errors either', () => {
    for (const pw of ['a:b', 'a@b', 'a#b', 'a/b', ':@#/x']) {
      const url = `redis://u:${pw}@HOST:6390/2`;
      expect(parseQueueUrl(url)).toEqual({ host: 'HOST', port: 6390, username: 'u', password: pw, db: 2 });
      expect(redactQueueUrl(url)).toBe('redis://u:***@HOST:6390/2');
      let message = '';
      try {
        parseQueueUrl(`redis://u:${pw}@/nohost`);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/expected redis/);
      expect(message).not.toContain(pw);
    }
  });

  it('--queue without a URL reads $VHOST_SIM_QUEUE, and says so when it is unset', () => {
    const saved = process.env.VHOST_SIM_QUEUE;
    try {
      process.env.VHOST_SIM_QUEUE = 'redis://:pw@HOST:1';
      expect(queueTarget(true)).toEqual({ url: 'redis://:pw@HOST:1' });
      expect(queueTarget('redis://OTHER')).toEqual({ url: 'redis://OTHER' });
      expect(queueTarget(undefined)).toBeUndefined();
      delete process.env.VHOST_SIM_QUEUE;
      expect(() => queueTarget(true)).toThrow(/VHOST_SIM_QUEUE is not set/);
    } finally {
      if (saved === undefined) delete process.env.VHOST_SIM_QUEUE;
      else process.env.VHOST_SIM_QUEUE = saved;
    }
  });

  it('job data is checked before a worker counts the job as running', () => {
    const ok = { scenario: resolveScenario({}), executor: 'fast', version: '1' };
    expect(checkJobData(ok)).toBeUndefined();
    expect(checkJobData(null)).toMatch(/not an object/);
    expect(checkJobData({ ...ok, scenario: null })).toMatch(/no scenario/);
    expect(checkJobData({ ...ok, executor: 'warp' })).toMatch(/unknown executor/);
    expect(checkJobData({ scenario: {} })).toMatch(/no version/);
    expect(MAX_ATTEMPTS).toBeLessThanOrEqual(10);
  });
});

describe.runIf(!REDIS && inCi)('sweeps on a Redis queue (CI)', () => {
  it('needs redis-server', () => {
    expect.fail('redis-server is missing: .ci/run installs it with apt-get install redis-server');
  });
});

describe.skipIf(!REDIS)('sweeps on a Redis queue', () => {
  let redis: ChildProcess;
  let port = 0;
  const workers: WorkerProc[] = [];
  // Each test its own database, so job ids never meet across tests.
  const url = (db: number) => `redis://127.0.0.1:${port}/${db}`;
  const startWorkers = async (db: number, n: number) => {
    const ws = Array.from({ length: n }, () => new WorkerProc(url(db)));
    workers.push(...ws);
    await Promise.all(ws.map((w) => w.ready()));
    return ws;
  };

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port, { keep: true });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    if (redis) {
      redis.kill('SIGTERM');
      await exited(redis);
    }
  });

  const SWEEP = ['sweep', '--models', 'per-device,per-cpu', '--vms-list', '1,2', '--duration', '0.01'];
  const COMMON = [...SWEEP, '--warmup', '0.002', '--format', 'json', '--no-charts'];

  it('two workers give the JSON and results folder of a local sweep; a re-run executes nothing', async () => {
    const ws = await startWorkers(1, 2);
    const [queued, local] = await Promise.all([
      cli([...COMMON, '--queue', url(1), '--out', join(tmp, 'q')]),
      cli([...COMMON, '--jobs', '1', '--out', join(tmp, 'local')]),
    ]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(local.code, local.stderr).toBe(0);
    expect(queued.stdout).toBe(local.stdout);
    for (const f of ['sweep.json', 'points.jsonl', 'summary.csv', 'scenario.json']) {
      expect(read(tmp, 'q', f), f).toBe(read(tmp, 'local', f));
    }
    expect(JSON.parse(read(tmp, 'q', 'meta.json')).queue).toBe(url(1));
    const ran = ws.flatMap((w) => w.jobs('ran'));
    expect(ran).toHaveLength(4);
    expect(new Set(ran).size).toBe(4);

    // The same sweep again (a new results folder, no --resume): every job is found finished in Redis.
    const again = await cli([...COMMON, '--queue', url(1), '--out', join(tmp, 'q-again')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(local.stdout);
    await sleep(300);
    expect(ws.flatMap((w) => w.jobs('started'))).toHaveLength(4);

    expect(await Promise.all(ws.map((w) => w.stop()))).toEqual([0, 0]);
  });

  it('a worker killed with SIGKILL mid-job loses nothing: its job is retried on the other', async () => {
    // Points long enough (≈ 0.5 s each) that the victim cannot finish its job between being seen to
    // start it and the kill.
    const args = ['sweep', '--vms-list', '8,16', '--duration', '0.4', '--warmup', '0.005'];
    const common = [...args, '--format', 'json', '--no-charts'];
    const [victim, survivor] = await startWorkers(2, 2);
    const queued = cli([...common, '--queue', url(2), '--out', join(tmp, 'kill-q')]);
    await until('the victim to start a job', () => victim.jobs('started').length > 0);
    victim.child.kill('SIGKILL');
    expect((await exited(victim.child)).signal).toBe('SIGKILL');
    const lost = victim.jobs('started').filter((id) => !victim.jobs('ran').includes(id));
    expect(lost).toHaveLength(1);

    const local = await cli([...common, '--jobs', '1', '--out', join(tmp, 'kill-local')]);
    const q = await queued;
    expect(q.code, q.stderr).toBe(0);
    expect(local.code, local.stderr).toBe(0);
    expect(q.stdout).toBe(local.stdout);
    expect(read(tmp, 'kill-q', 'points.jsonl')).toBe(read(tmp, 'kill-local', 'points.jsonl'));
    expect(survivor.jobs('ran')).toContain(lost[0]);
  });

  it('records a point that throws on every attempt as failed, with its error, and runs the rest', async () => {
    const [w] = await startWorkers(3, 1);
    const base = resolveScenario({ durationS: 0.004, warmupS: 0.001 });
    // Not a valid scenario: the simulator rejects it in the worker, as it would locally.
    const broken = { ...base, profile: null } as unknown as Scenario;
    const scenarios = [base, broken, { ...base, vms: 2 }, base];
    const [queued, local] = await Promise.all([
      runPoints(scenarios, { queue: { url: url(3), attempts: 3 } }),
      runPoints(scenarios, { jobs: 1 }),
    ]);
    expect(queued.failures.map((f) => f.index)).toEqual([1]);
    expect(queued.failures[0].error.name).toBe('ScenarioError');
    expect(queued.failures[0].error).toEqual(local.failures[0].error);
    expect(JSON.stringify(queued.outcomes)).toBe(JSON.stringify(local.outcomes));
    // Three attempts of the broken point; the duplicate scenario ran once.
    expect(w.jobs('failed')).toHaveLength(3);
    expect(new Set(w.jobs('failed')).size).toBe(1);
    expect(w.jobs('ran')).toHaveLength(2);
  });
});
