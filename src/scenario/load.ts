import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ScenarioInput } from './resolve.ts';
import { ScenarioError } from './schema.ts';

const oneLine = (s: string) => s.split('\n')[0].trim();

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
    data = ext === '.json' ? JSON.parse(text) : parseYaml(text);
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
  return data as ScenarioInput;
}
