import { z } from 'zod';
import type { Profile } from '../model/profile.ts';
import type { Scenario } from '../model/scenario.ts';
import { cpuCount } from '../model/topology.ts';
import { defaultScenario } from './defaults.ts';
import { canonicalScenarioNames } from './names.ts';
import { didYouMean } from './suggest.ts';

/**
 * Bad scenario input: names the dotted path (`scenario.vms`), the offending value and what was expected.
 * The CLI prints `message` as one line and exits with status 2.
 *
 * @example
 * ```ts
 * import { resolveScenario, ScenarioError } from 'vhost-sim';
 *
 * try {
 *   resolveScenario({ vms: 0 });
 * } catch (err) {
 *   if (!(err instanceof ScenarioError)) throw err;
 *   console.log(err.path, err.expected, '|', err.message);
 * }
 * ```
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
const numIn = (lo: number, hi: number, what = `a number ${lo}..${hi}`) =>
  z.number({ error: what }).min(lo, { error: what }).max(hi, { error: what });
/**
 * A time or cost in nanoseconds: an integer (the virtual clock counts whole nanoseconds, and several of
 * these are used as delays as they are) of at most 10 s, so that sums stay exact.
 */
const MAX_NS = 10_000_000_000;
const ns = (what = 'an integer number of ns 0..10000000000') => intIn(0, MAX_NS, what);
const fraction = (what = 'a number 0..1') =>
  z.number({ error: what }).min(0, { error: what }).max(1, { error: what });
const text = (max: number, what = `a string of 1..${max} characters`) =>
  z.string({ error: what }).min(1, { error: what }).max(max, { error: what });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => {
  const what = `one of ${values.map((v) => `'${v}'`).join(', ')}`;
  return z.enum(values, { error: what });
};

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

const costsSchema = z.strictObject(
  {
    vmExitNs: ns(),
    kickHandleNs: ns(),
    haltExitNs: ns(),
    irqEntryNs: ns(),
    guestTxPktNs: ns(),
    guestRxPktNs: ns(),
    guestPerByteNs: numIn(0, 1000, 'a number of ns per byte 0..1000'),
    vhostTxPktNs: ns(),
    vhostRxPktNs: ns(),
    vhostPerByteNs: numIn(0, 1000, 'a number of ns per byte 0..1000'),
    vhostSignalNs: ns(),
    guestDescNs: ns(),
    guestIndirectNs: ns(),
    vhostDescNs: ns(),
    vhostIndirectNs: ns(),
    nicRxIrqNs: ns(),
    nicIrqNs: ns(),
    ipiIrqNs: ns(),
    bridgeForwardNs: ns(),
    udpStackFactor: numIn(0, 100),
    pollCheckNs: ns(),
    exitlessIrqEntryNs: ns(),
    pmdPktNs: ns(),
    ctxSwitchNs: ns(),
    cacheRefillNs: ns(),
    memRefillNs: ns(),
    tlbRefillNs: ns(),
    idleExitNs: ns(),
    vqCacheTransferLocalNs: ns(),
    vqCacheTransferRemoteNs: ns(),
    remoteNumaPenalty: numIn(0, 100),
    guestMemFraction: fraction(),
    vhostMemFraction: fraction(),
    cgroupAttachNs: ns(),
    blockGuestSubmitNs: ns(),
    blockGuestCompleteNs: ns(),
    blockVhostSubmitNs: ns(),
    blockVhostCompleteNs: ns(),
    lineLlcNs: ns(),
    lineRemoteNs: ns(),
    workLockHoldNs: ns(),
    napiPollNs: ns(),
    groFrameNs: ns(),
  },
  { error: 'an object of costs' },
);

const flag = () => z.boolean({ error: 'true or false' });
const schedSchema = z.strictObject(
  {
    latencyNs: ns(),
    minGranularityNs: ns(),
    wakeupGranularityNs: ns(),
    migrationCostNs: ns(),
    // 100 (a server kernel of the time) to 1000; a tick shorter than 1 ms is not a Linux configuration.
    hz: numIn(100, 1000, 'ticks per second, 100..1000'),
    wakeAffine: flag(),
    selectIdleSibling: flag(),
    numaAffineDistance: oneOf(['reclaim', 'remote'] as const),
    periodicBalance: flag(),
    cacheHot: flag(),
    decayedLoad: flag(),
  },
  { error: 'an object of scheduler tunables' },
);

