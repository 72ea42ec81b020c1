import { readFileSync } from 'node:fs';

/** The vhost-sim version from package.json: recorded in every result, part of every queue job id. */
export const VERSION: string = (() => {
  try {
    return String(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  } catch {
    return 'unknown';
  }
})();
