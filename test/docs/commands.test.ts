import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../cliRun.ts';

/**
 * The documented command lines keep working: every `npx vhost-sim …` line of a shell block in the README
 * and in docs/ runs as written (but `inspect` and `worker`, servers with tests of their own, `--queue`
 * lines, which need Redis, and `--compare` lines, which read finished studies), with only its files moved to a temporary folder and the simulated
 * time cut short (options the line takes anyway; the last of a repeated option wins).
 */
const tmp = mkdtempSync(join(tmpdir(), 'vhost-sim-readme-'));
writeFileSync(join(tmp, 'my-scenario.yaml'), 'vms: 2\nmodel: per-cpu\n');

const markdown = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(dir, f));
const DOCS = ['README.md', ...markdown('docs'), ...markdown('docs/guide')];

/** The `npx vhost-sim` lines of a file's shell blocks, continuations joined, as argument lists. */
function commandsIn(file: string): string[][] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ' '));
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('npx vhost-sim '))
    .map((line) => line.split(/\s+/).slice(2));
}

/** The line's arguments with its files in `tmp` and a short run. */
function shortened(args: string[]): string[] {
  const out = args.map((a) =>
    a === 'my-scenario.yaml' || a === 'trace.json' || a === 'results/talk'
      ? join(tmp, a.replace('/', '-'))
      : a,
  );
  const has = (flag: string) => out.includes(flag);
  const command = out[0];
  if (command === 'run' || command === 'sweep') out.push('--duration', '0.002', '--warmup', '0.001');
  if (command === 'reproduce') {
    out.push('--duration', '0.002', '--set', 'warmupS=0.001');
    if (!has('--reps')) out.push('--reps', '1');
  }
  // A study's size is the point of its line: check it parses and print its estimate, not hours of runs.
  if (command === 'sensitivity') out.push('--duration', '0.002', '--warmup', '0.001', '--estimate');
  if ((command === 'sweep' || command === 'reproduce') && !has('--out')) {
    out.push('--out', join(tmp, `out-${out.join('_').replace(/[^\w.-]/g, '')}`.slice(0, 120)));
  }
  if (command === 'sweep' || command === 'reproduce') out.push('--no-charts');
  return out;
}

const cli = (args: string[]) => runCli(args, { cwd: tmp });

// `sensitivity --compare` reads the folders of finished studies (tested in test/cli/sensitivity.test.ts).
const runnable = (args: string[]) =>
  args[0] !== 'inspect' && args[0] !== 'worker' && !args.includes('--queue') && !args.includes('--compare');

describe('documented command lines', () => {
  it('finds the README examples', () => {
    expect(commandsIn('README.md').map((c) => c[0])).toEqual(
      expect.arrayContaining(['run', 'sweep', 'reproduce', 'diagram', 'validate']),
    );
    expect(commandsIn('docs/guide/tutorial.md').length).toBeGreaterThanOrEqual(5);
  });

  it.each(DOCS.filter((f) => commandsIn(f).some(runnable)))(
    '%s: every one runs, in order, with exit status 0',
    async (file) => {
      for (const args of commandsIn(file).filter(runnable)) {
        const r = await cli(shortened(args));
        expect(r.code, `${file}: vhost-sim ${args.join(' ')}: ${r.stderr}`).toBe(0);
        expect(r.stdout.length, `${file}: vhost-sim ${args.join(' ')}`).toBeGreaterThan(0);
      }
    },
    300_000,
  );
});
