import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary, fuzz } from '../../scripts/fuzz-lib.ts';

/**
 * A sample of `npm run fuzz` (which runs 10,000 cases; see docs/robustness.md): random and mutated scenario
 * files end in a clean one-line error or a valid run, in-process and through the real CLI. FUZZ_SEED
 * picks another sample.
 */
describe('fuzzing scenario files (sample)', () => {
  it('300 files in-process and 16 through child processes: no crash, no hang', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20_240_508);
    const s = await fuzz({
      seed,
      cases: 300,
      processes: 16,
      jobs: 4,
      timeoutMs: 45_000,
      dir: mkdtempSync(join(tmpdir(), 'vhost-sim-fuzz-')),
    });
    const report = formatSummary(s);
    expect(s.crashes, report).toBe(0);
    expect(s.hangs, report).toBe(0);
    expect(s.cases).toBe(300);
    // The sample exercises both outcomes, in-process and through the CLI.
    expect(s.ran, report).toBeGreaterThan(20);
    expect(s.errors, report).toBeGreaterThan(100);
    expect(s.processes.cases).toBe(16);
    expect(s.processes.exit0, report).toBeGreaterThan(0);
    expect(s.processes.exit2, report).toBeGreaterThan(0);
  });
});
