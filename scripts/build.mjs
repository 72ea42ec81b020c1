// npm run build: the published package's dist/. tsc compiles src/ and machines/ to ESM JavaScript with
// .d.ts (tsconfig.build.json); the two files the code reads beside itself are copied as they are.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
const at = (p) => new URL(p, root);
// dist/playground/ is the inspector's browser build (npm run build:playground): left alone.
for (const dir of ['dist/src', 'dist/machines']) rmSync(at(dir), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', at('tsconfig.build.json').pathname], { stdio: 'inherit' });
for (const file of ['src/inspector/page.html', 'src/sweep/worker.mjs'])
  copyFileSync(at(file), at(`dist/${file}`));
