/**
 * The measured tables of the docs, each from one command, so that a model change is followed by one rerun
 * and a paste: `npx tsx scripts/doc-tables.ts <table> [--jobs N]`, Markdown on stdout (run it niced).
 *
 * - `sched`: docs/reproduction.md, each scheduler rule switched off in turn;
 * - `costs`: docs/reproduction.md, what drives the crossover, one cost at a time;
 * - `pinning`: docs/reproduction.md, vCPUs bound to their node or free;
 * - `dispatch-rr`, `dispatch-streams`: docs/dispatch.md, each per-CPU dispatch variant on TCP_RR, and
 *   requeue / hybrid on UDP_STREAM and TCP_STREAM;
 * - `policy`: docs/guide/write-a-policy.md, the example policy beside the built-in models;
 * - `workloads`, `sidecore`, `east-west-idle`: docs/reproduction.md, each workload at 1 and 32 VMs, sidecore
 *   polling beside per-device and per-cpu, and where per-cpu east-west leaves cores idle.
 *
 * Every figure is a mean over seeds of the library's own sweep (`sweep()`), the same runs as the CLI's
 * `vhost-sim sweep` with the settings printed above each table.
 */
import { RoundRobinPerNodePolicy } from '../docs/examples/roundRobinPerNode.ts';
import {
  crossoverStatement,
  type Metrics,
  resolveScenario,
  runScenario,
  type ScenarioInput,
  type ScenarioPath,
  type SweepPoint,
  type SweepResult,
  sweep,
} from '../src/index.ts';
import { sampleIdleWaits } from '../src/metrics/idleWaits.ts';
import { summarize } from '../src/metrics/summary.ts';
import { measureWindow } from '../src/runtime/measureWindow.ts';
import { SimSystem } from '../src/runtime/system.ts';

const args = process.argv.slice(2);
const table = args[0];
const jobsAt = args.indexOf('--jobs');
const jobs = jobsAt >= 0 ? Number(args[jobsAt + 1]) : 2;

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const kilo = (x: number) => `${(x / 1000).toFixed(1)}k`;
const pct = (x: number, digits = 0) => `${(x * 100).toFixed(digits)} %`;
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const header = (cells: readonly string[], align: readonly ('l' | 'r')[]) =>
  [row(cells), row(align.map((a) => (a === 'l' ? ':--' : '--:')))].join('\n');

type Pick = (p: SweepPoint) => boolean;
const at =
  (r: SweepResult) =>
  (model: string, vms: number, extra: Pick = () => true): Metrics => {
    const p = r.points.find((q) => q.model === model && q.vms === vms && extra(q));
    if (p === undefined) throw new Error(`no point ${model} at ${vms} VMs`);
    return p.metrics;
  };

/** Half the 95 % interval of a point's throughput over its seeds. */
const halfWidth = (r: SweepResult, model: string, vms: number) => {
  const ci = r.points.find((q) => q.model === model && q.vms === vms)?.ci95?.throughput;
  return ci === undefined ? Number.NaN : (ci.high - ci.low) / 2;
};

/** Both models' mean throughput at a VM count with its 95 % half-width: "dev ± h / cpu ± h". */
const tpsWithCi = (r: SweepResult, vms: number) =>
  ['per-device', 'per-cpu']
    .map((m) => `${int.format(at(r)(m, vms).throughput.value)} ± ${int.format(halfWidth(r, m, vms))}`)
    .join(' / ');

/** Where per-cpu's mean curve crosses per-device's: ↑ per-cpu moves ahead, ↓ per-device does. */
function crossingText(r: SweepResult, metric: 'throughput' | 'efficiency', vmsList: readonly number[]) {
  const get = at(r);
  const pts = vmsList.map((vms) => ({
    vms,
    a: get('per-device', vms)[metric].value,
    b: get('per-cpu', vms)[metric].value,
  }));
  const xs = crossoverStatement(pts).crossings;
  // The side ahead (by more than the 1 % tie) at the end; the crossings alternate back from it.
  const ahead = pts.map((p) => p.b - p.a).filter((d, i) => Math.abs(d) > 0.01 * Math.max(pts[i].a, pts[i].b));
  const up = (ahead[ahead.length - 1] ?? 0) > 0;
  if (xs.length === 0) return ahead.length === 0 ? 'level' : up ? 'cpu ahead' : 'dev ahead';
  return xs.map((x, i) => `${x.toFixed(1)}${((xs.length - 1 - i) % 2 === 0) === up ? '↑' : '↓'}`).join(', ');
}

