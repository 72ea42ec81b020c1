import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { profileNameInput, type ScenarioInput } from './resolve.ts';
import { ScenarioError } from './schema.ts';

const oneLine = (s: string) => s.split('\n')[0].trim();

/**
 * YAML to a value; errors AND warnings (unknown tags or directives, which the library would otherwise
 * print to stderr on its own) are refused with their first message.
 */
function parseYamlStrict(text: string): unknown {
  const doc = parseDocument(text, { logLevel: 'silent' });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) throw problem;
  return doc.toJS({ maxAliasCount: 100 });
}

/**
 * Read a scenario file (.json, .yaml or .yml). Returns the raw (partial, unvalidated) input for
 * `resolveScenario`; a missing, unreadable or unparsable file is a ScenarioError.
 */
export function loadScenarioFile(path: string): ScenarioInput {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') {
    throw new ScenarioError(
      'file',
      path,
      'a .json, .yaml or .yml file',
      `scenario file ${path}: unsupported extension '${ext}' (expected .json, .yaml or .yml)`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : oneLine(String(err));
    throw new ScenarioError('file', path, 'a readable file', `scenario file ${path}: cannot read (${why})`);
  }
  let data: unknown;
  try {
    data = ext === '.json' ? JSON.parse(text) : parseYamlStrict(text);
  } catch (err) {
    const kind = ext === '.json' ? 'JSON' : 'YAML';
    throw new ScenarioError(
      'file',
      path,
      `valid ${kind}`,
      `scenario file ${path}: invalid ${kind}: ${oneLine((err as Error).message)}`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ScenarioError(
      'file',
      path,
      'a mapping of scenario fields',
      `scenario file ${path}: expected a mapping of scenario fields at the top level`,
    );
  }
  // Editors read `"$schema"` (docs/scenario.schema.json) from the file itself; it is not a scenario field.
  const { $schema, ...fields } = data as Record<string, unknown>;
  if ($schema !== undefined && typeof $schema !== 'string') {
    throw new ScenarioError('scenario.$schema', $schema, 'a string (the JSON Schema URL or path)');
  }
  if (typeof fields.profile === 'string') fields.profile = profileNameInput(fields.profile);
  return fields as ScenarioInput;
}
