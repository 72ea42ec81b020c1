/**
 * Ctrl-C (SIGINT) and SIGTERM during a sweep (issue 20.6): the progress bar is erased, so the terminal's
 * line is clean, and one line says how many runs the journal holds and the command that finishes the
 * sweep (`--resume`). Every finished run is already durable (the journal fsyncs each line), so nothing
 * more is written; the folder's lock is released and the process exits 128 + the signal's number, as a
 * shell reports a command killed by it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL, LOCK } from '../sweep/journal.ts';
import type { Progress } from '../sweep/progress.ts';
import { printable } from './printable.ts';

const EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** The successful runs `dir`'s journal holds (whole lines only: the one being written may be torn). */
export function savedRuns(dir: string): number {
  let text: string;
  try {
    text = readFileSync(join(dir, JOURNAL), 'utf8');
  } catch {
    return 0;
  }
  let n = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      if ((JSON.parse(line) as { ok?: unknown }).ok === true) n++;
    } catch {
      // torn: not saved
    }
  }
  return n;
}

/** An argument as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
export const shellQuote = (arg: string) =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

/** `vhost-sim <args> --resume`: the command line that finishes the sweep `args` started. */
export function resumeCommand(args: readonly string[]): string {
  const rest = args.includes('--resume') ? args : [...args, '--resume'];
  return ['vhost-sim', ...rest].map(shellQuote).join(' ');
}

export interface InterruptOptions {
  /** The results folder (a sweep); without one (a run) only the interruption is reported. */
  dir?: string;
  /** The command's arguments (after `vhost-sim`). */
  args: readonly string[];
  progress: Progress;
  write?: (text: string) => void;
  exit?: (code: number) => void;
}

/** What a signal does: erase the bar, say what is saved and how to finish, release the lock, exit. */
export function interruptHandler(o: InterruptOptions): (signal: 'SIGINT' | 'SIGTERM') => void {
  const write = o.write ?? ((t: string) => process.stderr.write(t));
  const exit = o.exit ?? ((code: number) => process.exit(code));
  return (signal) => {
    o.progress.finish();
    const { dir } = o;
    if (dir === undefined) write(`vhost-sim: interrupted (${signal})\n`);
    else {
      const n = savedRuns(dir);
      write(
        `vhost-sim: interrupted (${signal}): ${n} run${n === 1 ? '' : 's'} saved in ${printable(dir)}/; finish with: ${printable(resumeCommand(o.args))}\n`,
      );
      releaseLock(dir);
    }
    exit(EXIT[signal]);
  };
}

/** Remove the folder's lock if this process holds it (the journal's `close` would, had it the time). */
function releaseLock(dir: string): void {
  const lock = join(dir, LOCK);
  try {
    if (Number.parseInt(readFileSync(lock, 'utf8'), 10) === process.pid) rmSync(lock, { force: true });
  } catch {
    // no lock: nothing to release
  }
}

/** Handle SIGINT and SIGTERM as `interruptHandler` says until the returned function is called. */
export function onInterrupt(o: InterruptOptions): () => void {
  const handler = interruptHandler(o);
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}
