/**
 * points.jsonl: the sweep's journal. Every finished run (one grid point at one replication) is appended
 * as one JSON line and fsync'd at once, so a killed sweep loses at most the runs in flight. `--resume`
 * reads it back: lines that match this sweep's runs are kept, torn lines (a kill or a full disk
 * mid-write) are skipped with a warning, failed runs are computed again.
 *
 * Nothing journaled is lost: every write is checked to be whole (a short write is retried, a write that
 * makes no progress is an error), a rewrite goes through a temporary file, fsync and rename (and an fsync
 * of the folder), a folder holding another sweep is refused unless forced, rerunning a sweep without
 * `--resume` keeps the previous journal as `points.jsonl.prev`, and a lock file keeps a second process out
 * of the folder while one writes it.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../metrics/summary.ts';
import type { ModelName, Scenario } from '../model/scenario.ts';
import { batched } from './jsonChunks.ts';
import type { PointError } from './task.ts';

export const JOURNAL = 'points.jsonl';
/** The lock file: the pid of the process writing the folder. */
export const LOCK = '.vhost-sim.lock';

interface EntryHead {
  /** Grid point index. */
  index: number;
  /** Replication, 0-based (seed = the point's seed + rep). */
  rep: number;
  model: ModelName;
  vms: number;
  axes?: Record<string, unknown>;
  seed: number;
}
export type JournalEntry =
  | (EntryHead & { ok: true; scenario: Scenario; metrics: Metrics; events: number })
  | (EntryHead & { ok: false; scenario: Scenario; error: PointError });

/** The journal in the results folder does not belong to this sweep. */
export class ResumeError extends Error {
  override name = 'ResumeError';
}

const key = (index: number, rep: number) => `${index}/${rep}`;

/** `writeSync`'s signature, a seam for tests of short writes. */
export type WriteFn = (fd: number, buf: Uint8Array, offset: number, length: number) => number;
const osWrite: WriteFn = (fd, buf, offset, length) => writeSync(fd, buf, offset, length);

/** Write all of `text` or throw: `write(2)` may write less than asked (a full disk, a signal). */
export function writeFully(fd: number, text: string, write: WriteFn = osWrite): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    const n = write(fd, buf, off, buf.length - off);
    if (!(n > 0)) {
      throw Object.assign(new Error(`short write: ${off} of ${buf.length} bytes written (disk full?)`), {
        code: 'ENOSPC',
        syscall: 'write',
      });
    }
    off += n;
  }
}

/** Make a rename or a new file in `dir` durable. Some file systems cannot fsync a folder: that is no error. */
function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on file systems that do not support it.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function* lines(entries: Iterable<JournalEntry>): Generator<string> {
  for (const e of entries) yield entryLine(e);
}

/** Call `f` with each line of `file` (without its newline), its byte offset and length (with it). */
function forEachLine(file: string, f: (line: string, start: number, length: number) => void): void {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let pos = 0; // file offset of carry's first byte
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      const data = carry.length === 0 ? buf.subarray(0, n) : Buffer.concat([carry, buf.subarray(0, n)]);
      let from = 0;
      for (let nl = data.indexOf(10, from); nl >= 0; nl = data.indexOf(10, from)) {
        f(data.toString('utf8', from, nl), pos + from, nl + 1 - from);
        from = nl + 1;
      }
      pos += from;
      carry = Buffer.from(data.subarray(from));
      if (n === 0) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** Write `pieces` to `file` through a temporary file; the pieces are never joined into one string. */
function writeAtomically(file: string, pieces: Iterable<string>, write?: WriteFn): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (const text of batched(pieces)) writeFully(fd, text, write);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
  fsyncDir(join(file, '..'));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The pid of a live process other than this one that holds `dir`'s lock, if any. */
export function lockHolder(dir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, LOCK), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

const lockedBy = (dir: string, pid: number) =>
  new ResumeError(
    `${dir} is being written by another vhost-sim (pid ${pid}); wait for it to finish or use another --out`,
  );

/**
 * Refuse to write into `dir` when it is someone else's: locked by a live vhost-sim, or holding files
 * but no journal (not a results folder: its files would be overwritten), unless `force`.
 */
export function checkResultsFolder(dir: string, force: boolean): void {
  const pid = lockHolder(dir);
  if (pid !== undefined) throw lockedBy(dir, pid);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // not there (yet): created when the journal opens
  }
  const ours = [JOURNAL, `${JOURNAL}.prev`, `${JOURNAL}.tmp`, LOCK];
  if (force || names.length === 0 || names.some((n) => ours.includes(n))) return;
  throw new ResumeError(
    `${dir} holds ${names.length} file${names.length === 1 ? '' : 's'} and no ${JOURNAL}: not a vhost-sim results folder; use a new or empty --out, or --force to write into it`,
  );
}

