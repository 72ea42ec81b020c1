/**
 * `vhost-sim init [file]` (issue 20.5): an example scenario with every field at its default, each with a
 * comment that says what it is (the model's TSDoc, src/scenario/fieldDocs.ts), what it accepts (the JSON
 * Schema) and, for a cost, its unit, evidence and plausible range (the calibration table). YAML with
 * comments on stdout or to a .yaml/.yml file; a .json file gets the same values without comments. It
 * loads back as it is: `vhost-sim validate FILE`, `vhost-sim run FILE`.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { calibrationRow } from '../model/calibration.ts';
import { fieldDocs } from '../scenario/fieldDocs.ts';
import { scenarioJsonSchema } from '../scenario/jsonSchema.ts';
import { profiles } from '../scenario/profiles.ts';
import { resolveScenario } from '../scenario/resolve.ts';
import { VERSION } from '../version.ts';
import { checkWritableFile } from './paths.ts';
import { UsageError } from './usageError.ts';

type Json = Record<string, unknown>;
interface SchemaNode {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The schema node of an object's fields: itself, or its object alternative (`profile`: a name or an object). */
const fieldsOf = (n: SchemaNode | undefined): Record<string, SchemaNode> =>
  n?.properties ?? n?.anyOf?.find((a) => a.properties !== undefined)?.properties ?? {};

const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** What a field accepts, in words, from its JSON Schema node. */
export function accepts(n: SchemaNode | undefined): string {
  if (n === undefined) return '';
  if (n.anyOf !== undefined) return n.anyOf.map(accepts).filter(Boolean).join(', or ');
  if (n.enum !== undefined) return `one of ${n.enum.map((v) => String(v)).join(', ')}`;
  const max = n.maximum !== undefined && n.maximum < Number.MAX_SAFE_INTEGER ? n.maximum : undefined;
  const range =
    n.minimum !== undefined && max !== undefined
      ? ` ${num(n.minimum)}..${num(max)}`
      : n.exclusiveMinimum !== undefined
        ? ` above ${num(n.exclusiveMinimum)}`
        : n.minimum !== undefined
          ? ` of at least ${num(n.minimum)}`
          : '';
  if (n.type === 'integer') return `an integer${range}`;
  if (n.type === 'number') return `a number${range}`;
  if (n.type === 'boolean') return 'true or false';
  if (n.type === 'string') return 'text';
  if (n.type === 'array') return `a list${n.items ? `, each ${accepts(n.items)}` : ''}`;
  return '';
}

/** The comment of the field at `path`: what it is, what it accepts, a cost's unit, evidence and range. */
function comment(path: string, node: SchemaNode | undefined, leaf: boolean): string[] {
  const out: string[] = [];
  const doc = fieldDocs[path];
  if (doc !== undefined) out.push(doc);
  if (leaf) {
    const row = calibrationRow(path);
    const what = accepts(node);
    const cost =
      row === undefined
        ? ''
        : `Calibration: ${row.unit === '' ? '' : `${row.unit}, `}${row.kind}${row.range ? `, plausible ${num(row.range.lo)}–${num(row.range.hi)}` : ''} (docs/calibration.md).`;
    const tail = [what && `Accepts ${what}.`, cost].filter(Boolean).join(' ');
    if (tail !== '') out.push(tail);
  }
  return out;
}

/** A YAML scalar or flow list: JSON is YAML, so strings are quoted only where plain text would be misread. */
function yamlValue(v: unknown): string {
  if (typeof v === 'string') {
    const plain = /^[A-Za-z_][\w.-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v);
    return plain ? v : JSON.stringify(v);
  }
  return JSON.stringify(v).replace(/,/g, ', ');
}

/** Wrap comment text to lines of at most `width` characters after the indent and `# `. */
function commentLines(texts: string[], indent: string, width = 100): string[] {
  const lines: string[] = [];
  for (const text of texts) {
    let line = '';
    for (const word of text.split(' ')) {
      if (line !== '' && indent.length + 2 + line.length + 1 + word.length > width) {
        lines.push(`${indent}# ${line}`);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '') lines.push(`${indent}# ${line}`);
  }
  return lines;
}

/** The commented YAML of `value` (an object), its fields described by `schema`, at `path`. */
function yamlObject(value: Json, schema: Record<string, SchemaNode>, path: string, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const lines: string[] = [];
  const keys = [
    ...Object.keys(value),
    ...Object.keys(schema).filter((k) => !(k in value) && k !== '$schema'),
  ];
  for (const key of keys) {
    const p = path === '' ? key : `${path}.${key}`;
    const v = value[key];
    const node = schema[key];
    if (depth === 0 && lines.length > 0) lines.push('');
    if (isObject(v)) {
      lines.push(...commentLines(comment(p, node, false), indent), `${indent}${key}:`);
      lines.push(...yamlObject(v, fieldsOf(node), p, depth + 1));
    } else if (v === undefined) {
      // A field the default leaves out (derived when absent): shown, commented out, with its doc.
      lines.push(...commentLines(comment(p, node, true), indent), `${indent}# ${key}: (absent by default)`);
    } else lines.push(...commentLines(comment(p, node, true), indent), `${indent}${key}: ${yamlValue(v)}`);
  }
  return lines;
}

/** The default scenario as commented YAML. */
export function initScenarioYaml(): string {
  const scenario = resolveScenario({}) as unknown as Json;
  const schema = fieldsOf(scenarioJsonSchema() as SchemaNode);
  const head = [
    `vhost-sim ${VERSION}: a scenario with every field at its default. A file needs only the fields it`,
    'changes (the defaults fill in the rest): delete the others. `profile` may also be just a name',
    `(${Object.keys(profiles).join(', ')}); its fields are then that profile's. Check the file with`,
    '`vhost-sim validate FILE`, run it with `vhost-sim run FILE` (flags and --set override it).',
  ];
  return `${[...head.map((l) => `# ${l}`), '', ...yamlObject(scenario, schema, '', 0)].join('\n')}\n`;
}

/** The default scenario as JSON (no comments: JSON has none). */
export const initScenarioJson = () => `${JSON.stringify(resolveScenario({}), null, 2)}\n`;

export function addInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'write an example scenario with every default, commented (YAML; a .json file gets plain JSON)',
    )
    .argument('[file]', 'where to write it (.yaml, .yml or .json); default: print it')
    .option('--force', 'replace the file if it exists', false)
    .action((file: string | undefined, o: { force: boolean }) => {
      if (file === undefined) {
        process.stdout.write(initScenarioYaml());
        return;
      }
      const ext = file.toLowerCase().match(/\.(json|ya?ml)$/)?.[1];
      if (ext === undefined) throw new UsageError(`init ${file}: expected a .yaml, .yml or .json file name`);
      checkWritableFile(file, 'init');
      try {
        writeFileSync(file, ext === 'json' ? initScenarioJson() : initScenarioYaml(), {
          flag: o.force ? 'w' : 'wx',
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST')
          throw new UsageError(`init ${file}: the file exists; --force replaces it`);
        throw new UsageError(`init ${file}: cannot write it: ${(err as Error).message}`);
      }
      process.stdout.write(
        `wrote ${file}: every field at its default; check it with: vhost-sim validate ${file}\n`,
      );
    });
}