/** The cells the ablation tables share: throughput at 32 VMs with its interval, the ratio there, the crossings. */
const headToHead = (r: SweepResult, vmsList: readonly number[]) => [
  tpsWithCi(r, 32),
  (at(r)('per-cpu', 32).throughput.value / at(r)('per-device', 32).throughput.value).toFixed(3),
  crossingText(r, 'throughput', vmsList),
  crossingText(r, 'efficiency', vmsList),
];

/** Context switches per transaction at 32 VMs, "dev / cpu". */
const switches32 = (r: SweepResult) =>
  ['per-device', 'per-cpu'].map((m) => at(r)(m, 32).contextSwitchesPerTransaction.toFixed(2)).join(' / ');

/** One table row per ablation: its label, then `cells` of a 5-seed sweep with the row's `--set`s. */
async function ablationRows(
  rows: readonly [string, string[]][],
  base: ScenarioInput,
  vmsList: number[],
  cells: (r: SweepResult) => string[],
): Promise<void> {
  for (const [label, sets] of rows) {
    const r = await sweep({ base: resolveScenario(base, sets), vmsList, reps: 5, jobs });
    console.log(row([label, ...cells(r)]));
  }
}

async function sched(): Promise<void> {
  const vmsList = [1, 4, 8, 12, 16, 32];
  const base = { durationS: 0.1, warmupS: 0.05, workload: { kind: 'TCP_RR' as const } };
  const rows: [string, string[]][] = [
    ['none (defaults)', []],
    ['`wakeAffine=false`', ['profile.sched.wakeAffine=false']],
    ['`selectIdleSibling=false`', ['profile.sched.selectIdleSibling=false']],
    [
      '`numaAffineDistance=remote` (no `SD_WAKE_AFFINE` across sockets)',
      ['profile.sched.numaAffineDistance=remote'],
    ],
    ['`periodicBalance=false`', ['profile.sched.periodicBalance=false']],
    ['`cacheHot=false`', ['profile.sched.cacheHot=false']],
    ['`decayedLoad=false`', ['profile.sched.decayedLoad=false']],
    ['vCPUs free (`pinning.vcpu=none`, below)', ['pinning.vcpu=none']],
  ];
  console.log(`VMs ${vmsList.join(', ')}; 5 seeds of ${base.durationS} s after ${base.warmupS} s\n`);
  console.log(
    header(
      [
        'rule off',
        'tps 32 VMs ± 95 % (dev / cpu)',
        'ratio @32',
        'throughput crossings',
        'efficiency crossings',
        'off-node @16',
        'off-node @32',
        'switches/txn @32 (dev / cpu)',
      ],
      ['l', 'l', 'r', 'l', 'l', 'r', 'r', 'l'],
    ),
  );
  await ablationRows(rows, base, vmsList, (r) => {
    const get = at(r);
    return [
      ...headToHead(r, vmsList),
      pct(get('per-device', 16).remoteNodeWorkShare),
      pct(get('per-device', 32).remoteNodeWorkShare),
      switches32(r),
    ];
  });
}

