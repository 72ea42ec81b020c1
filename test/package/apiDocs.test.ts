import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { publicApi } from '../api/publicApi.ts';
import { ROOT } from '../cliRun.ts';

/**
 * The API reference builds: `npm run docs:api` writes it to docs/api/ with TypeDoc (typedoc.json); here
 * the same build goes to a temporary folder, where any warning (a broken {@link}, a type the exported
 * signatures use but the package does not export, a comment TypeDoc cannot read) fails the test, and
 * every export of src/index.ts must have its entry.
 */
const out = mkdtempSync(join(tmpdir(), 'vhost-sim-api-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('TypeDoc builds the API reference of src/index.ts without a warning, an entry for every export', async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out, '--treatWarningsAsErrors'],
    { cwd: ROOT, maxBuffer: 16 << 20 },
  );
  expect(`${stdout}${stderr}`).not.toMatch(/\[warning\]|\[error\]/);
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  const missing = publicApi()
    .exports.map((e) => e.name)
    .filter((name) => !new RegExp(`>${name}</`).test(index));
  expect(missing).toEqual([]);
}, 600_000);
