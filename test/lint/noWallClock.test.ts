/**
 * Determinism guard: simulation code must take time and randomness only from SimKernel / RandomStream.
 * A grep-based test (rather than a lint plugin) so it cannot be silently disabled by config drift.
 * src/cli and src/inspector talk to the real world and are exempt.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCAN_DIRS = ['src', 'machines'];
// src/api/yield.ts: the async run's turn of the event loop between chunks (when, never what, it computes).
// src/sweep/queue.ts: the Redis client's timeouts and watchdog (it talks to a server, never simulates).
const EXEMPT = ['src/cli/', 'src/inspector/', 'src/api/yield.ts', 'src/sweep/queue.ts'];
const EXTENSIONS = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

const FORBIDDEN: Array<[string, RegExp]> = [
  ['Date.now', /\bDate\s*\.\s*now\b/],
  ['new Date()', /\bnew\s+Date\s*\(\s*\)/],
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['process.hrtime', /\bprocess\s*\.\s*hrtime\b/],
  // Bare or globalThis-qualified timers; `clock.setTimeout(...)` and `{ setTimeout: ... }` keys are fine.
  ['setTimeout', /(?<![\w$.])setTimeout\b(?!\s*:)|\bglobalThis\s*\.\s*setTimeout\b/],
  ['setInterval', /(?<![\w$.])setInterval\b(?!\s*:)|\bglobalThis\s*\.\s*setInterval\b/],
  ['setImmediate', /(?<![\w$.])setImmediate\b(?!\s*:)|\bglobalThis\s*\.\s*setImmediate\b/],
];

/** Blank out comments (keeping line numbers) so prose like "never call Date.now" is allowed. */
function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:\\])\/\/.*$/gm, (_m, pre: string) => pre);
}

function findViolations(source: string): string[] {
  const found: string[] = [];
  const lines = stripComments(source).split('\n');
  lines.forEach((line, i) => {
    for (const [name, re] of FORBIDDEN) if (re.test(line)) found.push(`${i + 1}: ${name}`);
  });
  return found;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (EXTENSIONS.test(name)) out.push(full);
  }
}

function scannedFiles(): string[] {
  const files: string[] = [];
  for (const d of SCAN_DIRS) {
    const abs = join(ROOT, d);
    if (existsSync(abs)) walk(abs, files);
  }
  return files
    .map((f) => relative(ROOT, f).split(sep).join('/'))
    .filter((f) => !EXEMPT.some((e) => f.startsWith(e)))
    .sort();
}

describe('no wall-clock time or ambient randomness in simulation code', () => {
  it('the detector catches what it should and ignores what it should', () => {
    expect(findViolations('const t = Date.now();')).toEqual(['1: Date.now']);
    expect(findViolations('x = Math.random()')).toEqual(['1: Math.random']);
    expect(findViolations('performance.now()')).toEqual(['1: performance.now']);
    expect(findViolations('setTimeout(f, 1)')).toEqual(['1: setTimeout']);
    expect(findViolations('globalThis.setInterval(f, 1)')).toEqual(['1: setInterval']);
    expect(findViolations("import { setTimeout } from 'node:timers/promises'")).toEqual(['1: setTimeout']);
    expect(findViolations('clock.setTimeout(f, 1); const c = { setTimeout: f };')).toEqual([]);
    expect(findViolations('// never use Date.now\n/* Math.random */ const a = 1;')).toEqual([]);
    expect(findViolations("const url = 'http://x'; Date.now()")).toEqual(['1: Date.now']);
  });

  it('src/ and machines/ (except src/cli, src/inspector) are clean', () => {
    const files = scannedFiles();
    expect(files.length).toBeGreaterThan(0);
    const violations = files.flatMap((f) =>
      findViolations(readFileSync(join(ROOT, f), 'utf8')).map((v) => `${f}:${v}`),
    );
    expect(violations).toEqual([]);
  });
});