async function costs(): Promise<void> {
  const vmsList = [1, 4, 8, 12, 16, 24, 32];
  const base = { durationS: 0.05, warmupS: 0.02, workload: { kind: 'TCP_RR' as const } };
  const c = 'profile.costs';
  const free = [`${c}.ctxSwitchNs=0`, `${c}.cacheRefillNs=0`, `${c}.tlbRefillNs=0`, `${c}.memRefillNs=0`];
  const local = [`${c}.remoteNumaPenalty=0`, `${c}.vqCacheTransferRemoteNs=600`, `${c}.lineRemoteNs=40`];
  const rows: [string, string[]][] = [
    ['none (defaults)', []],
    ['switches free: `ctxSwitchNs`, `cacheRefillNs`, `tlbRefillNs`, `memRefillNs` = 0', free],
    ['NUMA free: `remoteNumaPenalty=0`, remote vq and line transfers = local', local],
    ['switch **and** NUMA costs free', [...free, ...local]],
    ['`cgroupAttachNs=3000`', [`${c}.cgroupAttachNs=3000`]],
    [
      '`vqCacheTransferLocalNs=0`, `vqCacheTransferRemoteNs=0`',
      [`${c}.vqCacheTransferLocalNs=0`, `${c}.vqCacheTransferRemoteNs=0`],
    ],
    ['`ctxSwitchNs=3000`', [`${c}.ctxSwitchNs=3000`]],
    ['`tlbRefillNs=3000`', [`${c}.tlbRefillNs=3000`]],
    ['`idleExitNs=0`', [`${c}.idleExitNs=0`]],
  ];
  console.log(`VMs ${vmsList.join(', ')}; 5 seeds of ${base.durationS} s after ${base.warmupS} s\n`);
  console.log(
    header(
      [
        'change (`--set …`)',
        'tps 1 VM (dev / cpu)',
        'tps 32 VMs ± 95 % (dev / cpu)',
        'ratio @32',
        'throughput crossings',
        'efficiency crossings',
        'switches/txn @32 (dev / cpu)',
      ],
      ['l', 'l', 'l', 'r', 'l', 'l', 'l'],
    ),
  );
  await ablationRows(rows, base, vmsList, (r) => {
    const get = at(r);
    return [
      `${int.format(get('per-device', 1).throughput.value)} / ${int.format(get('per-cpu', 1).throughput.value)}`,
      ...headToHead(r, vmsList),
      switches32(r),
    ];
  });
}

async function pinning(): Promise<void> {
  const vmsList = [8, 16, 32];
  const base = { durationS: 0.05, warmupS: 0.02, workload: { kind: 'TCP_RR' as const } };
  const [bound, free] = await Promise.all(
    ['node', 'none'].map(async (p) =>
      at(await sweep({ base: resolveScenario(base, [`pinning.vcpu=${p}`]), vmsList, reps: 5, jobs })),
    ),
  );
  const pair = (f: (m: Metrics) => string, model: string, vms: number) =>
    `${f(bound(model, vms))} / ${f(free(model, vms))}`;
  const tps = (m: Metrics) => int.format(m.throughput.value);
  const off = (m: Metrics) => pct(m.remoteNodeWorkShare);
  console.log(`VMs ${vmsList.join(', ')}; 5 seeds of ${base.durationS} s after ${base.warmupS} s\n`);
  console.log(
    header(
      [
        'VMs',
        'per-device tps, bound / free',
        'per-cpu tps, bound / free',
        'per-device off-node, bound / free',
        'per-cpu off-node, bound / free',
        'ratio @VMs, bound / free',
      ],
      ['r', 'l', 'l', 'l', 'l', 'l'],
    ),
  );
  for (const vms of vmsList) {
    const ratio = (g: typeof bound) =>
      (g('per-cpu', vms).throughput.value / g('per-device', vms).throughput.value).toFixed(3);
    console.log(
      row([
        vms,
        pair(tps, 'per-device', vms),
        pair(tps, 'per-cpu', vms),
        pair(off, 'per-device', vms),
        pair(off, 'per-cpu', vms),
        `${ratio(bound)} / ${ratio(free)}`,
      ]),
    );
  }
}

