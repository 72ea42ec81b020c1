/**
 * `vhost-sim validate FILE`: check a scenario file exactly as `run` reads it (the file, a profile name
 * taken as `{ name }`, the defaults under it, every schema rule) without running it. Prints `ok: FILE`
 * and exits 0, or a `vhost-sim: error: ...` line for every problem, each naming its field (an unknown key
 * with the known key it is nearest to), and exits 2. Registered by
 * `addValidateCommand`.
 */
import type { Command } from 'commander';
import type { Scenario } from '../model/scenario.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { resolveScenario, scenarioInputErrors } from '../scenario/resolve.ts';
import { printable } from './printable.ts';

/**
 * The scenario a file stands for, as `vhost-sim run FILE` resolves it (with `--set` assignments applied
 * after the file). Throws a ScenarioError naming the first bad field.
 */
export function resolveScenarioFile(file: string, sets: readonly string[] = []): Scenario {
  const input = loadScenarioFile(file);
  return resolveScenario(input, sets);
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a scenario file (types, ranges, cross-field rules) without running it')
    .argument('<scenario-file>', 'scenario file (.json, .yaml, .yml)')
    .option('--set <path=value>', 'also apply a --set assignment as run would (repeatable)', collect, [])
    .action((file: string, o: { set: string[] }) => {
      // Every problem at once: all but the last here, the last as the command's error (exit 2).
      const errors = scenarioInputErrors(loadScenarioFile(file), o.set);
      if (errors.length > 0) {
        for (const e of errors.slice(0, -1))
          process.stderr.write(`vhost-sim: error: ${printable(e.message)}\n`);
        throw errors[errors.length - 1];
      }
      process.stdout.write(`ok: ${file}\n`);
    });
}
