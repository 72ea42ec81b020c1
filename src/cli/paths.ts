/** Output paths checked before a run starts, so a long run is never lost to a bad path at its end. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkResultsFolder } from '../sweep/journal.ts';
import { UsageError } from './usageError.ts';

/** The entry at `path`, or undefined when there is none (a path through a file included). */
function statOf(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** `file` can be written: not a folder, in a folder that exists and takes files. UsageError naming `flag` else. */
export function checkWritableFile(file: string, flag: string): void {
  const path = resolve(file);
  const stat = statOf(path);
  if (stat?.isDirectory()) throw new UsageError(`${flag} ${file}: is a folder, expected a file name`);
  const dir = dirname(path);
  const dirStat = statOf(dir);
  if (dirStat === undefined || !dirStat.isDirectory())
    throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist`);
  try {
    accessSync(stat === undefined ? dir : path, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: not writable (permission denied)`);
  }
}

/**
 * `dir` can be the results folder (`--out`): a folder, or a name that can be made one, writable, not
 * locked by another vhost-sim, and a results folder already if it holds files (unless `force`). Checked
 * before any work starts; the journal checks again (and takes the lock) when it opens.
 */
export function checkOutDir(dir: string, force: boolean): void {
  const path = resolve(dir);
  const stat = statOf(path);
  if (stat !== undefined && !stat.isDirectory())
    throw new UsageError(`--out ${dir}: is a file, expected a folder`);
  let existing = path;
  while (statOf(existing) === undefined) existing = dirname(existing);
  if (!statSync(existing).isDirectory())
    throw new UsageError(`--out ${dir}: cannot be created, ${existing} is a file`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(
      existing === path
        ? `--out ${dir}: not writable (permission denied)`
        : `--out ${dir}: cannot be created in ${existing} (permission denied)`,
    );
  }
  try {
    checkResultsFolder(path, force);
  } catch (err) {
    throw new UsageError((err as Error).message.replace(path, dir));
  }
}
