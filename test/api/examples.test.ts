import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cliRun.ts';
import { publicApi } from './publicApi.ts';

/**
 * Every value the package exports (src/index.ts) carries a TSDoc `@example` with a ```ts block, and
 * every such block runs as written: with `'vhost-sim'` pointed at src/index.ts, all of them in one node
 * process (tsx loads the TypeScript; one start instead of one per example), one module after the other, in
 * a folder that holds `./my-policy.js`, the file the policy-module example names.
 */
const exec = promisify(execFile);
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const entry = pathToFileURL(join(ROOT, 'src/index.ts')).href;
const api = publicApi();
const examples = [
  ...api.moduleExamples.map((code, i) => ({ name: `src/index.ts #${i + 1}`, code })),
  ...api.exports.flatMap((e) => e.examples.map((code, i) => ({ name: `${e.name} #${i + 1}`, code }))),
].map((e) => ({ ...e, code: e.code.replaceAll("'vhost-sim'", `'${entry}'`) }));

const MARK = '\u0000example';
/** Per example: what it printed, and its error if it threw. */
const ran = new Map<string, { stdout: string; error?: string }>();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vhost-sim-examples-'));
  writeFileSync(
    join(dir, 'my-policy.js'),
    `export default class OneWorker {
  name = 'one-worker';
  picks = 0;
  createWorkers() { return [{ name: 'one', allowed: [0], vm: -1, mode: 'sleep', datapath: 'kernel', busyPollNs: 0 }]; }
  selectWorker() { this.picks++; return 0; }
  workFinished() {}
}
`,
  );
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json')); // "type": "module" for my-policy.js
  const files = examples.map((e, i) => {
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(file, e.code);
    return { name: e.name, url: pathToFileURL(file).href };
  });
  // Each example's output follows its mark; an example that throws is reported and the next one runs.
  writeFileSync(
    join(dir, 'run.ts'),
    `for (const { name, url } of ${JSON.stringify(files)}) {
  process.stdout.write(${JSON.stringify(MARK)} + ' ' + name + '\\n');
  try { await import(url); } catch (err) { process.stdout.write(${JSON.stringify(`${MARK}-error`)} + ' ' + (err?.stack ?? err) + '\\n'); }
}
`,
  );
  const { stdout } = await exec(process.execPath, ['--import', tsx, join(dir, 'run.ts')], {
    cwd: dir,
    maxBuffer: 64 << 20,
  });
  for (const part of stdout.split(`${MARK} `).slice(1)) {
    const name = part.slice(0, part.indexOf('\n'));
    const [out = '', error] = part.slice(name.length + 1).split(`${MARK}-error `);
    ran.set(name, error === undefined ? { stdout: out } : { stdout: out, error });
  }
}, 900_000);

describe('TSDoc examples', () => {
  it('every value export of src/index.ts has one', () => {
    const values = api.exports.filter((e) => e.value);
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter((e) => e.examples.length === 0).map((e) => e.name)).toEqual([]);
    expect(api.moduleExamples.length).toBeGreaterThan(0);
  });

  it('the check sees an export without one, and a type needs none', () => {
    const fixture = publicApi(join(ROOT, 'test/api/fixtures/undocumented.ts')).exports;
    const seen = fixture.map(({ name, value, examples }) => ({ name, value, n: examples.length }));
    expect(seen.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'documented', value: true, n: 1 },
      { name: 'Options', value: false, n: 0 },
      { name: 'undocumented', value: true, n: 0 },
    ]);
  });

  it.each(examples)('$name runs', ({ name }) => {
    const r = ran.get(name);
    expect(r, 'the run stopped before this example').toBeDefined();
    expect(r?.error).toBeUndefined();
    expect(r?.stdout.length).toBeGreaterThan(0);
  });
});