const cacheSchema = z.strictObject(
  {
    model: oneOf(['address-space', 'thread'] as const),
    l2KiB: intIn(1, 1 << 20),
    llcKiB: intIn(1, 1 << 22),
    workingSetKiB: intIn(1, 1 << 22),
    pcid: z.boolean({ error: 'true or false' }),
  },
  { error: 'an object describing the caches' },
);

const cgroupSchema = z.strictObject(
  {
    hierarchies: intIn(0, 64),
    cpuset: z.boolean({ error: 'true or false' }),
    rcuGraceNs: ns(),
    globalMutex: z.boolean({ error: 'true or false' }),
  },
  { error: 'an object describing the cgroup hierarchies' },
);

const kvmSchema = z.strictObject(
  {
    kickExit: z.boolean({ error: 'true or false' }),
    postedInterrupts: z.boolean({ error: 'true or false' }),
  },
  { error: 'an object { kickExit, postedInterrupts }' },
);

const locksSchema = z.strictObject(
  {
    workLock: z.boolean({ error: 'true or false' }),
    dispatchLines: z.boolean({ error: 'true or false' }),
  },
  { error: 'an object { workLock, dispatchLines }' },
);

const nicSchema = z.strictObject(
  {
    lineRateGbps: numIn(0.001, 10_000, 'a number of Gbit/s 0.001..10000'),
    frameOverheadBytes: intIn(0, 10_000),
    mssBytes: intIn(64, 9000),
    txRingFrames: intIn(1, 65536),
    rxRingFrames: intIn(1, 65536),
    gro: z.boolean({ error: 'true or false' }),
    txNs: ns(),
    wireNs: ns(),
    itrIntervalNs: ns(),
    napiBudget: intIn(0, 65536),
    atrSampleRate: intIn(1, 65536),
    peerTurnaroundNs: ns(),
    peerJitterCv: numIn(0, 10),
    steering: oneOf(['atr', 'fixed'] as const),
    irqCpus: z
      .array(z.int({ error: 'a CPU id (integer >= 0)' }).min(0, { error: 'a CPU id (integer >= 0)' }), {
        error: 'a non-empty array of at most 4096 CPU ids',
      })
      .min(1, { error: 'a non-empty array of at most 4096 CPU ids' })
      .max(4096, { error: 'a non-empty array of at most 4096 CPU ids' }),
  },
  { error: 'an object describing the NIC' },
);

const DISTANCE_WHAT = 'a sockets x sockets matrix of SLIT distances: 10 on the diagonal, 11..254 elsewhere';
const cpuSchema = z.strictObject(
  {
    sockets: intIn(1, 16),
    coresPerSocket: intIn(1, 256),
    threadsPerCore: intIn(1, 8).optional(),
    coresPerLlc: intIn(1, 256).optional(),
    nodeDistance: z
      .array(z.array(intIn(10, 254, DISTANCE_WHAT), { error: DISTANCE_WHAT }), { error: DISTANCE_WHAT })
      .optional(),
    ghz: numIn(0.1, 100, 'a clock rate in GHz 0.1..100'),
  },
  { error: 'an object describing the CPUs' },
);

export const profileSchema = z
  .strictObject(
    {
      name: text(100),
      description: text(2000),
      cpu: cpuSchema,
      nic: nicSchema,
      costs: costsSchema,
      sched: schedSchema,
      cache: cacheSchema,
      cgroup: cgroupSchema,
      kvm: kvmSchema,
      locks: locksSchema,
    },
    { error: 'a profile object' },
  )
  .superRefine((p, ctx) => {
    const d = p.cpu.nodeDistance;
    const n = p.cpu.sockets;
    if (d !== undefined) {
      const square = d.length === n && d.every((row) => row.length === n);
      const slit = square && d.every((row, i) => row.every((v, j) => (i === j ? v === 10 : v > 10)));
      if (!slit)
        ctx.addIssue({ code: 'custom', path: ['cpu', 'nodeDistance'], input: d, message: DISTANCE_WHAT });
    }
    // Cross-field rule: receive-interrupt CPUs must exist in the topology.
    const cpus = cpuCount(p.cpu);
    p.nic.irqCpus.forEach((cpu, i) => {
      if (cpu >= cpus) {
        ctx.addIssue({
          code: 'custom',
          path: ['nic', 'irqCpus', i],
          input: cpu,
          message: `a CPU id 0..${cpus - 1} (the profile has ${cpus} CPUs)`,
        });
      }
    });
  });

