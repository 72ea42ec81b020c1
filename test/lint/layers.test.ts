import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers, lowest first (docs/architecture.md). A file may import from its own layer or a lower one,
 * never from a higher one, so that, for instance, the host kernel's shared state stays below the machines
 * that act on it and no circle runs across layers. A folder not listed here fails the test until it is
 * placed.
 */
const layers: string[][] = [
  ['src/model', 'src/kernel', 'src/version.ts', 'src/optional.ts'],
  ['src/sched', 'src/vhost', 'src/workloads', 'src/guest'],
  ['src/policies'],
  ['src/host'],
  ['machines'],
  ['src/metrics'],
  ['src/scenario'],
  ['src/runtime'],
  ['src/sweep', 'src/sensitivity', 'src/charts', 'src/validation'],
  ['src/inspector', 'src/cli', 'src/api', 'src/index.ts'],
];

const root = resolve(import.meta.dirname, '../..');

function layerOf(file: string): number {
  const rel = relative(root, file);
  const i = layers.findIndex((l) => l.some((p) => rel === p || rel.startsWith(`${p}/`)));
  if (i < 0) throw new Error(`${rel} is in no layer: place its folder in test/lint/layers.test.ts`);
  return i;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mts|mjs)$/.test(e.name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
    resolve(dirname(file), m[1] as string),
  );
}

describe('layering', () => {
  const files = [...sources(join(root, 'src')), ...sources(join(root, 'machines'))];

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('no file imports from a layer above its own', () => {
    const upward = files.flatMap((f) =>
      imports(f)
        .filter((t) => layerOf(t) > layerOf(f))
        .map((t) => `${relative(root, f)} -> ${relative(root, t)}`),
    );
    expect(upward).toEqual([]);
  });

  it('the rule would catch an upward import', () => {
    // machines/ sit above the host state: a host file importing a machine is the circle this test forbids.
    expect(layerOf(join(root, 'machines/port.ts'))).toBeGreaterThan(layerOf(join(root, 'src/host/host.ts')));
  });
});
