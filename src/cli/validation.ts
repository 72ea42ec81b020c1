/**
 * `vhost-sim validation`: run every validation row (src/validation/rows.ts) on the current model and write
 * docs/validation.md and docs/validation.json. Registered by `addValidationCommand`.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { validationMarkdown } from '../validation/render.ts';
import { rows } from '../validation/rows.ts';
import { runValidation } from '../validation/run.ts';
import { VERSION } from '../version.ts';

interface ValidationOpts {
  md: string;
  json: string;
  rows?: string[];
}

/** `--rows a,b`: known row ids only. */
function rowIds(value: string): string[] {
  const ids = value.split(',').map((s) => s.trim());
  const unknown = ids.find((id) => !rows.some((r) => r.id === id));
  if (unknown !== undefined) {
    throw new InvalidArgumentError(`unknown row '${unknown}' (rows: ${rows.map((r) => r.id).join(', ')})`);
  }
  return ids;
}

export function addValidationCommand(program: Command): void {
  program
    .command('validation')
    .description('run the validation rows (published figures, queueing theory) and write the table')
    .option('--md <file>', 'Markdown table to write', 'docs/validation.md')
    .option(
      '--json <file>',
      'JSON to write (results and the scenarios resolved in full)',
      'docs/validation.json',
    )
    .option('--rows <ids>', 'comma-separated row ids (default: all)', rowIds)
    .action(async (o: ValidationOpts) => {
      const wanted = o.rows;
      const selected = wanted === undefined ? rows : rows.filter((r) => wanted.includes(r.id));
      const { results, scenarios } = runValidation(selected, {
        onRow: (r) =>
          process.stderr.write(`${r.id}: ${r.value} ${r.unit} [${r.band.join(', ')}] ${r.status}\n`),
      });
      await writeFile(o.md, `${validationMarkdown(results, 'npm run validation')}\n`);
      const json = { version: VERSION, node: process.version, results, scenarios };
      await writeFile(o.json, `${JSON.stringify(json, null, 1)}\n`);
      // Pad the tables and wrap the JSON as the formatter wants them, so `biome check .` stays clean.
      const biome = fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url));
      try {
        execFileSync(biome, ['format', '--write', o.md, o.json], { stdio: 'ignore' });
      } catch {
        // Files outside the project (another --md/--json) are left as written.
      }
      const passed = results.filter((r) => r.status === 'pass').length;
      process.stdout.write(`${passed} of ${results.length} rows pass; wrote ${o.md} and ${o.json}\n`);
    });
}
