/** Output paths checked before a run starts, so a long run is never lost to a bad path at its end. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usageError.ts';

/** `file` can be written: not a folder, in a folder that exists and takes files. UsageError naming `flag` else. */
export function checkWritableFile(file: string, flag: string): void {
  const path = resolve(file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new UsageError(`${flag} ${file}: is a folder, expected a file name`);
  const dir = dirname(path);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (dirStat === undefined || !dirStat.isDirectory())
    throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist`);
  try {
    accessSync(stat === undefined ? dir : path, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: not writable (permission denied)`);
  }
}
