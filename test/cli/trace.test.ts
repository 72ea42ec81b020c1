import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliRun.ts';

const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-trace-cli-'));

describe('run --trace paths and --trace-window: checked before the run, one line naming the option, exit 2', () => {
  it.each([
    [['--trace', join(dir, 'no', 'such', 'folder', 't.json')], '--trace'],
    [['--trace', dir], '--trace'],
    [['--trace', join(dir, 't.json'), '--trace-window', '0.2'], '--trace-window'],
    [['--trace', join(dir, 't.json'), '--trace-window', '0.01:0.02'], '--trace-window'],
    [['--trace', join(dir, 't.json'), '--trace-window', '4000:4001'], '--trace-window'],
    [['--trace-window', '0.1:0.2'], '--trace-window'],
  ])('%j', async (args, flag) => {
    // A long run: were the check after it, the test would time out.
    const out = await runCli(['run', '--duration', '3000', ...args]);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(new RegExp(`^vhost-sim: error: ${flag}`));
  });
});
