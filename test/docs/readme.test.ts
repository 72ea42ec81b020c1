import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README's command lines keep working: every `npx vhost-sim …` line of its shell blocks runs (but
 * `inspect`, a server with tests of its own), as written, with only its files moved to a temporary
 * folder and the simulated time cut short (the same options the line would take anyway).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'vhost-sim.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-readme-'));
writeFileSync(join(tmp, 'my-scenario.yaml'), 'vms: 2\nmodel: per-cpu\n');

function readmeCommands(): string[][] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('npx vhost-sim '))
    .map((line) => line.split(/\s+/).slice(2));
}

/** The line's arguments with its files in `tmp` and a short run. */
function shortened(args: string[]): string[] {
  const out = args.map((a) =>
    a === 'my-scenario.yaml' || a === 'trace.json' || a === 'results/talk'
      ? join(tmp, a.replace('/', '-'))
      : a,
  );
  const has = (flag: string) => out.includes(flag);
  const command = out[0];
  if (command === 'run' || command === 'sweep') out.push('--duration', '0.002', '--warmup', '0.001');
  if (command === 'reproduce') {
    out.push('--duration', '0.002', '--set', 'warmupS=0.001');
    if (!has('--reps')) out.push('--reps', '1');
  }
  if ((command === 'sweep' || command === 'reproduce') && !has('--out')) {
    out.push('--out', join(tmp, `out-${out.join('_').replace(/[^\w.-]/g, '')}`.slice(0, 120)));
  }
  if (command === 'sweep' || command === 'reproduce') out.push('--no-charts');
  return out;
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: tmp, env: { ...process.env, CI: '1' }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('README command lines', () => {
  const commands = readmeCommands();

  it('finds the quick start and the examples', () => {
    expect(commands.map((c) => c[0])).toEqual(
      expect.arrayContaining(['run', 'sweep', 'reproduce', 'diagram', 'validate']),
    );
    expect(commands.length).toBeGreaterThanOrEqual(10);
  });

  it('runs every one of them, in order, with exit status 0', async () => {
    for (const args of commands) {
      if (args[0] === 'inspect') continue;
      const r = await cli(shortened(args));
      expect(r.code, `vhost-sim ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout.length, `vhost-sim ${args.join(' ')}`).toBeGreaterThan(0);
    }
  }, 300_000);
});
