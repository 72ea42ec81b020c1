/**
 * The playground's Web Worker: the inspector session of `session.ts` running inside the browser, no
 * server. The page (the same `page.html`, built with `data-transport="worker"`) posts the commands it would
 * send over the WebSocket, as JSON text; the worker answers with the same hello and state messages. The
 * scenario comes from the page's query string (`?vms=8&seed=3`), bounded like the CLI's flags.
 * Bundled for the browser by `scripts/build-playground.ts`: nothing on this path may import a node: module.
 */
import type { ModelName } from '../model/scenario.ts';
import { resolveScenario } from '../scenario/resolve.ts';
import { parseCommand } from './commands.ts';
import { InspectorSession, MAX_VMS } from './session.ts';

/** The bit of a dedicated worker's global scope used here (the project compiles without lib.webworker). */
interface WorkerScope {
  postMessage(text: string): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  location: { search: string };
}

const DEFAULT_VMS = 4;
const MODELS: ModelName[] = ['per-device', 'per-cpu'];

/** `?vms=N&seed=S` read as whole numbers within bounds; a bad value gives the default and a complaint. */
function intParam(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
  complaints: string[],
): number {
  if (!params.has(name)) return fallback;
  const raw = params.get(name) ?? '';
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
  complaints.push(
    `${name}: expected an integer from ${min} to ${max}, got '${raw.slice(0, 20)}' (using ${fallback})`,
  );
  return fallback;
}

/** Start a session for the scenario the query string names, and connect it to `scope`. */
export function runPlayground(scope: WorkerScope): InspectorSession {
  const params = new URLSearchParams(scope.location.search);
  const complaints: string[] = [];
  const scenario = resolveScenario({
    vms: intParam(params, 'vms', 1, MAX_VMS, DEFAULT_VMS, complaints),
    seed: intParam(params, 'seed', 0, 2 ** 31 - 1, 1, complaints),
  });
  const session = new InspectorSession({ scenario, models: MODELS, paused: params.has('paused') });
  const post = (msg: unknown) => scope.postMessage(JSON.stringify(msg));
  session.onChange = () => post(session.state());
  session.onModels = () => post(session.hello(null));
  session.onError = (error) => post({ type: 'error', error });
  scope.onmessage = (e) => {
    const result = parseCommand(typeof e.data === 'string' ? e.data : '', session.models);
    if (!result.ok) post({ type: 'error', error: result.error });
    else session.apply(result.command);
  };
  // The page that created the worker is its one viewer.
  session.setViewers(1);
  post(session.hello(null));
  post(session.state());
  for (const error of complaints) post({ type: 'error', error });
  session.start();
  return session;
}

const scope = globalThis as unknown as Partial<WorkerScope>;
// Only inside a worker (the bundle's entry): importing this module elsewhere starts nothing.
if (
  typeof scope.postMessage === 'function' &&
  typeof (globalThis as { importScripts?: unknown }).importScripts === 'function'
) {
  runPlayground(scope as WorkerScope);
}
