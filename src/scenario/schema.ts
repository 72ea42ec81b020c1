import { z } from 'zod';
import type { Profile } from '../model/profile.ts';
import type { Scenario } from '../model/scenario.ts';
import { defaultScenario } from './defaults.ts';

/**
 * Bad scenario input: names the dotted path (`scenario.vms`), the offending value and what was expected.
 * The CLI prints `message` as one line and exits with status 2.
 */
export class ScenarioError extends Error {
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;

  constructor(path: string, value: unknown, expected: string, message?: string) {
    super(message ?? `${path}: expected ${expected}, got ${renderValue(value)}`);
    this.name = 'ScenarioError';
    this.path = path;
    this.value = value;
    this.expected = expected;
  }
}

/** A short, one-line rendering of any value for error messages. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// Each helper uses one "expected ..." text for every issue the field can raise, so the message reads
// the same whether the value has the wrong type or is out of range.
const intIn = (lo: number, hi: number, what = `an integer ${lo}..${hi}`) =>
  z.int({ error: what }).min(lo, { error: what }).max(hi, { error: what });
const nonNeg = (what = 'a finite number >= 0') => z.number({ error: what }).min(0, { error: what });
const positive = (what = 'a finite number > 0') => z.number({ error: what }).gt(0, { error: what });
const fraction = (what = 'a number 0..1') =>
  z.number({ error: what }).min(0, { error: what }).max(1, { error: what });
const text = (what = 'a string') => z.string({ error: what });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => {
  const what = `one of ${values.map((v) => `'${v}'`).join(', ')}`;
  return z.enum(values, { error: what });
};

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

const costsSchema = z.strictObject(
  {
    vmExitNs: nonNeg(),
    kickHandleNs: nonNeg(),
    haltExitNs: nonNeg(),
    irqEntryNs: nonNeg(),
    guestTxPktNs: nonNeg(),
    guestRxPktNs: nonNeg(),
    guestPerByteNs: nonNeg(),
    vhostTxPktNs: nonNeg(),
    vhostRxPktNs: nonNeg(),
    vhostPerByteNs: nonNeg(),
    vhostSignalNs: nonNeg(),
    nicRxIrqNs: nonNeg(),
    bridgeForwardNs: nonNeg(),
    udpStackFactor: nonNeg(),
    ctxSwitchNs: nonNeg(),
    cacheRefillNs: nonNeg(),
    idleExitNs: nonNeg(),
    vqCacheTransferLocalNs: nonNeg(),
    vqCacheTransferRemoteNs: nonNeg(),
    remoteNumaPenalty: nonNeg(),
    guestMemFraction: fraction(),
    vhostMemFraction: fraction(),
    cgroupAttachNs: nonNeg(),
  },
  { error: 'an object of costs' },
);

const schedSchema = z.strictObject(
  {
    latencyNs: nonNeg(),
    minGranularityNs: nonNeg(),
    wakeupGranularityNs: nonNeg(),
    migrationCostNs: nonNeg(),
  },
  { error: 'an object of scheduler tunables' },
);

const nicSchema = z.strictObject(
  {
    lineRateGbps: positive(),
    frameOverheadBytes: nonNeg(),
    mssBytes: intIn(64, 9000),
    txRingFrames: intIn(1, 65536),
    txNs: nonNeg(),
    wireNs: nonNeg(),
    irqDelayNs: nonNeg(),
    peerTurnaroundNs: nonNeg(),
    peerJitterCv: nonNeg(),
    steering: oneOf(['atr', 'fixed'] as const),
    irqCpus: z
      .array(z.int({ error: 'a CPU id (integer >= 0)' }).min(0, { error: 'a CPU id (integer >= 0)' }), {
        error: 'a non-empty array of CPU ids',
      })
      .min(1, { error: 'a non-empty array of CPU ids' }),
  },
  { error: 'an object describing the NIC' },
);

const cpuSchema = z.strictObject(
  {
    sockets: intIn(1, 16),
    coresPerSocket: intIn(1, 256),
    ghz: positive(),
  },
  { error: 'an object describing the CPUs' },
);

export const profileSchema = z
  .strictObject(
    {
      name: text(),
      description: text(),
      cpu: cpuSchema,
      nic: nicSchema,
      costs: costsSchema,
      sched: schedSchema,
    },
    { error: 'a profile object' },
  )
  .superRefine((p, ctx) => {
    // Cross-field rule: receive-interrupt CPUs must exist in the topology.
    const cpus = p.cpu.sockets * p.cpu.coresPerSocket;
    p.nic.irqCpus.forEach((cpu, i) => {
      if (cpu >= cpus) {
        ctx.addIssue({
          code: 'custom',
          path: ['nic', 'irqCpus', i],
          input: cpu,
          message: `a CPU id 0..${cpus - 1} (the profile has ${p.cpu.sockets} x ${p.cpu.coresPerSocket} CPUs)`,
        });
      }
    });
  });

export const scenarioSchema = z.strictObject(
  {
    model: oneOf(['per-device', 'per-cpu'] as const),
    workload: z.strictObject(
      {
        kind: oneOf(['TCP_RR', 'UDP_RR', 'TCP_STREAM', 'UDP_STREAM', 'OPEN_RR'] as const),
        instances: intIn(1, 64),
        // A request or response is one packet (one virtio buffer): at most one GSO super-packet.
        requestBytes: intIn(1, 65160),
        responseBytes: intIn(1, 65160),
        messageBytes: intIn(0, 1 << 20, 'an integer 0..1048576 (0 = netperf default)'),
        windowBytes: intIn(1, 1 << 26),
        gsoBytes: intIn(64, 65160),
        peer: oneOf(['external', 'east-west'] as const),
        arrival: oneOf(['poisson', 'constant'] as const),
        ratePerSec: positive(),
      },
      { error: 'a workload object' },
    ),
    vms: intIn(1, 4096),
    vcpusPerVm: intIn(1, 64),
    devicesPerVm: intIn(1, 16),
    queuePairs: intIn(1, 64),
    durationS: z
      .number({ error: 'a number of seconds > 0 and <= 3600' })
      .gt(0, { error: 'a number of seconds > 0 and <= 3600' })
      .max(3600, { error: 'a number of seconds > 0 and <= 3600' }),
    warmupS: z
      .number({ error: 'a number of seconds 0..600' })
      .min(0, { error: 'a number of seconds 0..600' })
      .max(600, { error: 'a number of seconds 0..600' }),
    seed: intIn(0, 2 ** 31 - 1),
    pinning: z.strictObject({ vcpu: oneOf(['none', 'node'] as const) }, { error: 'an object { vcpu }' }),
    vhost: z.strictObject(
      {
        weightPkts: intIn(1, 1e6),
        byteWeight: intIn(1, 1e9),
      },
      { error: 'an object { weightPkts, byteWeight }' },
    ),
    ringSize: z
      .int({ error: 'a power of two 2..32768' })
      .min(2, { error: 'a power of two 2..32768' })
      .max(32768, { error: 'a power of two 2..32768' })
      .refine(isPowerOfTwo, { error: 'a power of two 2..32768' }),
    costDistribution: z.strictObject(
      { kind: oneOf(['constant', 'exponential', 'lognormal'] as const), cv: nonNeg() },
      { error: 'an object { kind, cv }' },
    ),
    profile: profileSchema,
  },
  { error: 'a scenario object' },
);

// Compile-time checks that the schema and the hand-written types agree both ways.
type Parsed = z.output<typeof scenarioSchema>;
const _toType = (s: Parsed): Scenario => s;
const _fromType = (s: Scenario): Parsed => s;
const _profileToType = (p: z.output<typeof profileSchema>): Profile => p;
void _toType;
void _fromType;
void _profileToType;

/** `['profile', 'nic', 'irqCpus', 1]` -> `scenario.profile.nic.irqCpus[1]` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = 'scenario';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `.${String(seg)}`;
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const node = valueAt(defaultScenario(), path);
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node) : [];
}

/** Validate a fully specified scenario. Throws a ScenarioError describing the first problem. */
export function validateScenario(obj: unknown): Scenario {
  const result = scenarioSchema.safeParse(obj);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const path = [...issue.path, key];
    const known = knownKeysAt(issue.path);
    const expected = known.length > 0 ? `one of the known keys (${known.join(', ')})` : 'no such key';
    throw new ScenarioError(
      formatPath(path),
      valueAt(obj, path),
      expected,
      `${formatPath(path)}: unknown key; expected ${expected}`,
    );
  }
  throw new ScenarioError(formatPath(issue.path), valueAt(obj, issue.path), issue.message);
}