/** Simulated threads and queue slots a scenario may build: vms x (vcpusPerVm + devicesPerVm x queuePairs). */
export const MAX_THREADS = 200_000;
/** TCP_STREAM buffers the windows let into flight at once: vms x instances x ceil(windowBytes / gsoBytes). */
export const MAX_STREAM_BUFFERS = 1_000_000;
/** OPEN_RR requests offered per second by all instances: vms x instances x ratePerSec. */
export const MAX_OFFERED_RATE = 1e8;
/** Virtual time of one run: warmupS + durationS. */
export const MAX_VIRTUAL_S = 3600;

/** Cross-field rules: sizes that would exhaust memory or time, and the total virtual time. */
function scenarioRules(s: Scenario, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], input: unknown, message: string) =>
    ctx.addIssue({ code: 'custom', path, input, message });
  if (Array.isArray(s.policy.vqMap)) {
    // VHOST_ATTACH_VRING_WORKER takes a worker the device has.
    s.policy.vqMap.forEach((w, i) => {
      if (w >= s.policy.workersPerDevice) {
        issue(
          ['policy', 'vqMap', i],
          w,
          `a worker index 0..${s.policy.workersPerDevice - 1} (policy.workersPerDevice)`,
        );
      }
    });
  }
  const cpusPerNode = s.profile.cpu.coresPerSocket * (s.profile.cpu.threadsPerCore ?? 1);
  if (s.model === 'sidecore' && cpusPerNode < 2) {
    // A sidecore is a CPU of its node kept free of vCPUs, and each node keeps at least one for vCPUs.
    issue(
      ['profile', 'cpu', 'coresPerSocket'],
      s.profile.cpu.coresPerSocket,
      `at least 2 CPUs per node for model sidecore (one for the VMs' vCPUs, one or more as sidecores; here ${cpusPerNode})`,
    );
  }
  const threads = s.vms * (s.vcpusPerVm + s.devicesPerVm * s.queuePairs);
  if (threads > MAX_THREADS) {
    issue(
      ['vms'],
      s.vms,
      `vms x (vcpusPerVm + devicesPerVm x queuePairs) <= ${MAX_THREADS} (here ${s.vms} x (${s.vcpusPerVm} + ${s.devicesPerVm} x ${s.queuePairs}) = ${threads})`,
    );
  }
  if (s.warmupS + s.durationS > MAX_VIRTUAL_S) {
    issue(
      ['warmupS'],
      s.warmupS,
      `warmupS + durationS <= ${MAX_VIRTUAL_S} s of virtual time (durationS is ${s.durationS})`,
    );
  }
  const w = s.workload;
  if (w.direction === 'rx' && (w.kind !== 'TCP_STREAM' || w.peer !== 'external')) {
    issue(
      ['workload', 'direction'],
      w.direction,
      `tx, or rx (the external peer streaming to the guest, TCP_MAERTS) only with workload.kind TCP_STREAM and peer external (here ${w.kind}, peer ${w.peer}; a UDP flood toward a guest would need ksoftirqd, which is not modelled)`,
    );
  }
  if (w.kind === 'TCP_STREAM') {
    const buffers = s.vms * w.instances * Math.ceil(w.windowBytes / w.gsoBytes);
    if (buffers > MAX_STREAM_BUFFERS) {
      issue(
        ['workload', 'windowBytes'],
        w.windowBytes,
        `vms x instances x ceil(windowBytes / gsoBytes) <= ${MAX_STREAM_BUFFERS} buffers in flight (here ${buffers})`,
      );
    }
  }
  if (w.kind === 'OPEN_RR') {
    const offered = s.vms * w.instances * w.ratePerSec;
    if (offered > MAX_OFFERED_RATE) {
      issue(
        ['workload', 'ratePerSec'],
        w.ratePerSec,
        `vms x instances x ratePerSec <= ${MAX_OFFERED_RATE} requests/s offered (here ${offered})`,
      );
    }
  }
  if (w.kind === 'BLOCK') {
    // Instance k submits on queue pair k mod queuePairs; its requests hold ring slots until completed.
    const perQueue = Math.ceil(w.instances / (s.devicesPerVm * s.queuePairs)) * w.iodepth;
    if (perQueue > s.ringSize) {
      issue(
        ['workload', 'iodepth'],
        w.iodepth,
        `instances per queue x iodepth <= ringSize ${s.ringSize} (here ${perQueue}): a request holds its descriptor until completed`,
      );
    }
  }
  const cpus = cpuCount(s.profile.cpu);
  const pmdCores: unknown = (s as { policy?: { pmdCores?: unknown } }).policy?.pmdCores;
  if (Array.isArray(pmdCores)) {
    pmdCores.forEach((cpu: number, i) => {
      if (cpu >= cpus)
        issue(['policy', 'pmdCores', i], cpu, `a CPU id 0..${cpus - 1} (the profile has ${cpus} CPUs)`);
    });
  }
}

