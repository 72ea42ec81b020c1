/**
 * A small sensitivity study timed end to end (`vhost-sim sensitivity`, Morris, 3 parameters, r = 2, VMs 1
 * and 4, one seed, 0.03 s + 0.01 s per run: 48 runs): runs per minute with local worker threads
 * (`--jobs 1`, `--jobs 2`) and on a Redis queue served by 1, 2 and 4 `vhost-sim worker --concurrency 1`
 * processes on this machine (a `redis-server` of its own on a free port; skipped with a note when there is
 * none). Workers are started and serving before the clock starts, so their start-up is not counted.
 *
 * `npx tsx bench/study.ts` runs only this part of the bench and prints each timing with the load average
 * (1 min) before and after it, and the queue's speed-up over one worker.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/queue/redis.ts';

const BIN = path.resolve('bin/vhost-sim.mjs');
const ENV = { ...process.env, CI: '1', VHOST_SIM_DEBUG: '' };
export const STUDY = [
  'sensitivity',
  '--method',
  'morris',
  '--params',
  'costs.ctxSwitchNs,costs.cacheRefillNs,costs.nicIrqNs',
  '--trajectories',
  '2',
  '--vms-list',
  '1,4',
  '--seeds',
  '1',
  '--duration',
  '0.03',
  '--warmup',
  '0.01',
  '--no-charts',
];

export interface StudyTiming {
  how: string;
  runs: number | null;
  wallS: number | null;
  runsPerMinute: number | null;
  /** 1-minute load average when the study started and when it ended. */
  load?: [number, number];
  note?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the study once with `extra` arguments; wall time of the whole command. */
async function study(how: string, extra: string[]): Promise<StudyTiming> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'vhost-sim-bench-study-'));
  const load0 = +os.loadavg()[0].toFixed(1);
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...STUDY, '--out', out, '--format', 'json', ...extra], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallS = (performance.now() - t0) / 1000;
  const load: [number, number] = [load0, +os.loadavg()[0].toFixed(1)];
  rmSync(out, { recursive: true, force: true });
  const m = /= (\d+) runs/.exec(stderr + stdout);
  const runs = m === null ? null : Number(m[1]);
  if (code !== 0 || runs === null)
    return { how, runs, wallS: null, runsPerMinute: null, load, note: `failed: ${stderr.slice(0, 200)}` };
  return { how, runs, wallS: +wallS.toFixed(1), runsPerMinute: +((runs / wallS) * 60).toFixed(1), load };
}

async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
  for (let t = 0; !ok(); t += 50) {
    if (t > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function findRedis(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p !== '' && existsSync(p) ? p : null;
}

/** The study on local threads, then on a queue with 1, 2 and 4 worker processes. */
export async function benchStudy(workerCounts = [1, 2, 4]): Promise<StudyTiming[]> {
  const out: StudyTiming[] = [];
  for (const jobs of [1, 2]) out.push(await study(`local --jobs ${jobs}`, ['--jobs', String(jobs)]));
  const redisBin = findRedis();
  if (redisBin === null) {
    for (const n of workerCounts)
      out.push({
        how: `queue, ${n} workers`,
        runs: null,
        wallS: null,
        runsPerMinute: null,
        note: 'no redis-server',
      });
    return out;
  }
  const port = await freePort();
  const redis = spawn(
    redisBin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let log = '';
  redis.stdout?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const workers: ChildProcess[] = [];
  try {
    await until(() => log.includes('Ready to accept connections'), 20_000, 'redis-server');
    for (const n of workerCounts) {
      // A database per count: job ids are idempotent, so a second study in the same one would reuse results.
      const url = `redis://127.0.0.1:${port}/${n}`;
      const logs: string[] = [];
      for (let i = 0; i < n; i++) {
        const w = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--concurrency', '1'], {
          env: ENV,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        logs.push('');
        w.stderr?.on('data', (d: Buffer) => {
          logs[i] += d.toString();
        });
        workers.push(w);
      }
      await until(() => logs.every((l) => l.includes('serving queue')), 180_000, 'the queue workers');
      out.push(await study(`queue, ${n} worker${n > 1 ? 's' : ''}`, ['--queue', url]));
      for (const w of workers.splice(0)) {
        w.kill('SIGTERM');
        await new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)));
      }
    }
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    redis.kill('SIGTERM');
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const timings = await benchStudy();
  const one = timings.find((t) => t.how === 'queue, 1 worker')?.wallS ?? null;
  for (const t of timings) {
    const speedup =
      one !== null && t.wallS !== null && t.how.startsWith('queue') ? ` ×${(one / t.wallS).toFixed(2)}` : '';
    const figures =
      t.wallS === null
        ? (t.note ?? 'not measured')
        : `${t.runs} runs in ${t.wallS} s: ${t.runsPerMinute} runs/min`;
    console.log(`${t.how.padEnd(18)} ${figures}${speedup}  (load ${t.load?.join(' -> ') ?? 'n/a'})`);
  }
}
