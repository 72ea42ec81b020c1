import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/model/scenario.ts';
import {
  JOURNAL,
  Journal,
  type JournalEntry,
  LOCK,
  ResumeError,
  writeFully,
} from '../../src/sweep/journal.ts';

// The journal compares scenarios as JSON only: a tagged object stands for a resolved scenario.
const sc = (index: number, rep: number) => ({ tag: `${index}/${rep}` }) as unknown as Scenario;
const expected = (index: number, rep: number) => (index < 4 && rep < 2 ? sc(index, rep) : undefined);
const entry = (index: number, rep = 0): JournalEntry =>
  ({
    index,
    rep,
    model: 'per-device',
    vms: 1,
    seed: 1,
    ok: true,
    scenario: sc(index, rep),
    metrics: {},
    events: 1,
  }) as unknown as JournalEntry;
const line = (e: JournalEntry) => `${JSON.stringify(e)}\n`;
const dirWith = (text?: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-journal-'));
  if (text !== undefined) writeFileSync(join(dir, JOURNAL), text);
  return dir;
};

describe('writeFully', () => {
  it('retries short writes until every byte is written', () => {
    const out: number[] = [];
    writeFully(0, 'héllo, journal', (_fd, buf, off, len) => {
      const n = Math.min(3, len);
      out.push(...buf.subarray(off, off + n));
      return n;
    });
    expect(Buffer.from(out).toString('utf8')).toBe('héllo, journal');
  });

  it('a write that makes no progress (a full disk) is an error, not a silent truncation', () => {
    let calls = 0;
    expect(() => writeFully(0, 'abcdef', (_fd, _b, _o, len) => (calls++ === 0 ? len - 2 : 0))).toThrow(
      /short write: 4 of 6/,
    );
  });
});

describe('Journal', () => {
  it('appends whole lines even when the system writes a few bytes at a time', () => {
    const dir = dirWith();
    const j = Journal.open(dir, false, expected, {
      write: (fd, b, o, l) => writeSync(fd, b, o, Math.min(l, 5)),
    });
    j.append(entry(0));
    j.append(entry(1));
    j.close();
    expect(readFileSync(join(dir, JOURNAL), 'utf8')).toBe(line(entry(0)) + line(entry(1)));
  });

  it('a full disk during the rewrite leaves the journal as it was and releases the lock', () => {
    const text = line(entry(0)) + line(entry(1));
    const dir = dirWith(text);
    symlinkSync('/dev/full', join(dir, `${JOURNAL}.tmp`));
    expect(() => Journal.open(dir, true, expected)).toThrow(/ENOSPC|short write/);
    expect(readFileSync(join(dir, JOURNAL), 'utf8')).toBe(text);
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });

  it('resume keeps every whole line around a torn one, with a warning', () => {
    const dir = dirWith(`${line(entry(0))}{"index":1,"rep":0,"mod\n${line(entry(2))}`);
    const warnings: string[] = [];
    const j = Journal.open(dir, true, expected, { warn: (m) => warnings.push(m) });
    j.close();
    expect([...j.resumed.keys()]).toEqual(['0/0', '2/0']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/:2: a torn line/);
  });

  it('rerunning without --resume keeps the previous journal as points.jsonl.prev', () => {
    const text = line(entry(0));
    const dir = dirWith(text);
    Journal.open(dir, false, expected).close();
    expect(readFileSync(join(dir, JOURNAL), 'utf8')).toBe('');
    expect(readFileSync(join(dir, `${JOURNAL}.prev`), 'utf8')).toBe(text);
  });

  it('a folder holding another sweep is refused, with or without --resume, unless forced', () => {
    const other = `${JSON.stringify({ ...entry(0), scenario: { tag: 'another sweep' } })}\n`;
    for (const resume of [true, false]) {
      const dir = dirWith(other);
      expect(() => Journal.open(dir, resume, expected)).toThrow(ResumeError);
      expect(readFileSync(join(dir, JOURNAL), 'utf8')).toBe(other);
    }
    const dir = dirWith(other);
    Journal.open(dir, false, expected, { force: true }).close();
    expect(readFileSync(join(dir, `${JOURNAL}.prev`), 'utf8')).toBe(other);
  });

  it('a folder of other files and no journal is refused unless forced, and left as it was', () => {
    const dir = dirWith();
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    expect(() => Journal.open(dir, false, expected)).toThrow(/holds 1 file and no points\.jsonl/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    Journal.open(dir, false, expected, { force: true }).close();
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('a second process is kept out of a folder being written; the lock of a dead one is taken over', () => {
    const dir = dirWith();
    writeFileSync(join(dir, LOCK), `${process.ppid}\n`); // a live process that is not us
    expect(() => Journal.open(dir, false, expected)).toThrow(
      new RegExp(`another vhost-sim \\(pid ${process.ppid}\\)`),
    );
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(join(dir, LOCK), `${dead}\n`);
    const j = Journal.open(dir, false, expected);
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(`${process.pid}\n`);
    j.close();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});
