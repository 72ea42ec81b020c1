/**
 * Ctrl-C and SIGTERM during a sweep (issue 20.6): the progress bar erased, one line with the runs saved
 * and the command that finishes the sweep, the folder's lock released, exit 128 + the signal's number;
 * the printed command then finishes the sweep.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptHandler, resumeCommand, savedRuns } from '../../src/cli/interrupt.ts';
import { JOURNAL, LOCK } from '../../src/sweep/journal.ts';
import { createProgress } from '../../src/sweep/progress.ts';
import { track } from '../children.ts';
import { BIN, ROOT, runCli } from '../cliRun.ts';
import { exited, until } from '../queue/redis.ts';

const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-interrupt-'));

describe('the interruption line', () => {
  it('the resume command is the same command with --resume (once), quoted for a shell', () => {
    expect(resumeCommand(['sweep', '--vms-list', '1,2'])).toBe('vhost-sim sweep --vms-list 1,2 --resume');
    expect(resumeCommand(['sweep', '--resume'])).toBe('vhost-sim sweep --resume');
    expect(resumeCommand(['sweep', '--out', "my results/it's"])).toBe(
      `vhost-sim sweep --out 'my results/it'\\''s' --resume`,
    );
  });

  it('erases the bar, says how many runs are saved and how to finish, releases the lock, exits 130/143', () => {
    const dir = join(tmp, 'unit');
    mkdirSync(dir);
    const ok = JSON.stringify({ index: 0, rep: 0, ok: true });
    const failed = JSON.stringify({ index: 1, rep: 0, ok: false });
    writeFileSync(join(dir, JOURNAL), `${ok}\n${failed}\n${ok.replace('0,', '2,')}\n{"index":3,"re`);
    expect(savedRuns(dir)).toBe(2);
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      writeFileSync(join(dir, LOCK), `${process.pid}\n`);
      let out = '';
      const write = (t: string) => {
        out += t;
      };
      const progress = createProgress({ enabled: true, write, now: () => 0 });
      progress.update(1, 4);
      let exitCode = -1;
      interruptHandler({ dir, args: ['sweep'], progress, write, exit: (c) => (exitCode = c) })(signal);
      expect(exitCode).toBe(code);
      const after = out.slice(out.lastIndexOf('\r\x1b[2K') + 5);
      expect(out.lastIndexOf('\r\x1b[2K')).toBeGreaterThan(0); // the bar drawn, then erased
      expect(after).toBe(
        `vhost-sim: interrupted (${signal}): 2 runs saved in ${dir}/; finish with: vhost-sim sweep --resume\n`,
      );
      expect(existsSync(join(dir, LOCK))).toBe(false);
    }
  });
});

describe('a sweep interrupted', () => {
  it('SIGINT mid-way: exit 130, one line naming the saved runs and --resume; that command finishes it', async () => {
    const dir = join(tmp, 'int');
    const args = ['sweep', '--vms-list', '8,12,16,24', '--duration', '0.05', '--warmup', '0.005'];
    // 12 runs: far from done when the first is journaled.
    const common = [...args, '--reps', '3', '--format', 'json', '--no-charts', '--jobs', '2', '--out', dir];
    const child = track(
      spawn(process.execPath, [BIN, ...common], {
        cwd: ROOT,
        env: { ...process.env, CI: '1', VHOST_SIM_DEBUG: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await until('a run to be journaled', () => savedRuns(dir) > 0 || child.exitCode !== null, 120_000);
    child.kill('SIGINT');
    const end = await exited(child);
    expect(end.code, stderr).toBe(130);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const m = lines[0].match(
      /^vhost-sim: interrupted \(SIGINT\): (\d+) runs? saved in (.*)\/; finish with: (.*)$/,
    );
    expect(m, lines[0]).not.toBeNull();
    const [, saved, where, command] = m as RegExpMatchArray;
    expect(Number(saved)).toBe(savedRuns(dir));
    expect(where).toBe(dir);
    expect(existsSync(join(dir, LOCK))).toBe(false);
    expect(command).toBe(`vhost-sim ${common.join(' ')} --resume`);
    const resumed = await runCli(command.split(' ').slice(1));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).resumedRuns).toBe(Number(saved));
  }, 240_000);
});