export const scenarioSchema = z
  .strictObject(
    {
      model: oneOf(['per-device', 'per-cpu', 'multi-worker', 'busy-poll', 'sidecore', 'pmd'] as const),
      policy: z.strictObject(
        {
          workersPerDevice: intIn(1, 256),
          vqMap: z.union([oneOf(['shared', 'per-vq', 'per-pair'] as const), z.array(intIn(0, 255)).min(1)], {
            error: "'shared', 'per-vq', 'per-pair' or a list of worker indexes",
          }),
          taskMode: oneOf(['kthread', 'vhost_task'] as const),
          nprocLimit: intIn(0, 1 << 22),
          // busyloop_timeout is a µs count; beyond a second a spin is no longer "busy polling".
          busyPollUs: z
            .number({ error: 'a number of µs 0..1000000' })
            .min(0, { error: 'a number of µs 0..1000000' })
            .max(1_000_000, { error: 'a number of µs 0..1000000' }),
          sidecoresPerNode: intIn(1, 64),
          pmdCores: z.array(intIn(0, 4095)),
          rxqAssign: oneOf(['roundrobin', 'cycles', 'group'] as const),
          autoLb: z.boolean({ error: 'true or false' }),
          autoLbIntervalS: z
            .number({ error: 'a number of seconds > 0 and <= 3600' })
            .gt(0, { error: 'a number of seconds > 0 and <= 3600' })
            .max(3600, { error: 'a number of seconds > 0 and <= 3600' }),
          autoLbLoadThreshold: fraction(),
          autoLbImprovementThreshold: fraction(),
          cgroupAttach: oneOf(['per-change', 'lazy', 'charge'] as const),
          autoLbRebalIntervalS: z
            .number({ error: 'a number of seconds 0..86400' })
            .min(0, { error: 'a number of seconds 0..86400' })
            .max(86_400, { error: 'a number of seconds 0..86400' }),
          perCpuOwnWorker: oneOf(['never', 'when-idle', 'always'] as const),
          perCpuKey: oneOf(['works', 'cpu', 'works-then-cpu'] as const),
          perCpuRequeue: oneOf(['pick', 'own'] as const),
          perCpuTxRx: oneOf(['split', 'hybrid'] as const),
        },
        { error: 'an object of threading-model options' },
      ),
      workload: z.strictObject(
        {
          kind: oneOf(['TCP_RR', 'UDP_RR', 'TCP_STREAM', 'UDP_STREAM', 'OPEN_RR', 'BLOCK'] as const),
          instances: intIn(1, 64),
          // A request or response is one packet (one virtio buffer): at most one GSO super-packet.
          requestBytes: intIn(1, 65160),
          responseBytes: intIn(1, 65160),
          messageBytes: intIn(0, 1 << 20, 'an integer 0..1048576 (0 = netperf default)'),
          windowBytes: intIn(1, 1 << 26),
          gsoBytes: intIn(64, 65160),
          direction: oneOf(['tx', 'rx'] as const),
          peer: oneOf(['external', 'east-west'] as const),
          pairing: oneOf(['neighbor', 'same-node', 'cross-node', 'random'] as const),
          // fio's iodepth; the requests in flight must fit the ring (each is one indirect descriptor).
          iodepth: intIn(1, 1024),
          blockBytes: intIn(512, 65536),
          arrival: oneOf(['poisson', 'constant'] as const),
          ratePerSec: numIn(0.001, 1e6, 'a rate per instance in requests/s 0.001..1000000'),
        },
        { error: 'a workload object' },
      ),
      vms: intIn(1, 4096),
      vcpusPerVm: intIn(1, 64),
      devicesPerVm: intIn(1, 16),
      queuePairs: intIn(1, 64),
      durationS: z
        .number({ error: 'a number of seconds 0.000001..3600' })
        .min(1e-6, { error: 'a number of seconds 0.000001..3600' })
        .max(3600, { error: 'a number of seconds 0.000001..3600' }),
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
      guest: z.strictObject(
        {
          headerInline: z.boolean({ error: 'true or false' }),
          sndbufBytes: intIn(2048, 1 << 30),
          txqueuelen: intIn(1, 1e6),
          indirectDesc: z.boolean({ error: 'true or false' }),
          mergeableRxBufs: z.boolean({ error: 'true or false' }),
        },
        { error: 'an object { headerInline, sndbufBytes, txqueuelen, indirectDesc, mergeableRxBufs }' },
      ),
      ringSize: z
        .int({ error: 'a power of two 2..32768' })
        .min(2, { error: 'a power of two 2..32768' })
        .max(32768, { error: 'a power of two 2..32768' })
        .refine(isPowerOfTwo, { error: 'a power of two 2..32768' }),
      costDistribution: z.strictObject(
        { kind: oneOf(['constant', 'exponential', 'lognormal'] as const), cv: numIn(0, 10) },
        { error: 'an object { kind, cv }' },
      ),
      profile: profileSchema,
    },
    { error: 'a scenario object' },
  )
  .superRefine(scenarioRules);

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

