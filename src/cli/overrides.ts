/**
 * The overrides in effect for a run (issue 20.5): every scenario field whose value differs from the
 * defaults (of the profile the run names), each with where it came from — `--set`, a flag, or the
 * scenario file — in the order they take effect (--set over flags over the file). The run's header
 * prints them, so a result never hides a changed setting.
 */
import type { Scenario } from '../model/scenario.ts';
import { resolveScenario, type ScenarioInput } from '../scenario/resolve.ts';

export interface Override {
  path: string;
  value: unknown;
  /** `--set`, the flag (`--vms`), or the scenario file's name. */
  from: string;
}

/** The flags that set scenario fields, by the path they set. */
export const FLAG_PATHS: Readonly<Record<string, string>> = {
  model: '--model',
  vms: '--vms',
  vcpusPerVm: '--vcpus',
  devicesPerVm: '--devices',
  'workload.instances': '--instances',
  'workload.kind': '--workload',
  durationS: '--duration',
  warmupS: '--warmup',
  seed: '--seed',
  'profile.name': '--profile',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function leaves(o: Obj, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const p = prefix === '' ? k : `${prefix}.${k}`;
    if (isObj(v)) leaves(v, p, out);
    else out.set(p, v);
  }
  return out;
}

/** Does `input` give a value at `path` (or at a prefix of it, or, for a name, the profile)? */
function gives(input: unknown, path: string): boolean {
  let node = input;
  for (const key of path.split('.')) {
    if (!isObj(node)) return node !== undefined; // a value above the path covers it (profile: '2x64')
    if (!(key in node)) return false;
    node = node[key];
  }
  return node !== undefined;
}

const setPath = (s: string) => s.slice(0, Math.max(0, s.indexOf('=')));

/**
 * The fields of `scenario` that differ from the defaults of its profile, and where each came from:
 * `sets` (`--set path=value`), `flags` (scenario input the flags made), `file` (the file's input).
 */
export function overridesOf(
  scenario: Scenario,
  o: { sets: readonly string[]; flags: ScenarioInput; file?: { name: string; input: ScenarioInput } },
): Override[] {
  const defaults = resolveScenario({ profile: { name: scenario.profile.name } });
  const base = leaves(defaults as unknown as Obj);
  const named = resolveScenario({}).profile.name !== scenario.profile.name;
  const out: Override[] = [];
  for (const [path, value] of leaves(scenario as unknown as Obj)) {
    const changed =
      path === 'profile.name' ? named : JSON.stringify(base.get(path)) !== JSON.stringify(value);
    if (!changed) continue;
    const set = o.sets.some((s) => {
      const p = setPath(s);
      return p === path || path.startsWith(`${p}.`);
    });
    const from = set
      ? '--set'
      : gives(o.flags, path)
        ? (FLAG_PATHS[path] ?? 'a flag')
        : o.file !== undefined && gives(o.file.input, path)
          ? o.file.name
          : 'the defaults';
    out.push({ path, value, from });
  }
  return out;
}

/** `Overrides: vms=8 (--vms), profile.costs.ctxSwitchNs=0 (--set)`, or that there are none. */
export function overridesLine(list: readonly Override[]): string {
  if (list.length === 0) return 'Overrides: none (every field at its default)';
  const v = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
  return `Overrides: ${list.map((x) => `${x.path}=${v(x.value)} (${x.from})`).join(', ')}`;
}
