import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliOut, runCli } from '../cliRun.ts';

const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-validate-'));

function validate(name: string, text: string): Promise<CliOut> {
  const file = join(dir, name);
  writeFileSync(file, text);
  return runCli(['validate', file]);
}

describe.concurrent('vhost-sim validate', () => {
  it('prints ok and exits 0 for a valid file (an editor $schema key is allowed)', async () => {
    const out = await validate(
      'ok.json',
      JSON.stringify({ $schema: '../docs/scenario.schema.json', vms: 4, model: 'per-cpu', profile: '2x64' }),
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(`ok: ${join(dir, 'ok.json')}\n`);
    expect(out.stderr).toBe('');
  });

  it('exits 2 with one line naming the field, the value and what was expected', async () => {
    const out = await validate('nan.yaml', 'profile:\n  costs:\n    vmExitNs: .nan\n');
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      'vhost-sim: error: scenario.profile.costs.vmExitNs: expected an integer number of ns 0..10000000000, got NaN\n',
    );
  });

  it('reports every error at once, an unknown key with the known key it is nearest to', async () => {
    const out = await validate(
      'many.yaml',
      'vms: 0\nworkload:\n  requestbytes: 10\n  kind: tcp_rr\nseed: -1\n',
    );
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    const lines = out.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/^vhost-sim: error: scenario\./);
    expect(out.stderr).toContain(
      "scenario.workload.requestbytes: unknown key (did you mean 'requestBytes'?)",
    );
    expect(out.stderr).toContain('scenario.vms: expected an integer 1..4096, got 0');
    expect(out.stderr).toContain('scenario.seed: expected an integer 0..2147483647, got -1');
  });
});
