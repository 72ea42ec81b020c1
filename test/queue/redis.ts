/** What the Redis tests share: where redis-server is, starting one, waiting, free ports, child exits. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { track } from '../children.ts';

/** The Debian `redis-server` on PATH, if any (.ci/run installs it). */
export const REDIS = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'redis-server'))
  .find((p) => existsSync(p));
export const inCi = process.env.CI === 'true';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  for (let t = 0; !ok(); t += 20) {
    if (t > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export const exited = (c: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve({ code: c.exitCode, signal: c.signalCode });
    else c.once('exit', (code, signal) => resolve({ code, signal }));
  });

/**
 * A `redis-server` of the test's own on 127.0.0.1:`port`, without persistence, once it accepts
 * connections. Tracked: killed when the test ends (`keep`: when the file ends, for one a beforeAll shares).
 */
export async function startRedis(port: number, o: { keep?: boolean } = {}): Promise<ChildProcess> {
  const r = track(
    spawn(
      REDIS as string,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
    o,
  );
  let out = '';
  r.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await until('redis-server to start', () => out.includes('Ready to accept') || r.exitCode !== null, 10_000);
  if (r.exitCode !== null) throw new Error(`redis-server exited: ${out}`);
  return r;
}
