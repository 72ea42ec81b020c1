import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliRun.ts';

const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-inspect-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vhost-sim inspect: the VM bound', () => {
  it('refuses a scenario file with more VMs than the flag allows, in one line, exit 2', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify({ vms: 4000 }));
    const out = await runCli(['inspect', file, '--port', '0']);
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe(
      'vhost-sim: error: scenario.vms: the inspector shows at most 256 VMs (here 4000)',
    );
    expect(out.stdout).toBe('');
  }, 60_000);

  it('refuses a file whose threads exceed the bound even with few VMs', async () => {
    const file = join(dir, 'threads.yaml');
    writeFileSync(file, 'vms: 200\nvcpusPerVm: 8\n');
    const out = await runCli(['inspect', file, '--port', '0']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^vhost-sim: error: scenario\.vms: .*threads.*\(here 1800\)\n$/);
  }, 60_000);
});
