import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { printable } from '../../src/cli/printable.ts';
import { loadScenarioFile, MAX_SCENARIO_BYTES } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-load-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const refusal = (path: string): string => {
  try {
    loadScenarioFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error(`${path} was accepted`);
};

afterEach(() => {
  delete process.env.VHOST_SIM_MAX_SCENARIO_BYTES;
});

describe('scenario files: only regular files of bounded size', () => {
  it('a FIFO is refused at once instead of blocking on its read', () => {
    const fifo = join(dir, 'pipe.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(refusal(fifo)).toMatch(/is a FIFO/);
  });

  it('a link to a device that never ends (/dev/zero) is refused', () => {
    const link = join(dir, 'zero.json');
    symlinkSync('/dev/zero', link);
    expect(refusal(link)).toMatch(/not a regular file/);
  });

  it('a file over the limit is refused before it is read; the limit is 1 MiB unless set', () => {
    expect(MAX_SCENARIO_BYTES).toBe(1024 * 1024);
    const big = file('big.json', `{"vms": 1, "pad": "${'x'.repeat(MAX_SCENARIO_BYTES)}"}`);
    expect(refusal(big)).toMatch(/larger than the limit of 1048576/);
    process.env.VHOST_SIM_MAX_SCENARIO_BYTES = '8';
    expect(refusal(file('small.json', '{"vms": 12}'))).toMatch(/11 bytes, larger than the limit of 8/);
  });
});

describe('scenario files: prototype keys are refused, not dropped', () => {
  for (const key of ['__proto__', 'prototype', 'constructor']) {
    it(`${key} at the top level and nested, in JSON and YAML`, () => {
      expect(refusal(file(`${key}-top.json`, `{"vms": 2, "${key}": {"vms": 9}}`))).toContain(`key '${key}'`);
      expect(refusal(file(`${key}-nested.json`, `{"workload": {"${key}": {"instances": 4}}}`))).toContain(
        `key 'workload.${key}'`,
      );
      expect(refusal(file(`${key}-top.yaml`, `vms: 2\n${key}:\n  vms: 9\n`))).toContain(`key '${key}'`);
      expect(refusal(file(`${key}-nested.yaml`, `workload:\n  ${key}:\n    instances: 4\n`))).toContain(
        `key 'workload.${key}'`,
      );
    });
  }

  it('duplicate YAML keys are still refused (checked in one pass per mapping)', () => {
    expect(refusal(file('dup.yaml', 'workload:\n  instances: 2\n  instances: 3\n'))).toMatch(
      /'workload.instances' appears twice/,
    );
    expect(loadScenarioFile(file('ok.yaml', 'vms: 2\nworkload:\n  instances: 3\n'))).toEqual({
      vms: 2,
      workload: { instances: 3 },
    });
  });
});

describe('printable', () => {
  it('escapes terminal control characters and keeps the error on one line', () => {
    expect(printable('bad \u001b[31mred\u001b[0m\nvalue\u0007 ok é')).toBe(
      'bad \\u001b[31mred\\u001b[0m value\\u0007 ok é',
    );
  });
});
