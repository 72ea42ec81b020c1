import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimSystem } from '../../src/runtime/system.ts';
import { defaultScenario } from '../../src/scenario/defaults.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';

describe('errors surface where they happen', () => {
  it('a bad delay computed inside the simulation throws from the kernel run, not later from RxJS', () => {
    // Bypasses validation on purpose: a fractional nanosecond delay would be a simulation bug.
    const s = defaultScenario();
    s.profile.nic.txNs = 0.5;
    const sys = new SimSystem(s);
    sys.start();
    expect(() => sys.kernel.run({ untilNs: 1_000_000 })).toThrow(/delayNs must be a non-negative integer/);
  });

  it('a misspelled profile name in a scenario file is an error, not a custom profile', () => {
    const file = join(tmpdir(), 'vhost-sim-bogus-profile.yaml');
    writeFileSync(file, 'profile: x3650m2\n');
    expect(() => loadScenarioFile(file)).toThrow(/scenario\.profile: expected a profile name/);
  });
});
