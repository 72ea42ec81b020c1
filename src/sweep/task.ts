/**
 * One sweep run as a self-contained task: what a worker thread executes, and what the in-process path
 * executes too, so both give the same bytes. Errors come back as data (name and message survive the
 * thread boundary; a thrown Error's class would not).
 */
import type { Scenario } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { type RunResult, runScenario } from '../runtime/runScenario.ts';

export interface PointTask {
  scenario: Scenario;
  executor?: ExecutorKind;
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

export function runPointTask(task: PointTask): PointOutcome {
  try {
    return { ok: true, result: runScenario(task.scenario, { executor: task.executor }) };
  } catch (err) {
    return { ok: false, error: toPointError(err) };
  }
}
