/**
 * The results folder (`--out`) is respected: flags are checked before it is locked or its journal set
 * aside (issue 22), and what it holds is never replaced by mistake (issue 20.6).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL, LOCK } from '../../src/sweep/journal.ts';
import { type CliOut, runCli } from '../cliRun.ts';

const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-out-'));
const SWEEP = ['sweep', '--models', 'per-cpu', '--vms-list', '1', '--duration', '0.002', '--warmup', '0.001'];
const ARGS = [...SWEEP, '--format', 'json', '--no-charts', '--jobs', '1'];

/** Exit 2 with one `vhost-sim: error:` line matching `re`. */
function refused(out: CliOut, re: RegExp): void {
  expect(out.code, out.stderr).toBe(2);
  const lines = out.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^vhost-sim: error: /);
  expect(lines[0]).toMatch(re);
}

/** A folder locked by a live process (this one), as another sweep writing it would leave it. */
function lockedFolder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, LOCK), `${process.pid}\n`);
  return dir;
}

describe('flags are checked before the --out folder is locked', () => {
  it('a bad --queue URL is named even when the folder is locked by another process', async () => {
    const dir = lockedFolder('locked');
    refused(
      await runCli([...ARGS, '--out', dir, '--queue', 'http://127.0.0.1:6379']),
      /--queue: expected redis:/,
    );
  });

  it('an unreachable Redis is named before the journal is set aside or the lock met', async () => {
    const dir = join(tmp, 'kept');
    const first = await runCli([...ARGS, '--out', dir]);
    expect(first.code, first.stderr).toBe(0);
    const journal = readFileSync(join(dir, JOURNAL), 'utf8');
    refused(
      await runCli([...ARGS, '--out', dir, '--queue', 'redis://127.0.0.1:1']),
      /--queue: cannot reach Redis/,
    );
    expect(readFileSync(join(dir, JOURNAL), 'utf8')).toBe(journal);
    expect(existsSync(join(dir, `${JOURNAL}.prev`))).toBe(false);
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});

describe.concurrent('what the --out folder holds is never replaced by mistake', () => {
  it('a file, or a path through a file, is refused before anything runs', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'mine\n');
    refused(await runCli([...ARGS, '--out', file]), /--out .*a-file: is a file, expected a folder/);
    refused(
      await runCli([...ARGS, '--out', join(file, 'sub')]),
      /--out .*: cannot be created, .*a-file is a file/,
    );
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('a folder another vhost-sim is writing is refused, and nothing is written to it', async () => {
    const dir = lockedFolder('busy');
    refused(await runCli([...ARGS, '--out', dir]), /is being written by another vhost-sim \(pid \d+\)/);
    expect(existsSync(join(dir, JOURNAL))).toBe(false);
  });

  it('a folder of other files (no journal) is refused; --force writes into it and leaves the other files', async () => {
    const dir = join(tmp, 'papers');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.csv'), 'my own table\n');
    refused(
      await runCli([...ARGS, '--out', dir]),
      /holds 1 file and no points\.jsonl: not a vhost-sim results folder/,
    );
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe('my own table\n');
    writeFileSync(join(dir, 'notes.txt'), 'keep me\n');
    const forced = await runCli([...ARGS, '--out', dir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(existsSync(join(dir, JOURNAL))).toBe(true);
  });

  it('a folder of another sweep is refused without --resume too; --force replaces it', async () => {
    const dir = join(tmp, 'other-sweep');
    const first = await runCli([...ARGS, '--out', dir]);
    expect(first.code, first.stderr).toBe(0);
    const journal = readFileSync(join(dir, JOURNAL), 'utf8');
    const other = [...ARGS, '--seed', '7', '--out', dir];
    refused(await runCli(other), /belongs to a different sweep/);
    expect(readFileSync(join(dir, JOURNAL), 'utf8')).toBe(journal);
    const forced = await runCli([...other, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, JOURNAL), 'utf8')).not.toBe(journal);
  });
});
