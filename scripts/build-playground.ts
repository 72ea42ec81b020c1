/**
 * `npm run build:playground`: the simulator and the inspector page as static files that run in a browser
 * alone — no Node, no server, no install. Writes `index.html` (the inspector page, switched to its Web
 * Worker transport) and `sim.js` (src/inspector/playground.ts bundled by esbuild for the browser) into
 * `dist/playground/`, or the folder given as the first argument. Any static host serves that folder.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUT = join(ROOT, 'dist', 'playground');

/** The inspector page for the playground: worker transport, no server nonce, its own title. */
export function playgroundPage(template: string): string {
  const page = template
    .replace('<html lang="en">', '<html lang="en" data-transport="worker">')
    .replaceAll(' nonce="__NONCE__"', '')
    .replace('<title>vhost-sim inspector</title>', '<title>vhost-sim playground</title>')
    .replace('<h1>vhost-sim inspector</h1>', '<h1>vhost-sim playground</h1>');
  if (!page.includes('data-transport="worker"') || page.includes('__NONCE__')) {
    throw new Error('page.html no longer has the markers the playground build rewrites');
  }
  return page;
}

/** Build the playground into `outDir`; returns the files written. */
export async function buildPlayground(outDir: string = DEFAULT_OUT): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const template = readFileSync(join(ROOT, 'src', 'inspector', 'page.html'), 'utf8');
  const html = join(outDir, 'index.html');
  writeFileSync(html, playgroundPage(template));
  const js = join(outDir, 'sim.js');
  await build({
    entryPoints: [join(ROOT, 'src', 'inspector', 'playground.ts')],
    outfile: js,
    bundle: true,
    // A browser bundle: a node: import on the simulation's path fails the build instead of being shimmed.
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return [html, js];
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? DEFAULT_OUT);
  const files = await buildPlayground(out);
  process.stdout.write(`playground: ${files.length} files in ${out} (serve the folder, open index.html)\n`);
}
