/**
 * `npm run gen:schema`: write docs/scenario.schema.json from the zod scenario schema (the file editors
 * use to complete and check scenario files) and src/scenario/fieldDocs.ts (the fields' TSDoc, for
 * `vhost-sim init`). test/scenario/jsonSchema.test.ts and test/scenario/fieldDocs.test.ts fail when stale.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenario/jsonSchema.ts';
import { fieldDocsText } from './gen-field-docs.ts';

const out = fileURLToPath(new URL('../docs/scenario.schema.json', import.meta.url));
writeFileSync(out, scenarioJsonSchemaText());
// Keep the file as the formatter wants it, so `biome check .` stays clean.
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
execFileSync(biome, ['format', '--write', out], { stdio: 'ignore' });
process.stdout.write(`wrote ${out}\n`);
// The fields' TSDoc for `vhost-sim init` (src/scenario/fieldDocs.ts), from the same model types.
const docs = fileURLToPath(new URL('../src/scenario/fieldDocs.ts', import.meta.url));
writeFileSync(docs, fieldDocsText());
execFileSync(biome, ['format', '--write', docs], { stdio: 'ignore' });
process.stdout.write(`wrote ${docs}\n`);
