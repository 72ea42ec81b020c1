/**
 * One sweep run as a self-contained task: what a worker thread executes, and what the in-process path
 * executes too, so both give the same bytes. Errors come back as data (name and message survive the
 * thread boundary; a thrown Error's class would not).
 */
import type { Scenario } from '../model/scenario.ts';
import { loadPolicyModule } from '../policies/module.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { type RunResult, runScenario } from '../runtime/runScenario.ts';

export interface PointTask {
  scenario: Scenario;
  executor?: ExecutorKind;
  /** A policy module's file URL (src/policies/module.ts), used instead of `scenario.model`; loaded here. */
  policyModule?: string;
}

export interface PointError {
  name: string;
  message: string;
}

export type PointOutcome = { ok: true; result: RunResult } | { ok: false; error: PointError };

export function toPointError(err: unknown): PointError {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

export async function runPointTask(task: PointTask): Promise<PointOutcome> {
  try {
    const policy =
      task.policyModule === undefined
        ? undefined
        : (await loadPolicyModule(task.policyModule))(task.scenario);
    return { ok: true, result: runScenario(task.scenario, { executor: task.executor, policy }) };
  } catch (err) {
    return { ok: false, error: toPointError(err) };
  }
}
