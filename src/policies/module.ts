/**
 * A threading policy of your own, loaded from a module file (`--policy ./my-policy.js`, `policyModule` in
 * `sweep`), so a policy written as in docs/guide/write-a-policy.md runs in the CLI, in sweeps (each
 * worker thread imports the module itself: a Policy object cannot cross a thread boundary) and in the
 * inspector without being added to src/policies/.
 *
 * The module's default export (or its `createPolicy` export) is either a class whose no-argument
 * constructor makes a Policy, or a function `(scenario) => Policy`. A fresh Policy is made for every run:
 * a policy keeps state (cursors, loads, picks).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Scenario } from '../model/scenario.ts';
import type { Policy } from './policy.ts';

/** Makes one Policy per run. */
export type PolicyFactory = (scenario: Scenario) => Policy;

/**
 * A policy module that cannot be loaded or does not export a policy (bad input: exit status 2 in the CLI).
 *
 * @example
 * ```ts
 * import { loadPolicyModule, PolicyModuleError } from 'vhost-sim';
 *
 * try {
 *   await loadPolicyModule('./no-such-policy.js');
 * } catch (err) {
 *   if (!(err instanceof PolicyModuleError)) throw err;
 *   console.log(err.message); // --policy file:///…/no-such-policy.js: cannot load the module: …
 * }
 * ```
 */
export class PolicyModuleError extends Error {
  override name = 'PolicyModuleError';
}

/** A module path as given (relative to the working directory) or a file URL, as the file URL to import. */
export function policyModuleUrl(spec: string): string {
  if (spec.startsWith('file:')) return spec;
  return pathToFileURL(isAbsolute(spec) ? spec : resolve(spec)).href;
}

const loaded = new Map<string, Promise<PolicyFactory>>();

const isPolicy = (p: unknown): p is Policy =>
  typeof p === 'object' &&
  p !== null &&
  typeof (p as Policy).createWorkers === 'function' &&
  typeof (p as Policy).selectWorker === 'function' &&
  typeof (p as Policy).workFinished === 'function';

async function load(url: string): Promise<PolicyFactory> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (err) {
    throw new PolicyModuleError(
      `--policy ${url}: cannot load the module: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const exported = mod.default ?? mod.createPolicy;
  if (typeof exported !== 'function')
    throw new PolicyModuleError(
      `--policy ${url}: expected a default (or createPolicy) export that is a Policy class or a (scenario) => Policy function, got ${typeof exported}`,
    );
  const fn = exported as (scenario: Scenario) => unknown;
  // A class (its prototype has the Policy methods) is constructed; any other function is called.
  const isClass = typeof (fn.prototype as Policy | undefined)?.selectWorker === 'function';
  return (scenario) => {
    const policy = isClass ? new (fn as unknown as new () => unknown)() : fn(scenario);
    if (!isPolicy(policy))
      throw new PolicyModuleError(
        `--policy ${url}: the export made no Policy (it needs createWorkers, selectWorker and workFinished)`,
      );
    return policy;
  };
}

/**
 * Import a policy module once per thread and return its factory. `spec` is a path (relative to the
 * working directory) or a file URL.
 * @example
 * ```ts
 * import { loadPolicyModule, resolveScenario, runScenario } from 'vhost-sim';
 *
 * const makePolicy = await loadPolicyModule('./my-policy.js');
 * const scenario = resolveScenario({ vms: 4, durationS: 0.01 });
 * console.log(runScenario(scenario, { policy: makePolicy(scenario) }).metrics.throughput.value);
 * ```
 */
export function loadPolicyModule(spec: string): Promise<PolicyFactory> {
  const url = policyModuleUrl(spec);
  let p = loaded.get(url);
  if (p === undefined) {
    p = load(url);
    loaded.set(url, p);
    // A failed load is not cached: the file may be fixed and tried again.
    p.catch(() => loaded.delete(url));
  }
  return p;
}
