#!/usr/bin/env node
// Launcher. Installed from npm, it runs the compiled CLI (dist/). In a source checkout (src/ is there,
// and the package ships only dist/) it runs the TypeScript sources through tsx, a devDependency, so
// the repository needs no build step and never runs a stale build.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  (await import('tsx/esm/api')).register();
  await import(source.href);
} else {
  await import('../dist/src/cli/main.js');
}
