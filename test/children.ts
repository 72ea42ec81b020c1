/**
 * Child processes the tests start (`vhost-sim` commands, workers, `redis-server`), killed when the test
 * that started them ends — passed, failed or timed out — and at the end of the file, so a test that times
 * out never leaves a sweep waiting on Redis, or a Redis, running after the suite.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, onTestFinished, type RunnerTask, TestRunner } from 'vitest';

const live = new Set<ChildProcess>();

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Kill `c` (a SIGSTOPped one too) unless it has exited. */
export function killChild(c: ChildProcess): void {
  if (!running(c)) return;
  c.kill('SIGCONT');
  c.kill('SIGKILL');
}

/** Kill every tracked child still running. */
export function killChildren(): void {
  for (const c of live) killChild(c);
  live.clear();
}

/** The longest test timeout in the file of `task`. */
function longestTimeout(task: RunnerTask): number {
  const walk = (t: RunnerTask): number =>
    t.type === 'test' ? t.timeout : Math.max(0, ...(t.type === 'suite' ? t.tasks.map(walk) : []));
  return walk(task.file);
}

/**
 * Track `c`. Started in a test, it is killed as soon as the test ends; in tests that run concurrently
 * (where the runner's "current test" may be another one) once the longest test timeout of the file has
 * passed since it started, when its test has ended either way. Outside a test (a beforeAll), or with
 * `keep` (a server or worker shared between tests), it is killed when the file ends.
 */
export function track<C extends ChildProcess>(c: C, o: { keep?: boolean } = {}): C {
  live.add(c);
  const test = o.keep ? undefined : TestRunner.getCurrentTest();
  let timer: NodeJS.Timeout | undefined;
  if (test?.concurrent) timer = setTimeout(() => killChild(c), longestTimeout(test)).unref();
  else if (test !== undefined) onTestFinished(() => killChild(c));
  c.once('exit', () => {
    clearTimeout(timer);
    live.delete(c);
  });
  return c;
}

// Registered on the file that imports this module: whatever a test left running ends with the file.
// (Outside vitest, e.g. a bench script importing the Redis helpers, there is no suite to register on.)
try {
  afterAll(killChildren);
} catch {}
// The test process itself ending takes its children with it.
process.once('exit', killChildren);
