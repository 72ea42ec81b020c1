import type { Profile } from '../model/profile.ts';
import type { Scenario } from '../model/scenario.ts';
import { defaultScenario } from './defaults.ts';
import { canonicalName } from './names.ts';
import { profiles } from './profiles.ts';
import { formatPath, renderValue, ScenarioError, scenarioErrors, validateScenario } from './schema.ts';

export type DeepPartial<T> = T extends readonly (infer _U)[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * What a user writes: any part of a scenario. `profile` is a profile name (`'2x64'`) or a partial
 * profile merged over the named profile (when it has a known `name`) or over the default profile.
 */
export type ScenarioInput = DeepPartial<Omit<Scenario, 'profile'>> & {
  profile?: string | DeepPartial<Profile>;
};

/**
 * Every dotted path into a scenario (`vms`, `profile.costs.ctxSwitchNs`, `workload.kind`): what `--set`
 * and `--axis` name on the command line, as a type, so a path that does not exist does not compile.
 * Arrays are leaves (no `[i]` indices).
 */
export type ScenarioPath = PathsOf<Scenario>;
type PathsOf<T> = T extends readonly unknown[]
  ? never
  : T extends object
    ? { [K in keyof T & string]: K | `${K}.${PathsOf<NonNullable<T[K]>>}` }[keyof T & string]
    : never;

type Obj = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge: plain objects merge key by key, everything else (arrays included) replaces; undefined is skipped. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? deepMerge(out[k], v) : structuredClone(v);
  }
  return out as T;
}

const profileNames = () =>
  Object.keys(profiles)
    .map((n) => `'${n}'`)
    .join(', ');

/**
 * A profile named in a scenario file, as a partial profile: the name must exist (a typo must not quietly
 * become a custom profile with the default costs), and flags can still merge over it.
 */
export function profileNameInput(name: string): { name: string } {
  return { name: namedProfile(name, 'scenario.profile').name };
}

/** The named profile (the name in any case). */
function namedProfile(name: string, path: string): Profile {
  const canonical = canonicalName(name, Object.keys(profiles));
  const p = canonical === undefined ? undefined : profiles[canonical];
  if (!p) throw new ScenarioError(path, name, `a profile name (one of ${profileNames()})`);
  return structuredClone(p);
}

/** The profile a `profile` input stands for: a name, or a partial over the named/default profile. */
function resolveProfile(input: unknown, fallback: Profile): unknown {
  if (input === undefined) return fallback;
  if (typeof input === 'string') return namedProfile(input, 'scenario.profile');
  if (!isPlainObject(input)) return input; // let validation report the wrong type
  // A known name selects the base profile; an unknown name is just the label of a custom profile.
  const known = typeof input.name === 'string' ? canonicalName(input.name, Object.keys(profiles)) : undefined;
  const base = known === undefined ? fallback : structuredClone(profiles[known]);
  return deepMerge(base, known === undefined ? input : { ...input, name: known });
}

/** Split `a.b[2].c` into `['a', 'b', '2', 'c']`. */
function splitPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0);
}

/** Parse a `--set`/`--axis` value: JSON when it parses, otherwise the raw string. */
export function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Set the value at a dotted path that must already exist in `target` (mutates `target`).
 * `profile=NAME` swaps in a whole named profile.
 */
export function setPath(target: Obj, path: string, value: unknown): void {
  const segs = splitPath(path.startsWith('scenario.') ? path.slice('scenario.'.length) : path);
  const shown = `scenario.${segs.join('.')}`;
  if (segs.length === 0) throw new ScenarioError('scenario', path, 'a dotted scenario path such as vms');
  if (segs.length === 1 && segs[0] === 'profile' && typeof value === 'string') {
    target.profile = namedProfile(value, 'scenario.profile');
    return;
  }
  let cur: unknown = target;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const exists =
      (Array.isArray(cur) && /^\d+$/.test(seg) && Number(seg) < cur.length) ||
      (isPlainObject(cur) && Object.hasOwn(cur, seg));
    if (!exists) {
      const at = `scenario.${segs.slice(0, i).join('.')}`.replace(/\.$/, '');
      const known = isPlainObject(cur) ? Object.keys(cur) : [];
      throw new ScenarioError(
        shown,
        value,
        'an existing scenario path',
        `unknown scenario path '${segs.join('.')}'` +
          (known.length > 0 ? ` (${at} has: ${known.join(', ')})` : ''),
      );
    }
    if (i === segs.length - 1) {
      (cur as Obj)[seg] = structuredClone(value);
    } else {
      cur = (cur as Obj)[seg];
    }
  }
}

