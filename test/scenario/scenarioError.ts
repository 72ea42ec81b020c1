import { expect } from 'vitest';
import { ScenarioError } from '../../src/scenario/schema.ts';

/** The ScenarioError `fn` throws (fails the test when it throws nothing or something else). */
export function scenarioError(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return err as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}
