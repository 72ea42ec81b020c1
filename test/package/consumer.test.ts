import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicApi } from '../api/publicApi.ts';
import { ROOT } from '../cliRun.ts';

/**
 * The published package as a new user gets it: `npm pack` (which builds dist/), the tarball installed
 * into an empty project, then used there with plain `node` and `tsc` — no tsx, no sources — and checked
 * by publint and Are the Types Wrong.
 */
const exec = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-consumer-'));
const app = join(tmp, 'app');
const installed = join(app, 'node_modules', 'vhost-sim');
let tarball = '';
let packed: string[] = [];

/** Run a command; resolves with its exit code and output instead of throwing. */
async function run(file: string, args: string[], cwd = app) {
  try {
    const { stdout, stderr } = await exec(file, args, {
      cwd,
      env: { ...process.env, CI: '1', VHOST_SIM_DEBUG: '' },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof err.code === 'number' ? err.code : 1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    };
  }
}

/** The README's "As a library" example, as written. */
const readmeExample = () => {
  const m = /As a library:\s*```ts\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  if (m === null) throw new Error('README.md has no "As a library" ts block');
  return m[1];
};

beforeAll(async () => {
  const pack = await run('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  tarball = join(tmp, info.filename);
  packed = info.files.map((f: { path: string }) => f.path);
  await exec('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  const types = `@types/node@${pkg.devDependencies['@types/node']}`;
  const inst = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, types]);
  expect(inst.code, inst.stderr).toBe(0);
}, 600_000);

// Removing the installed project takes seconds on a loaded machine: more than the 10 s hook default.
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 120_000);

describe('the published package', () => {
  it('ships the build, the launcher and the docs of the package only', () => {
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']));
    expect(packed).toContain('dist/src/index.js');
    expect(packed).toContain('dist/src/index.d.ts');
    expect(packed).toContain('dist/src/sweep/worker.mjs');
    expect(packed).toContain('dist/src/inspector/page.html');
    const elsewhere = packed.filter(
      (f) =>
        !/^(dist|bin)\//.test(f) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(f),
    );
    expect(elsewhere).toEqual([]);
    expect(packed.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without dev tools or optional packages', () => {
    for (const dev of [
      'tsx',
      'typescript',
      'esbuild',
      'vitest',
      'bullmq',
      'vega',
      'vega-lite',
      '@resvg/resvg-js',
    ])
      expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
  });

  it("runs the README's library example with plain node", async () => {
    writeFileSync(join(app, 'example.mjs'), readmeExample());
    const r = await run(process.execPath, ['example.mjs']);
    expect(r.code, r.stderr).toBe(0);
    const [tps, eff] = r.stdout.split(/\s+/).map(Number);
    expect(tps).toBeGreaterThan(0);
    expect(eff).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(app, 'trace.json'), 'utf8')).traceEvents.length).toBeGreaterThan(0);
  }, 600_000); // 16 VMs for 1.1 s of virtual time: 10-20 s on a quiet machine, minutes on a loaded one

  it('type-checks a TypeScript consumer and every TSDoc example under strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess', async () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        include: ['*.ts'],
      }),
    );
    writeFileSync(join(app, 'example.ts'), readmeExample());
    // The API's examples (test/api/examples.test.ts runs them) against the shipped types.
    const api = publicApi();
    [...api.moduleExamples, ...api.exports.flatMap((e) => e.examples)].forEach((code, i) => {
      writeFileSync(join(app, `doc-example-${i}.ts`), code);
    });
    writeFileSync(
      join(app, 'typed.ts'),
      [
        "import { type Metrics, type Policy, resolveScenario, runScenario, type Scenario } from 'vhost-sim';",
        "const scenario: Scenario = resolveScenario({ model: 'per-cpu', vms: 2, durationS: 0.01 });",
        'const metrics: Metrics = runScenario(scenario).metrics;',
        'export const tps: number = metrics.throughput.value;',
        'export type P = Policy;',
        '',
      ].join('\n'),
    );
    const r = await run(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      '.',
    ]);
    // Every .d.ts is checked (skipLibCheck off); errors inside third-party declarations (xstate's own
    // under exactOptionalPropertyTypes) are theirs: ours and the consumer's files must have none.
    const ours = r.stdout
      .split('\n')
      .filter(
        (l) =>
          /error TS/.test(l) && (!l.startsWith('node_modules/') || l.startsWith('node_modules/vhost-sim/')),
      );
    expect(ours).toEqual([]);
    expect(r.stdout + r.stderr).not.toMatch(/Cannot find module 'vhost-sim'/);
  }, 300_000);

  it('runs the CLI from the compiled build: --version, a short run, a sweep on worker threads', async () => {
    const cli = join(app, 'node_modules', '.bin', 'vhost-sim');
    const v = await run(cli, ['--version']);
    expect(v.stdout.trim()).toBe(pkg.version);
    const r = await run(cli, ['run', '--duration', '0.002', '--warmup', '0.001']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Throughput/);
    const out = join(tmp, 'sweep');
    const s = await run(
      cli,
      ['sweep', '--vms-list', '1,2', '--duration', '0.002', '--warmup', '0.001'].concat([
        '--jobs',
        '2',
        '--no-charts',
        '--out',
        out,
      ]),
    );
    expect(s.code, s.stderr).toBe(0);
    expect(readFileSync(join(out, 'points.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);
  }, 120_000);

  it('names the optional package a feature needs, in one line, when it is missing', async () => {
    const cli = join(app, 'node_modules', '.bin', 'vhost-sim');
    const c = await run(cli, ['sweep', '--vms-list', '1', '--out', join(tmp, 'charts')]);
    expect(c.code).toBe(1);
    expect(c.stderr).toBe(
      'vhost-sim: error: charts: needs the optional packages vega, vega-lite, @resvg/resvg-js (npm i vega vega-lite @resvg/resvg-js); or pass --no-charts\n',
    );
    // sensitivity renders its charts with the same packages: refused before any run, in the same line.
    const sens = await run(cli, ['sensitivity', '--out', join(tmp, 'sens')]);
    expect(sens.code).toBe(1);
    expect(sens.stderr).toBe(c.stderr);
    const q = await run(cli, ['sweep', '--vms-list', '1', '--no-charts', '--queue', 'redis://127.0.0.1:1']);
    expect(q.code).toBe(1);
    expect(q.stderr).toBe('vhost-sim: error: --queue: needs the optional package bullmq (npm i bullmq)\n');
  });

  it('passes publint and Are the Types Wrong', async () => {
    const lint = await run(bin('publint'), ['--strict', '--pack', 'false', installed]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    // ESM only: CommonJS `require` of the package is not offered, so the esm-only profile.
    const attw = await run(bin('attw'), ['--profile', 'esm-only', tarball]);
    expect(attw.code, attw.stdout + attw.stderr).toBe(0);
  }, 120_000);
});
