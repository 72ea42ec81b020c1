import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFaults, runFaultCases } from '../../scripts/fuzz-faults.ts';

/**
 * The fault cases of `npm run fuzz` (scripts/fuzz-faults.ts; docs/robustness.md): each command line of a
 * fault the audit found ends in its one-line refusal (or its expected output), no stack trace, no raw
 * control character, no password shown, in time.
 */
describe('fault cases of the fuzzer', () => {
  it('every case ends as it must', async () => {
    const out = await runFaultCases(mkdtempSync(join(tmpdir(), 'vhost-sim-faults-')), 3);
    expect(out.length).toBeGreaterThanOrEqual(21);
    expect(
      out.filter((o) => o.problem !== null),
      formatFaults(out),
    ).toEqual([]);
  }, 600_000);
});