async function dispatchRr(): Promise<void> {
  const vmsList = [1, 4, 8, 12, 16, 24, 32];
  const base = resolveScenario({ durationS: 0.05, warmupS: 0.02, workload: { kind: 'TCP_RR' } });
  const variants: [ScenarioPath, string, string[]][] = [
    ['policy.perCpuOwnWorker', 'own worker', ['never', 'when-idle', 'always']],
    ['policy.perCpuKey', 'key', ['works', 'cpu', 'works-then-cpu']],
    ['policy.perCpuRequeue', 'requeue', ['pick', 'own']],
    ['policy.perCpuTxRx', '', ['split', 'hybrid']],
  ];
  console.log(`VMs ${vmsList.join(', ')}; 3 seeds of ${base.durationS} s after ${base.warmupS} s\n`);
  console.log(
    header(
      ['variant', ...vmsList.map((v) => `${v} VMs`), 'busy picks 16/32', 'attaches/s 32'],
      ['l', ...vmsList.map(() => 'r' as const), 'r', 'r'],
    ),
  );
  let first = true;
  for (const [path, name, values] of variants) {
    const r = await sweep({ base, vmsList, reps: 3, jobs, axes: [{ path, values }] });
    const get = at(r);
    const of = (v: string) => (p: SweepPoint) => p.axes?.[path] === v;
    if (first) {
      console.log(
        row([
          'per-device',
          ...vmsList.map((n) => kilo(get('per-device', n, of(values[0])).throughput.value)),
          '—',
          '—',
        ]),
      );
      first = false;
    }
    values.forEach((v, i) => {
      if (i === 0 && path !== 'policy.perCpuOwnWorker') return; // the defaults' row is printed once
      const m = (n: number) => get('per-cpu', n, of(v));
      const label =
        i === 0
          ? 'per-cpu, defaults (`never`, `works`, `pick`, `split`)'
          : `per-cpu, ${name === '' ? '' : `${name} `}\`${v}\``;
      console.log(
        row([
          label,
          ...vmsList.map((n) => kilo(m(n).throughput.value)),
          `${pct(m(16).vhost.busyPickShare, 1)} / ${pct(m(32).vhost.busyPickShare, 1)}`,
          kilo(m(32).vhost.cgroupAttachesPerSec),
        ]),
      );
    });
  }
}

async function dispatchStreams(): Promise<void> {
  const vmsList = [4, 12, 32];
  const input = { durationS: 0.03, warmupS: 0.01 };
  console.log(`VMs ${vmsList.join(', ')}; 2 seeds of ${input.durationS} s after ${input.warmupS} s\n`);
  console.log(
    header(
      [
        'workload',
        'variant',
        ...vmsList.map((v) => `${v} VMs Gbit/s (eff.)`),
        'requeues/s at 32',
        'attaches/s at 32',
      ],
      ['l', 'l', ...vmsList.map(() => 'r' as const), 'r', 'r'],
    ),
  );
  for (const workload of ['UDP_STREAM', 'TCP_STREAM'] as const) {
    const r = await sweep({
      base: resolveScenario({ ...input, workload: { kind: workload } }),
      vmsList,
      reps: 2,
      jobs,
      axes: [
        { path: 'policy.perCpuRequeue', values: ['pick', 'own'] },
        { path: 'policy.perCpuTxRx', values: ['split', 'hybrid'] },
      ],
    });
    const get = at(r);
    const of = (rq: string, tr: string) => (p: SweepPoint) =>
      p.axes?.['policy.perCpuRequeue'] === rq && p.axes?.['policy.perCpuTxRx'] === tr;
    const lines: [string, string, string, string][] = [
      ['per-device', 'per-device', 'pick', 'split'],
      ['per-cpu', 'per-cpu, defaults', 'pick', 'split'],
      ['per-cpu', 'per-cpu, requeue `own`', 'own', 'split'],
      ['per-cpu', 'per-cpu, `hybrid`', 'pick', 'hybrid'],
    ];
    for (const [model, label, rq, tr] of lines) {
      const m = (n: number) => get(model, n, of(rq, tr));
      const gbps = (x: Metrics) => `${x.throughput.value.toFixed(2)} (${x.efficiency.value.toPrecision(3)})`;
      console.log(
        row([
          workload,
          label,
          ...vmsList.map((n) => gbps(m(n))),
          kilo(m(32).vhost.requeuesPerSec),
          kilo(m(32).vhost.cgroupAttachesPerSec),
        ]),
      );
    }
  }
}

