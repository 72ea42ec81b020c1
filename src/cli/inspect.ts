/**
 * `vhost-sim inspect [scenario-file]`: run the scenario with live XState actors and watch it in a local
 * web page (both models side by side unless --model is given; --policy adds a policy module of your
 * own as a side). Registered by `addInspectCommand`.
 */
import { basename } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { SPEED_MAX, SPEED_MIN } from '../inspector/commands.ts';
import { DEFAULT_HOST, DEFAULT_PORT, startInspector } from '../inspector/server.ts';
import { DEFAULT_SPEED, MAX_SIDES, MAX_VMS, tooBigToInspect } from '../inspector/session.ts';
import { type ModelName, modelNames } from '../model/scenario.ts';
import { loadPolicyModule, type PolicyFactory } from '../policies/module.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { profiles } from '../scenario/profiles.ts';
import { deepMerge, resolveScenario, type ScenarioInput } from '../scenario/resolve.ts';
import { nameOption, nameParser } from './names.ts';
import { policyOption } from './policy.ts';

const MODELS: ModelName[] = ['per-device', 'per-cpu'];
const modelName = nameParser('model', modelNames);
const model = (value: string, previous: ModelName[] | undefined) => {
  const list = [...(previous ?? []), modelName(value)];
  if (list.length > MAX_SIDES) throw new InvalidArgumentError(`at most ${MAX_SIDES} models side by side.`);
  if (list[0] === list[1]) throw new InvalidArgumentError(`'${value}' is given twice.`);
  return list;
};

const integer = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
  }
  return n;
};
const speed = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < SPEED_MIN || n > SPEED_MAX) {
    throw new InvalidArgumentError(`expected a number from ${SPEED_MIN} to ${SPEED_MAX}.`);
  }
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];

interface InspectOpts {
  port: number;
  host?: string;
  model?: ModelName[];
  vms?: number;
  seed?: number;
  profile?: string;
  set: string[];
  speed: number;
  paused?: boolean;
  afterWarmup?: boolean;
  inspect?: 'stately';
  policy?: string;
}

/** What the page calls a policy module's side: the policy's own name, unless it is empty or a model's. */
function policyLabel(name: unknown, spec: string): string {
  const own = typeof name === 'string' ? name.trim() : '';
  return own === '' || (modelNames as readonly string[]).includes(own) ? basename(spec) : own;
}

async function inspectCommand(file: string | undefined, o: InspectOpts): Promise<void> {
  const fromFile: ScenarioInput = file ? loadScenarioFile(file) : {};
  const flags: ScenarioInput = {};
  if (o.vms !== undefined) flags.vms = o.vms;
  if (o.seed !== undefined) flags.seed = o.seed;
  if (o.profile !== undefined) flags.profile = { name: o.profile };
  if (o.model !== undefined) flags.model = o.model[0];
  const scenario = resolveScenario(deepMerge(fromFile, flags), o.set);
  let models: string[] = o.model ?? MODELS;
  let policies: Map<string, PolicyFactory> | undefined;
  if (o.policy !== undefined) {
    // The policy takes one side; a --model given beside it is the other (the reference to compare with).
    if ((o.model?.length ?? 0) >= MAX_SIDES)
      throw new InvalidArgumentError(
        `--policy takes one of the ${MAX_SIDES} sides: give at most one --model`,
      );
    const factory = await loadPolicyModule(o.policy);
    const label = policyLabel(factory(scenario).name, o.policy);
    policies = new Map([[label, factory]]);
    models = [...(o.model ?? []), label];
  }
  // The flag's bound, applied to whatever the file asked for too.
  const tooBig = tooBigToInspect(scenario);
  if (tooBig !== null) throw new InvalidArgumentError(`scenario.${tooBig}`);

  if (o.host !== undefined && o.host !== DEFAULT_HOST) {
    process.stderr.write(
      `vhost-sim: warning: the inspector listens on ${o.host}, not only on this machine's loopback: ` +
        'anyone who can reach it can watch and control the simulation.\n',
    );
  }
  let handle: Awaited<ReturnType<typeof startInspector>>;
  try {
    handle = await startInspector({
      scenario,
      models,
      ...(policies === undefined ? {} : { policies }),
      port: o.port,
      host: o.host ?? DEFAULT_HOST,
      speed: o.speed,
      paused: o.paused,
      afterWarmup: o.afterWarmup,
      stately: o.inspect === 'stately',
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new InvalidArgumentError(`port ${o.port} is in use (try --port 0)`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
      throw new InvalidArgumentError(`cannot listen on ${o.host}: ${e.message}`);
    throw err;
  }
  process.stdout.write(`vhost-sim inspector: ${handle.url}\n`);
  process.stdout.write(
    `  ${scenario.vms} VMs, ${models.join(' vs ')}, live XState actors, speed ${o.speed} ` +
      '(virtual s per wall s); the simulation advances while a page is open. Ctrl-C to stop.\n',
  );
  if (handle.statelyUrl !== null) {
    process.stderr.write(
      `vhost-sim: Stately Inspect: open ${handle.statelyUrl} (it embeds https://stately.ai/inspect and needs internet)\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void handle.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Add `inspect` to the program. */
export function addInspectCommand(program: Command): Command {
  return program
    .command('inspect')
    .description(
      'watch live XState actors in a local web page (both models side by side; no internet needed)',
    )
    .argument('[scenario-file]', 'scenario file (.json, .yaml, .yml); flags and --set override it')
    .option('--port <n>', 'TCP port (0: any free port)', integer(0, 65535), DEFAULT_PORT)
    .option(
      '--host <addr>',
      `listen address (default ${DEFAULT_HOST}; anything else is reachable from outside)`,
    )
    .option(
      '--model <model>',
      `show this model; twice for two side by side (${modelNames.join(', ')}; default: per-device and per-cpu)`,
      model,
    )
    .addOption(policyOption('shown as one side (beside --model when given)'))
    .option('--vms <n>', 'number of VMs', integer(1, MAX_VMS))
    .option('--seed <n>', 'random seed', integer(0, 2 ** 31 - 1))
    .addOption(nameOption('--profile <name>', 'host profile', 'profile', Object.keys(profiles)))
    .option(
      '--set <path=value>',
      'set any scenario path, e.g. profile.costs.ctxSwitchNs=0 (repeatable)',
      collect,
      [],
    )
    .option('--speed <factor>', 'virtual seconds per wall-clock second', speed, DEFAULT_SPEED)
    .option('--paused', 'start paused')
    .option('--after-warmup', "start after the scenario's warm-up (warmupS), paused there")
    .addOption(
      new Option('--inspect <tool>', 'also stream the actors to Stately Inspect (needs internet)').choices([
        'stately',
      ]),
    )
    .action((file: string | undefined, o: InspectOpts) => inspectCommand(file, o));
}
