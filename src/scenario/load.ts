import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { profileNameInput, type ScenarioInput } from './resolve.ts';
import { ScenarioError } from './schema.ts';

const oneLine = (s: string) => s.split('\n')[0].trim();

/** Scenario files larger than this are refused before they are read (`VHOST_SIM_MAX_SCENARIO_BYTES`). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Keys that would reach an object's prototype instead of a field: refused wherever they appear. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

class KeyError extends Error {}

const keyPath = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** Every mapping of a parsed JSON value: no prototype keys. */
function checkJsonKeys(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkJsonKeys(v, `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(k)) throw new KeyError(keyPath(path, k));
      checkJsonKeys((value as Record<string, unknown>)[k], keyPath(path, k));
    }
  }
}

/**
 * Every mapping of a YAML document, in one pass: no prototype keys, no duplicate keys. (The library's own
 * duplicate check compares every pair of keys, quadratic in a mapping's size; this is a Set per mapping.)
 */
function checkYamlKeys(node: Node | null | undefined, path: string): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const k = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (PROTOTYPE_KEYS.has(k)) throw new KeyError(keyPath(path, k));
      if (seen.has(k)) throw new Error(`Map keys must be unique: '${keyPath(path, k)}' appears twice`);
      seen.add(k);
      checkYamlKeys(pair.value as Node, keyPath(path, k));
    }
  } else if (isSeq(node)) {
    for (const [i, v] of node.items.entries()) checkYamlKeys(v as Node, `${path}[${i}]`);
  }
}

/**
 * YAML to a value; errors AND warnings (unknown tags or directives, which the library would otherwise
 * print to stderr on its own) are refused with their first message.
 */
function parseYamlStrict(text: string): unknown {
  const doc = parseDocument(text, { logLevel: 'silent', uniqueKeys: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) throw problem;
  checkYamlKeys(doc.contents, '');
  return doc.toJS({ maxAliasCount: 100 });
}

function maxBytes(): number {
  const env = Number(process.env.VHOST_SIM_MAX_SCENARIO_BYTES);
  return Number.isSafeInteger(env) && env > 0 ? env : MAX_SCENARIO_BYTES;
}

/**
 * Read a scenario file (.json, .yaml or .yml). Returns the raw (partial, unvalidated) input for
 * `resolveScenario`; a missing, unreadable or unparsable file is a ScenarioError.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { loadScenarioFile, resolveScenario, runScenario } from 'vhost-sim';
 *
 * writeFileSync('scenario.yaml', 'model: per-cpu\nvms: 2\ndurationS: 0.005\nworkload:\n  kind: UDP_RR\n');
 * // The file's fields, then overrides as an object.
 * const scenario = resolveScenario({ ...loadScenarioFile('scenario.yaml'), seed: 7 });
 * console.log(scenario.model, scenario.workload.kind, runScenario(scenario).metrics.throughput.value);
 * ```
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
  const limit = maxBytes();
  let text: string;
  try {
    // Only a regular file: a FIFO would block the read forever, a device (/dev/zero) never ends.
    const st = statSync(path);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'is a directory' : st.isFIFO() ? 'is a FIFO' : 'is not a regular file';
      throw new ScenarioError('file', path, 'a regular file', `scenario file ${path}: cannot read (${kind})`);
    }
    if (st.size > limit) {
      throw new ScenarioError(
        'file',
        path,
        `at most ${limit} bytes`,
        `scenario file ${path}: ${st.size} bytes, larger than the limit of ${limit} (VHOST_SIM_MAX_SCENARIO_BYTES)`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : oneLine(String(err));
    throw new ScenarioError('file', path, 'a readable file', `scenario file ${path}: cannot read (${why})`);
  }
  let data: unknown;
  try {
    data = ext === '.json' ? JSON.parse(text) : parseYamlStrict(text);
    if (ext === '.json') checkJsonKeys(data, '');
  } catch (err) {
    if (err instanceof KeyError) {
      throw new ScenarioError(
        `scenario.${err.message}`,
        path,
        'no prototype key',
        `scenario file ${path}: key '${err.message}' is not allowed (__proto__, prototype and constructor are never scenario fields)`,
      );
    }
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