/** Parse `path=value` (the `--set` syntax). */
export function parseAssignment(text: string): { path: string; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new ScenarioError(
      '--set',
      text,
      'path=value',
      `--set: expected path=value, got ${renderValue(text)}`,
    );
  }
  return { path: text.slice(0, eq).trim(), value: parseValue(text.slice(eq + 1)) };
}

/** Apply `path=value` assignments to a copy of a scenario (not validated). */
export function applySets<T extends object>(scenario: T, sets: readonly string[] = []): T {
  const out = structuredClone(scenario) as Obj;
  for (const s of sets) {
    const { path, value } = parseAssignment(s);
    setPath(out, path, value);
  }
  return out as T;
}

/** Deepest nesting a scenario input may have (a scenario itself is 4 levels deep: profile.nic.irqCpus[i]). */
export const MAX_NESTING = 16;

/**
 * Refuse absurdly nested input before anything recurses into it (merging and cloning would overflow the
 * stack). Iterative, so any depth is safe to check.
 */
function checkNesting(input: unknown): void {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    if (value === null || typeof value !== 'object') continue;
    if (path.length > MAX_NESTING) {
      throw new ScenarioError(
        formatPath(path),
        value,
        `at most ${MAX_NESTING} levels of nesting`,
        `${formatPath(path)}: expected at most ${MAX_NESTING} levels of nesting, got deeper`,
      );
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], path: [...path, i] });
    } else for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
}

/**
 * Build a validated scenario: the default scenario, with `input` deep-merged over it (arrays replace),
 * then each `path=value` of `sets` applied in order (the path must exist; the value is JSON when it
 * parses, else a string: the CLI's `--set`). Throws ScenarioError on any problem.
 *
 * @example
 * ```ts
 * import { resolveScenario } from 'vhost-sim';
 *
 * // Overrides as a typed object...
 * const a = resolveScenario({ vms: 8, profile: { name: '2x64', costs: { ctxSwitchNs: 0 } } });
 * // ...or as the CLI's dotted assignments: the same scenario.
 * const b = resolveScenario({ vms: 8, profile: '2x64' }, ['profile.costs.ctxSwitchNs=0']);
 * console.log(JSON.stringify(a) === JSON.stringify(b), a.profile.cpu.coresPerSocket);
 * ```
 */
export function resolveScenario(input: ScenarioInput = {}, sets: readonly string[] = []): Scenario {
  return validateScenario(mergedInput(input, sets));
}

/** The defaults with `input` and `sets` applied, not validated (ScenarioError on a bad name or path). */
function mergedInput(input: ScenarioInput, sets: readonly string[]): Obj {
  if (!isPlainObject(input)) throw new ScenarioError('scenario', input, 'a scenario object');
  checkNesting(input);
  const base = defaultScenario();
  const { profile, ...rest } = input as Obj;
  const merged = deepMerge(base as unknown as Obj, rest);
  merged.profile = resolveProfile(profile, base.profile);
  return applySets(merged, sets);
}

/** Every problem `resolveScenario` would meet, not only the first (none: it resolves). */
export function scenarioInputErrors(
  input: ScenarioInput = {},
  sets: readonly string[] = [],
): ScenarioError[] {
  try {
    return scenarioErrors(mergedInput(input, sets));
  } catch (err) {
    if (err instanceof ScenarioError) return [err];
    throw err;
  }
}
