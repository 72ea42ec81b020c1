import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT } from '../cliRun.ts';

/**
 * The API reference builds: `npm run docs:api` writes it to docs/api/ with TypeDoc (typedoc.json); here
 * TypeDoc checks the same entry point without writing, and any warning (a broken {@link}, a comment
 * TypeDoc cannot read) fails the test.
 */
it('TypeDoc builds the API reference of src/index.ts without a warning', async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none', '--treatWarningsAsErrors'],
    { cwd: ROOT, maxBuffer: 16 << 20 },
  );
  expect(`${stdout}${stderr}`).not.toMatch(/\[warning\]|\[error\]/);
}, 600_000);