function policy(): void {
  const vmsList = [1, 4, 8, 16, 32];
  const input = { durationS: 0.2, warmupS: 0.1, workload: { kind: 'TCP_RR' as const } };
  console.log(`TCP_RR, seed 1, ${input.durationS} s after ${input.warmupS} s\n`);
  console.log(
    header(
      [
        'VMs',
        'per-device tps',
        'per-cpu tps',
        'example K=1 tps',
        'example K=2 tps',
        'per-device eff.',
        'per-cpu eff.',
        'K=1 eff.',
        'K=2 eff.',
      ],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  for (const vms of vmsList) {
    const s = (model: 'per-device' | 'per-cpu') => resolveScenario({ ...input, vms, model });
    const runs = [
      runScenario(s('per-device')).metrics,
      runScenario(s('per-cpu')).metrics,
      runScenario(s('per-device'), { policy: new RoundRobinPerNodePolicy(1) }).metrics,
      runScenario(s('per-device'), { policy: new RoundRobinPerNodePolicy(2) }).metrics,
    ];
    console.log(
      row([
        vms,
        ...runs.map((m) => int.format(m.throughput.value)),
        ...runs.map((m) => int.format(m.efficiency.value)),
      ]),
    );
  }
}

/** One run's figure as the table prints it: throughput (tps or Gbit/s) and efficiency. */
const fig = (m: Metrics) =>
  m.throughput.unit === 'Gbit/s' ? m.throughput.value.toFixed(2) : int.format(m.throughput.value);
const eff = (m: Metrics) =>
  m.throughput.unit === 'Gbit/s' ? m.efficiency.value.toFixed(2) : int.format(m.efficiency.value);
const dropsText = (m: Metrics) =>
  Object.entries(m.drops)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${kilo(n)}`)
    .join(', ') || 'none';

async function workloads(): Promise<void> {
  const vmsList = [1, 32];
  const input = { durationS: 0.2, warmupS: 0.05 };
  const rows: [string, ScenarioInput['workload'], string[]][] = [
    ['TCP_RR, external', { kind: 'TCP_RR' }, []],
    ['UDP_RR, external', { kind: 'UDP_RR' }, []],
    ['TCP_STREAM, external', { kind: 'TCP_STREAM' }, []],
    ['TCP_MAERTS, external → guest', { kind: 'TCP_STREAM', direction: 'rx' }, []],
    ['UDP_STREAM, external', { kind: 'UDP_STREAM' }, []],
    ['TCP_RR, east-west', { kind: 'TCP_RR', peer: 'east-west' }, []],
    ['UDP_RR, east-west', { kind: 'UDP_RR', peer: 'east-west' }, []],
    ['TCP_STREAM, east-west', { kind: 'TCP_STREAM', peer: 'east-west' }, []],
    ['UDP_STREAM, east-west', { kind: 'UDP_STREAM', peer: 'east-west' }, []],
  ];
  console.log(`seed 1, ${input.durationS} s after ${input.warmupS} s; figures dev / cpu\n`);
  console.log(
    header(
      ['Workload', '1 VM', '32 VMs', '32 VMs efficiency', '32 VMs idle', '32 VMs drops (dev / cpu)'],
      ['l', 'l', 'l', 'l', 'l', 'l'],
    ),
  );
  for (const [label, workload] of rows) {
    const r = await sweep({ base: { ...input, workload }, vmsList, jobs });
    const get = at(r);
    const pair = (f: (m: Metrics) => string, vms: number) =>
      `${f(get('per-device', vms))} / ${f(get('per-cpu', vms))}`;
    console.log(
      row([
        label,
        pair(fig, 1),
        pair(fig, 32),
        pair(eff, 32),
        pair((m) => pct(m.cpuBreakdown.idle), 32),
        pair(dropsText, 32),
      ]),
    );
  }
}

async function sidecore(): Promise<void> {
  const vmsList = [1, 4, 8, 16, 24, 32];
  const input = { durationS: 0.1, warmupS: 0.05, workload: { kind: 'TCP_RR' as const } };
  console.log(`TCP_RR, seed 1, ${input.durationS} s after ${input.warmupS} s\n`);
  const r = await sweep({ base: input, models: ['per-device', 'per-cpu', 'sidecore'], vmsList, jobs });
  const get = at(r);
  console.log(
    header(
      [
        'VMs',
        'per-device tps',
        'per-cpu tps',
        'sidecore tps',
        'sidecore / dev',
        'eff. dev / sidecore',
        'busy',
      ],
      ['r', 'r', 'r', 'r', 'r', 'l', 'r'],
    ),
  );
  for (const vms of vmsList) {
    const [dev, cpu, sc] = [get('per-device', vms), get('per-cpu', vms), get('sidecore', vms)];
    console.log(
      row([
        vms,
        int.format(dev.throughput.value),
        int.format(cpu.throughput.value),
        int.format(sc.throughput.value),
        (sc.throughput.value / dev.throughput.value).toFixed(2),
        `${int.format(dev.efficiency.value)} / ${int.format(sc.efficiency.value)}`,
        pct(sc.cpuUtilization),
      ]),
    );
  }
  // The sidecores themselves at 32 VMs (the last core of each node), and more of them.
  const at32 = get('sidecore', 32);
  const cores = at32.perCpu.filter((c) => c.cpu % 4 === 3);
  console.log(
    `\nsidecores at 32 VMs: ${cores.map((c) => `cpu${c.cpu} vhost ${pct(c.vhost)}, irq ${pct(c.irq)}, idle ${pct(c.idle)}`).join('; ')}`,
  );
  for (const n of [2, 3]) {
    const m = runScenario(
      resolveScenario({ ...input, model: 'sidecore', vms: 32 }, [`policy.sidecoresPerNode=${n}`]),
    ).metrics;
    console.log(
      `sidecoresPerNode=${n} at 32 VMs: ${int.format(m.throughput.value)} tps, eff. ${int.format(m.efficiency.value)}`,
    );
  }
  for (const vms of [4, 32]) {
    const m = runScenario(
      resolveScenario({ ...input, model: 'sidecore', vms, workload: { kind: 'UDP_STREAM' } }),
    ).metrics;
    console.log(`UDP_STREAM sidecore at ${vms} VMs: ${m.throughput.value.toFixed(2)} Gbit/s received`);
  }
}

/** Per-cpu east-west at 32 VMs with neighbor pairs: idle cores, vhost sojourn, and who waits while what is idle. */
function eastWestIdle(): void {
  for (const pairing of ['neighbor', 'random'] as const) {
    const s = resolveScenario({
      model: 'per-cpu',
      vms: 32,
      durationS: 0.03,
      warmupS: 0.01,
      workload: { kind: 'TCP_RR', peer: 'east-west', pairing },
    });
    const sys = new SimSystem(s);
    const h = sys.host;
    const waits = sampleIdleWaits(h, sys.kernel, s.warmupS * 1e9);
    const { counters, windowNs } = measureWindow(sys);
    const m = summarize(h, counters, windowNs);
    const w = waits();
    console.log(
      `${pairing}: ${int.format(m.throughput.value)} tps, idle ${pct(m.cpuBreakdown.idle)}, vhost sojourn ${m.vhost.sojournUsMean.toFixed(1)} µs (per packet TX ${m.vhost.pktSojournUsMean.tx.toFixed(1)}, RX ${m.vhost.pktSojournUsMean.rx.toFixed(1)}); ` +
        `vhost threads waiting ${w.waiting.toFixed(2)}, of them while a core of their node is idle ${w.sameNodeIdle.toFixed(2)}, while only one of the other node is ${w.otherNodeIdle.toFixed(2)}`,
    );
  }
}

const tables: Record<string, () => void | Promise<void>> = {
  sched,
  costs,
  pinning,
  workloads,
  sidecore,
  'east-west-idle': eastWestIdle,
  'dispatch-rr': dispatchRr,
  'dispatch-streams': dispatchStreams,
  policy,
};
const fn = table === undefined ? undefined : tables[table];
if (fn === undefined || !(jobs >= 1)) {
  console.error(`usage: tsx scripts/doc-tables.ts <${Object.keys(tables).join('|')}> [--jobs N]`);
  process.exit(2);
}
await fn();