/** Take the folder's lock, or say who holds it. A lock left by a dead process is taken over. */
function lockFolder(dir: string): string {
  const lock = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = lockHolder(dir);
      if (pid !== undefined) throw lockedBy(dir, pid);
      rmSync(lock, { force: true }); // stale: its process is gone
    }
  }
  throw new ResumeError(`${dir}: cannot take the lock ${lock}`);
}

export interface JournalOptions {
  /** Replace a journal that belongs to another sweep (`--force`). */
  force?: boolean;
  /** Told of each torn line skipped on resume. */
  warn?: (message: string) => void;
  /** Tests only: the write call. */
  write?: WriteFn;
}

const mismatch = (file: string, where: string, index: number, rep: number) =>
  `${file} belongs to a different sweep (${where} does not match this sweep's point ${index}, rep ${rep}); use another --out, or --force to replace it`;

export const entryLine = (e: JournalEntry) => `${JSON.stringify(e)}\n`;

export class Journal {
  private fd: number;

  private constructor(
    readonly file: string,
    /** Successful runs read back from a previous attempt, by `index/rep`. */
    readonly resumed: Map<string, JournalEntry>,
    /** Of those, the runs of points not known when the journal was opened (`later`): checked by `get`. */
    private readonly unchecked: ReadonlySet<string>,
    private readonly lock: string,
    private readonly write?: WriteFn,
  ) {
    this.fd = openSync(file, 'a');
  }

  /**
   * Open the journal in `dir`. With `resume`, `expected(index, rep)` gives the scenario each run must
   * have: a line for another scenario means another sweep (ResumeError), and the matching finished runs
   * are kept. Without `resume` the journal starts empty, the previous one kept as `points.jsonl.prev`;
   * a previous one of another sweep is refused unless `force`. `later` keeps a run whose point is not
   * known yet (a refinement adds it); `get` checks it then.
   */
  static open(
    dir: string,
    resume: boolean,
    expected: (index: number, rep: number) => Scenario | 'later' | undefined,
    o: JournalOptions = {},
  ): Journal {
    checkResultsFolder(dir, o.force ?? false);
    mkdirSync(dir, { recursive: true });
    const lock = lockFolder(dir);
    try {
      const file = join(dir, JOURNAL);
      const unchecked = new Set<string>();
      const kept = existsSync(file)
        ? Journal.read(file, expected, resume || !o.force, unchecked, resume ? o.warn : undefined)
        : new Map();
      if (!resume && existsSync(file)) {
        renameSync(file, `${file}.prev`);
        kept.clear();
      }
      // Start the file over with only what is kept (drops torn lines and old failures).
      writeAtomically(file, lines(kept.values()), o.write);
      return new Journal(file, kept, unchecked, lock, o.write);
    } catch (err) {
      rmSync(lock, { force: true });
      throw err;
    }
  }

