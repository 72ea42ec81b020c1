/**
 * `npm run gen:calibration`: write docs/calibration.md from the calibration table in
 * src/model/calibration.ts. test/model/calibration.test.ts fails when it is stale.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { calibrationMarkdown } from '../src/scenario/calibrationDoc.ts';

const out = fileURLToPath(new URL('../docs/calibration.md', import.meta.url));
writeFileSync(out, calibrationMarkdown());
// Pad the tables as the formatter wants them, so `biome check .` stays clean.
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
execFileSync(biome, ['format', '--write', out], { stdio: 'ignore' });
process.stdout.write(`wrote ${out}\n`);
