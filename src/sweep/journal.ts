/**
 * points.jsonl: the sweep's journal. Every finished run (one grid point at one replication) is appended
 * as one JSON line and fsync'd at once, so a killed sweep loses at most the runs in flight. `--resume`
 * reads it back: lines that match this sweep's runs are kept, a torn last line is dropped, failed runs
 * are computed again.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '../metrics/summary.ts';
import type { ModelName, Scenario } from '../model/scenario.ts';
import type { PointError } from './task.ts';

export const JOURNAL = 'points.jsonl';

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

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export const entryLine = (e: JournalEntry) => `${JSON.stringify(e)}\n`;

export class Journal {
  private fd: number;

  private constructor(
    readonly file: string,
    /** Successful runs read back from a previous attempt, by `index/rep`. */
    readonly resumed: Map<string, JournalEntry>,
  ) {
    this.fd = openSync(file, 'a');
  }

  /**
   * Open the journal in `dir`. Without `resume` it starts empty. With `resume`, `expected(index, rep)`
   * gives the scenario each run must have: a line for another scenario means another sweep (ResumeError).
   */
  static open(
    dir: string,
    resume: boolean,
    expected: (index: number, rep: number) => Scenario | undefined,
  ): Journal {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, JOURNAL);
    const kept = new Map<string, JournalEntry>();
    if (resume && existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        let e: JournalEntry;
        try {
          e = JSON.parse(line);
        } catch {
          // Only the last line can be torn by a kill mid-write; anything else is not our file.
          if (i >= lines.length - 2) return;
          throw new ResumeError(`${file}:${i + 1} is not a JSON line; cannot resume from it`);
        }
        const want = expected(e.index, e.rep);
        if (want === undefined || JSON.stringify(want) !== JSON.stringify(e.scenario)) {
          throw new ResumeError(
            `${file} belongs to a different sweep (line ${i + 1} does not match this sweep's point ${e.index}, rep ${e.rep}); use another --out or run without --resume`,
          );
        }
        if (e.ok) kept.set(key(e.index, e.rep), e);
      });
    }
    // Start the file over with only what is kept (drops torn lines and old failures).
    writeAtomically(file, [...kept.values()].map(entryLine).join(''));
    return new Journal(file, kept);
  }

  get(index: number, rep: number): JournalEntry | undefined {
    return this.resumed.get(key(index, rep));
  }

  /** Append one finished run and make it durable before returning. */
  append(e: JournalEntry): void {
    writeSync(this.fd, entryLine(e));
    fsyncSync(this.fd);
  }

  /** Rewrite the journal in grid order (index, then rep), so a finished folder is deterministic. */
  finish(entries: readonly JournalEntry[]): void {
    closeSync(this.fd);
    this.fd = -1;
    const sorted = [...entries].sort((a, b) => a.index - b.index || a.rep - b.rep);
    writeAtomically(this.file, sorted.map(entryLine).join(''));
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
