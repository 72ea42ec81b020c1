import { readFileSync } from 'node:fs';

/**
 * The vhost-sim version from package.json: recorded in every result, part of every queue job id. The file
 * is one folder up from src/version.ts and two from the compiled dist/src/version.js.
 */
export const VERSION: string = (() => {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8'));
      if (pkg.name === 'vhost-sim') return String(pkg.version);
    } catch {}
  }
  return 'unknown';
})();
