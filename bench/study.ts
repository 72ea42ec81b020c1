/**
 * A sensitivity study timed end to end (`vhost-sim sensitivity`, Morris, 3 parameters, VMs 1 and 4 and the
 * 32 its ratio output needs, one seed, 0.03 s + 0.01 s per run) at two sizes, r = 4 and r = 16 trajectories
 * (96 and 384 runs): runs per minute with local worker threads (`--jobs 1`, `--jobs 2`) and on a Redis
 * queue served by 1, 2 and 4 `vhost-sim worker --concurrency 1` processes on this machine (a
 * `redis-server` of its own on a free port; skipped with a note when there is none). Queue workers are
 * started and serving before the clock starts. Two sizes split each configuration's time into a fixed
 * part (start-up: the CLI, worker threads, each thread's JIT warming up) and a marginal rate (runs per
 * minute between the sizes). The speed-ups are taken on the larger study (see `studyLines`).
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
/** Trajectories of the two sizes: 96 and 384 runs. */
export const SIZES = [4, 16] as const;
const study_ = (trajectories: number) => [
  'sensitivity',
  '--method',
  'morris',
  '--params',
  'costs.ctxSwitchNs,costs.cacheRefillNs,costs.nicIrqNs',
  '--trajectories',
  String(trajectories),
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

interface Timing {
  runs: number | null;
  wallS: number | null;
  load: [number, number];
  note?: string;
}

export interface StudyTiming {
  how: string;
  /** The larger study: its runs, wall time and overall rate. */
  runs: number | null;
  wallS: number | null;
  runsPerMinute: number | null;
  /** Wall time the line through both sizes gives at 0 runs: start-up, not simulation. */
  fixedS?: number | null;
  /** Runs per minute between the two sizes: what a long study goes at. */
  marginalRunsPerMinute?: number | null;
  /** 1-minute load average when the first study started and when the second ended. */
  load?: [number, number];
  note?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the study once at `trajectories` with `extra` arguments; wall time of the whole command. */
async function studyOnce(trajectories: number, extra: string[]): Promise<Timing> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'vhost-sim-bench-study-'));
  const load0 = +os.loadavg()[0].toFixed(1);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, ...study_(trajectories), '--out', out, '--format', 'json', ...extra],
    {
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
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
    return { runs, wallS: null, load, note: `failed: ${stderr.slice(0, 200)}` };
  return { runs, wallS, load };
}

/** One configuration's timings at the two sizes, `a` the smaller. */
function combine(how: string, a: Timing, b: Timing): StudyTiming {
  const load: [number, number] = [a.load[0], b.load[1]];
  if (a.wallS === null || b.wallS === null || a.runs === null || b.runs === null)
    return { how, runs: b.runs, wallS: null, runsPerMinute: null, load, note: a.note ?? b.note };
  const perRunS = (b.wallS - a.wallS) / (b.runs - a.runs);
  return {
    how,
    runs: b.runs,
    wallS: +b.wallS.toFixed(1),
    runsPerMinute: +((b.runs / b.wallS) * 60).toFixed(1),
    fixedS: +(a.wallS - perRunS * a.runs).toFixed(1),
    marginalRunsPerMinute: perRunS > 0 ? +(60 / perRunS).toFixed(1) : null,
    load,
  };
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
  for (const jobs of [1, 2]) {
    const args = ['--jobs', String(jobs)];
    out.push(
      combine(`local --jobs ${jobs}`, await studyOnce(SIZES[0], args), await studyOnce(SIZES[1], args)),
    );
  }
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
      const sizes: Timing[] = [];
      for (const [k, trajectories] of SIZES.entries()) {
        // A database per count and size: job ids are idempotent, so a second study in the same one would
        // reuse results (the larger study's first trajectories are the smaller one's).
        const url = `redis://127.0.0.1:${port}/${2 * n + k}`;
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
        sizes.push(await studyOnce(trajectories, ['--queue', url]));
        for (const w of workers.splice(0)) {
          w.kill('SIGTERM');
          await new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)));
        }
      }
      out.push(combine(`queue, ${n} worker${n > 1 ? 's' : ''}`, sizes[0], sizes[1]));
    }
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    redis.kill('SIGTERM');
  }
  return out;
}

/**
 * A line per configuration: the larger study's rate and its speed-up over one worker (local threads over
 * `--jobs 1`, queue workers over one), then the fixed part and the marginal rate. The speed-up is taken on
 * the larger study as a whole: with more workers than cores, their warm-ups overlap the larger study too,
 * and the two-point marginal rate overstates them.
 */
export function studyLines(timings: readonly StudyTiming[]): string[] {
  const rate = (how: string) => timings.find((t) => t.how === how)?.runsPerMinute ?? null;
  return timings.map((t) => {
    if (t.wallS === null || t.runsPerMinute === null)
      return `${t.how.padEnd(18)} ${t.note ?? 'not measured'}`;
    const base = rate(t.how.startsWith('queue') ? 'queue, 1 worker' : 'local --jobs 1');
    const speedup = base === null ? '' : ` ×${(t.runsPerMinute / base).toFixed(2)}`;
    return `${t.how.padEnd(18)} ${t.runs} runs in ${t.wallS} s: ${t.runsPerMinute} runs/min${speedup}; fixed ${t.fixedS} s, marginal ${t.marginalRunsPerMinute ?? '—'} runs/min  (load ${t.load?.join(' -> ') ?? 'n/a'})`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of studyLines(await benchStudy())) console.log(line);
}
