import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './children.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'vhost-sim.mjs');

export interface CliOut {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the `vhost-sim` binary in a child process as a user would, with CI set (no progress bar) and
 * stack traces off; `env` entries override those. The child is killed when the test ends (a timeout
 * included), so a hung command never outlives its test.
 */
export function runCli(
  args: readonly string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<CliOut> {
  return new Promise((resolve) => {
    track(
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          cwd: opts.cwd ?? ROOT,
          env: { ...process.env, CI: '1', VHOST_SIM_DEBUG: '', ...opts.env },
          maxBuffer: 64 << 20,
        },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      ),
    );
  });
}
