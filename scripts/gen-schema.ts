/**
 * `npm run gen:schema`: write docs/scenario.schema.json from the zod scenario schema (the file editors
 * use to complete and check scenario files). test/scenario/jsonSchema.test.ts fails when it is stale.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenario/jsonSchema.ts';

const out = fileURLToPath(new URL('../docs/scenario.schema.json', import.meta.url));
writeFileSync(out, scenarioJsonSchemaText());
// Keep the file as the formatter wants it, so `biome check .` stays clean.
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
execFileSync(biome, ['format', '--write', out], { stdio: 'ignore' });
process.stdout.write(`wrote ${out}\n`);
