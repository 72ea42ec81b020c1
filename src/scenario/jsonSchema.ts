import { z } from 'zod';
import { profiles } from './profiles.ts';
import {
  MAX_OFFERED_RATE,
  MAX_STREAM_BUFFERS,
  MAX_THREADS,
  MAX_VIRTUAL_S,
  profileSchema,
  scenarioSchema,
} from './schema.ts';

type Json = Record<string, unknown>;

/** What a scenario file may leave out: everything (the defaults fill it in), at every depth. */
function optionalEverywhere(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(optionalEverywhere);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'required') continue;
    out[k] = optionalEverywhere(v);
  }
  return out;
}

/**
 * The JSON Schema of a scenario FILE, generated from the same zod definitions `validateScenario` uses:
 * every field optional (defaults fill the rest), `profile` a profile name or a partial profile, and an
 * optional `$schema` key for editors. Cross-field rules (CPU ids within the topology, size limits) are
 * not expressible here; they are listed in the description and checked by `vhost-sim validate`.
 */
export function scenarioJsonSchema(): Json {
  const scenario = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const profile = z.toJSONSchema(profileSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete profile.$schema;
  const body = optionalEverywhere(scenario) as Json;
  delete body.$schema;
  const properties = body.properties as Json;
  properties.profile = {
    description: 'A profile name, or a partial profile merged over the named (by `name`) or default profile',
    anyOf: [
      { type: 'string', enum: Object.keys(profiles) },
      { ...(optionalEverywhere(profile) as Json), description: 'A partial host profile' },
    ],
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'vhost-sim scenario file',
    description:
      'A vhost-sim scenario (.json, .yaml or .yml): any part of a scenario; the defaults fill in the rest. ' +
      'Generated from src/scenario/schema.ts by `npm run gen:schema`. Also checked by `vhost-sim validate`: ' +
      'nic.irqCpus (and policy.pmdCores) within the topology; ' +
      `vms x (vcpusPerVm + devicesPerVm x queuePairs) <= ${MAX_THREADS}; warmupS + durationS <= ${MAX_VIRTUAL_S}; ` +
      `TCP_STREAM vms x instances x ceil(windowBytes / gsoBytes) <= ${MAX_STREAM_BUFFERS}; ` +
      `OPEN_RR vms x instances x ratePerSec <= ${MAX_OFFERED_RATE}.`,
    type: 'object',
    properties: {
      $schema: { type: 'string', description: 'This schema (for editors); ignored by vhost-sim' },
      ...properties,
    },
    additionalProperties: false,
  };
}

/** The committed file's text: two-space JSON with a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
