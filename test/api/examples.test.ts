import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cliRun.ts';

/**
 * The TSDoc examples of the library's entry points run as written: each `@example` block, with
 * `'vhost-sim'` pointed at src/index.ts, runs in its own node process (tsx loads the TypeScript) in a
 * folder that holds `./my-policy.js`, the file the policy-module example names.
 */
const exec = promisify(execFile);
const FILES = [
  'src/index.ts',
  'src/api/simulation.ts',
  'src/api/runAsync.ts',
  'src/api/sweep.ts',
  'src/api/sensitivity.ts',
  'src/policies/module.ts',
];
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const entry = pathToFileURL(join(ROOT, 'src/index.ts')).href;
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

const examples = FILES.flatMap((file) =>
  [
    ...readFileSync(join(ROOT, file), 'utf8').matchAll(/@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g),
  ].map((m, i) => ({
    name: `${file} #${i + 1}`,
    code: (m[1] as string).replace(/^\s*\* ?/gm, '').replaceAll("'vhost-sim'", `'${entry}'`),
  })),
);

describe('TSDoc examples', () => {
  it('finds one on each entry point', () => {
    expect(examples.length).toBeGreaterThanOrEqual(FILES.length + 1);
    for (const f of FILES)
      expect(
        examples.some((e) => e.name.startsWith(f)),
        f,
      ).toBe(true);
  });

  it.each(examples)(
    '$name runs',
    async ({ name, code }) => {
      const file = join(dir, `${name.replace(/\W+/g, '_')}.ts`);
      writeFileSync(file, code);
      const { stdout } = await exec(process.execPath, ['--import', tsx, file], {
        cwd: dir,
        maxBuffer: 16 << 20,
      });
      expect(stdout.length).toBeGreaterThan(0);
    },
    240_000,
  );
});