  /** The finished runs of `file` that match this sweep; `strict`: a line of another sweep is refused. */
  private static read(
    file: string,
    expected: (index: number, rep: number) => Scenario | 'later' | undefined,
    strict: boolean,
    unchecked: Set<string>,
    warn?: (message: string) => void,
  ): Map<string, JournalEntry> {
    const kept = new Map<string, JournalEntry>();
    const lines = readFileSync(file, 'utf8').split('\n');
    let torn = 0;
    const warnings: string[] = []; // told only once the file is known to be a journal
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let e: JournalEntry;
      try {
        e = JSON.parse(line);
      } catch {
        torn++;
        warnings.push(
          `${file}:${i + 1}: a torn line (a kill or a full disk mid-write), skipped; its run is computed again`,
        );
        return;
      }
      const want = expected(e.index, e.rep);
      if (want === 'later') unchecked.add(key(e.index, e.rep));
      else if (want === undefined || JSON.stringify(want) !== JSON.stringify(e.scenario)) {
        if (!strict) return;
        throw new ResumeError(mismatch(file, `line ${i + 1}`, e.index, e.rep));
      }
      if (e.ok) kept.set(key(e.index, e.rep), e);
    });
    if (strict && torn > 0 && kept.size === 0 && torn === lines.filter((l) => l.trim() !== '').length) {
      throw new ResumeError(
        `${file} is not a vhost-sim journal (no line is JSON); use another --out, or --force to replace it`,
      );
    }
    for (const w of warnings) warn?.(w);
    return kept;
  }

  /**
   * The journaled run `index/rep`, if any, handed over (the journal keeps no reference to it); `scenario`
   * checks a run that was opened as `later`.
   */
  take(index: number, rep: number, scenario?: Scenario): JournalEntry | undefined {
    const k = key(index, rep);
    const e = this.resumed.get(k);
    if (e !== undefined && this.unchecked.has(k) && JSON.stringify(e.scenario) !== JSON.stringify(scenario)) {
      throw new ResumeError(mismatch(this.file, 'a refined point', index, rep));
    }
    this.resumed.delete(k);
    return e;
  }

  /** Append one finished run and make it durable before returning. */
  append(e: JournalEntry): void {
    writeFully(this.fd, entryLine(e), this.write);
    fsyncSync(this.fd);
  }

  /** Rewrite the journal in grid order (index, then rep), so a finished folder is deterministic. */
  finish(entries: readonly JournalEntry[]): void {
    closeSync(this.fd);
    this.fd = -1;
    const sorted = [...entries].sort((a, b) => a.index - b.index || a.rep - b.rep);
    writeAtomically(this.file, lines(sorted), this.write);
  }

  /**
   * `finish` without the entries in memory: the journal's own lines, sorted by (index, rep) (the last
   * line of a run wins), copied line by line from the file; afterwards `read` gives any run back.
   */
  finishFromFile(): void {
    closeSync(this.fd);
    this.fd = -1;
    const found = new Map<string, { start: number; length: number }>();
    const keys: [number, number][] = [];
    forEachLine(this.file, (line, start, length) => {
      const head = line.match(/^\{"index":(\d+),"rep":(\d+),/);
      if (head === null) return;
      const k = key(Number(head[1]), Number(head[2]));
      if (!found.has(k)) keys.push([Number(head[1]), Number(head[2])]);
      found.set(k, { start, length });
    });
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const fd = openSync(this.file, 'r');
    const offsets = new Map<string, { start: number; length: number }>();
    let at = 0;
    try {
      const copied = function* (): Generator<string> {
        for (const [index, rep] of keys) {
          const k = key(index, rep);
          const span = found.get(k) as { start: number; length: number };
          const buf = Buffer.alloc(span.length);
          readSync(fd, buf, 0, span.length, span.start);
          offsets.set(k, { start: at, length: span.length });
          at += span.length;
          yield buf.toString('utf8');
        }
      };
      writeAtomically(this.file, copied(), this.write);
    } finally {
      closeSync(fd);
    }
    this.offsets = offsets;
  }

  private offsets = new Map<string, { start: number; length: number }>();

  /** Run `index/rep` read back from the finished journal (after `finishFromFile`). */
  read(index: number, rep: number): JournalEntry | undefined {
    const span = this.offsets.get(key(index, rep));
    if (span === undefined) return undefined;
    const fd = openSync(this.file, 'r');
    try {
      const buf = Buffer.alloc(span.length);
      readSync(fd, buf, 0, span.length, span.start);
      return JSON.parse(buf.toString('utf8')) as JournalEntry;
    } finally {
      closeSync(fd);
    }
  }

  /** Close the file and release the folder's lock. */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.lock, { force: true });
  }
}
