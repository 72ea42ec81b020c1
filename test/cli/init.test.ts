/**
 * `vhost-sim init` (issue 20.5): the example scenario loads back as the default scenario, names every
 * field of the schema with a comment, and works with validate and run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initScenarioJson, initScenarioYaml } from '../../src/cli/init.ts';
import { scenarioJsonSchema } from '../../src/scenario/jsonSchema.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { runCli } from '../cliRun.ts';

const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-init-'));

interface Node {
  properties?: Record<string, Node>;
  anyOf?: Node[];
}
/** Every field path of the scenario file's JSON Schema (`profile` through its object alternative). */
function schemaPaths(n: Node, prefix = ''): string[] {
  const fields = n.properties ?? n.anyOf?.find((a) => a.properties)?.properties;
  if (fields === undefined) return [prefix];
  return Object.entries(fields)
    .filter(([k]) => k !== '$schema')
    .flatMap(([k, v]) => schemaPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('vhost-sim init', () => {
  const yaml = initScenarioYaml();

  it('the YAML and the JSON load back as the default scenario', () => {
    for (const [name, text] of [
      ['init.yaml', yaml],
      ['init.json', initScenarioJson()],
    ]) {
      const file = join(tmp, name);
      writeFileSync(file, text);
      expect(resolveScenario(loadScenarioFile(file)), name).toEqual(resolveScenario({}));
    }
  });

  it('names every field of the schema, each under a comment (a field absent by default commented out)', () => {
    const lines = yaml.split('\n');
    const paths = schemaPaths(scenarioJsonSchema() as Node);
    expect(paths.length).toBeGreaterThan(100);
    for (const path of paths) {
      // Walk the path down the indentation: each key found below its parent's line, one level deeper.
      let at = -1;
      path.split('.').forEach((key, depth) => {
        const re = new RegExp(`^${'  '.repeat(depth)}(# )?${key}:( |$)`);
        const next = lines.findIndex((l, i) => i > at && re.test(l));
        expect(next, `${path}: ${key}`).toBeGreaterThan(at);
        at = next;
      });
      expect(lines[at - 1].trim(), path).toMatch(/^# /);
    }
  });

  it('writes a file that validate accepts and run runs; an existing file is kept unless --force', async () => {
    const file = join(tmp, 'scenario.yaml');
    const made = await runCli(['init', file]);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(yaml);
    const [valid, run, again, bad] = await Promise.all([
      runCli(['validate', file]),
      runCli(['run', file, '--duration', '0.002', '--warmup', '0.001', '--format', 'json']),
      runCli(['init', file]),
      runCli(['init', join(tmp, 'scenario.txt')]),
    ]);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/^ok: /);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).scenario).toEqual(resolveScenario({ durationS: 0.002, warmupS: 0.001 }));
    for (const [out, re] of [
      [again, /init .*scenario\.yaml: the file exists; --force replaces it/],
      [bad, /expected a \.yaml, \.yml or \.json file name/],
    ] as const) {
      expect(out.code).toBe(2);
      expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(out.stderr).toMatch(re);
    }
    writeFileSync(file, 'vms: 2\n');
    const forced = await runCli(['init', file, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(yaml);
  });
});