/** The ScenarioError of one zod issue: unknown keys get the known ones and a "did you mean". */
function issueError(obj: unknown, issue: z.core.$ZodIssue): ScenarioError {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const path = [...issue.path, key];
    const known = knownKeysAt(issue.path);
    const expected = known.length > 0 ? `one of the known keys (${known.join(', ')})` : 'no such key';
    return new ScenarioError(
      formatPath(path),
      valueAt(obj, path),
      expected,
      `${formatPath(path)}: unknown key${didYouMean(key, known)}; expected ${expected}`,
    );
  }
  return new ScenarioError(formatPath(issue.path), valueAt(obj, issue.path), issue.message);
}

/** Every problem of a fully specified scenario (none when it is valid), in the schema's order. */
export function scenarioErrors(obj: unknown): ScenarioError[] {
  const result = scenarioSchema.safeParse(canonicalScenarioNames(obj));
  if (result.success) return [];
  const out: ScenarioError[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(issueError(obj, { ...issue, keys: [key] }));
    } else out.push(issueError(obj, issue));
  }
  return out;
}

/**
 * Validate a fully specified scenario (a hand-built or stored one; `resolveScenario` validates its own).
 * Throws a ScenarioError describing the first problem.
 *
 * @example
 * ```ts
 * import { readFileSync, writeFileSync } from 'node:fs';
 * import { resolveScenario, validateScenario } from 'vhost-sim';
 *
 * // A scenario stored as JSON (as a sweep's scenario.json) read back and checked before use.
 * writeFileSync('scenario.json', JSON.stringify(resolveScenario({ vms: 2 })));
 * const scenario = validateScenario(JSON.parse(readFileSync('scenario.json', 'utf8')));
 * console.log(scenario.vms, scenario.model);
 * ```
 */
export function validateScenario(obj: unknown): Scenario {
  const result = scenarioSchema.safeParse(canonicalScenarioNames(obj));
  if (result.success) return result.data;
  throw issueError(obj, result.error.issues[0]);
}
