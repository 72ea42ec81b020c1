import { describe, expect, it } from 'vitest';
import { parseFields } from '../../src/cli/fields.ts';
import { cpuCount } from '../../src/model/topology.ts';
import { runScenario } from '../../src/runtime/runScenario.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';
import { runCli } from '../cliRun.ts';

const SHORT = ['--duration', '0.005', '--warmup', '0.002'];
const short = { durationS: 0.005, warmupS: 0.002 };

describe("netperf's figures", () => {
  it('service demand is busy host CPU µs per transaction (RR) and per KB delivered (stream)', () => {
    const rr = runScenario(resolveScenario({ ...short, vms: 2 })).metrics;
    const cores = cpuCount(resolveScenario({}).profile.cpu);
    const busyUs = rr.cpuUtilization * cores * short.durationS * 1e6;
    const txns = rr.throughput.value * short.durationS;
    expect(rr.serviceDemand.unit).toBe('µs/transaction');
    expect(rr.serviceDemand.value).toBeCloseTo(busyUs / txns, 0);

    const st = runScenario(resolveScenario({ ...short, workload: { kind: 'TCP_STREAM' } })).metrics;
    const kb = (st.throughput.value * 1e9 * short.durationS) / 8 / 1024;
    expect(st.serviceDemand.unit).toBe('µs/KB');
    expect(st.serviceDemand.value).toBeCloseTo((st.cpuUtilization * cores * short.durationS * 1e6) / kb, 2);
  });

  it('a stream has no latency: null, never 0; a request/response workload has one', () => {
    const st = runScenario(resolveScenario({ ...short, workload: { kind: 'UDP_STREAM' } })).metrics;
    expect(st.latencyUs).toEqual({ p50: null, p99: null, mean: null });
    const rr = runScenario(resolveScenario(short)).metrics;
    expect(rr.latencyUs.p50).toBeGreaterThan(0);
  });

  it('--fields takes CSV paths, objects and netperf selectors in any case; an unknown one is refused', () => {
    expect(parseFields('THROUGHPUT,throughput_units,latencyUs,local_sd')).toEqual([
      'throughput.value',
      'throughput.unit',
      'latencyUs.p50',
      'latencyUs.p99',
      'latencyUs.mean',
      'serviceDemand.value',
    ]);
    expect(() => parseFields('latencyus.p99,latencyUs.p99')).not.toThrow();
    expect(parseFields('latencyus.p99,latencyUs.p99')).toEqual(['latencyUs.p99']);
    expect(() => parseFields('througput')).toThrow(
      /--fields: 'througput' is not a metric \(did you mean 'throughput'\?\)/,
    );
  });

  it('run: a stream prints null in JSON, an empty CSV cell and "n/a" in the table', async () => {
    const args = ['run', ...SHORT, '--workload', 'TCP_STREAM'];
    const [j, c, t] = await Promise.all([
      runCli([...args, '--format', 'json']),
      runCli([
        ...args,
        '--format',
        'csv',
        '--fields',
        'THROUGHPUT,THROUGHPUT_UNITS,P99_LATENCY,LOCAL_SD,SD_UNITS',
      ]),
      runCli(args),
    ]);
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout).metrics.latencyUs).toEqual({ p50: null, p99: null, mean: null });
    expect(c.code, c.stderr).toBe(0);
    const [head, row] = c.stdout.trimEnd().split('\n');
    expect(head).toBe(
      'throughput.value,throughput.unit,latencyUs.p99,serviceDemand.value,serviceDemand.unit',
    );
    const cells = row.split(',');
    expect(cells[1]).toBe('Gbit/s');
    expect(cells[2]).toBe('');
    expect(cells[4]).toBe('µs/KB');
    expect(t.stdout).toMatch(/^Latency +n\/a/m);
    expect(t.stdout).toMatch(/^Service demand +[\d.,]+ µs\/KB/m);
  });

  it('bad --fields: one line naming --fields, exit 2, before anything runs', async () => {
    const out = await runCli(['run', '--duration', '3600', '--fields', 'nosuch']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^vhost-sim: error: --fields: 'nosuch'/);
  });

  it('sweep: every row labels its unit, streams show n/a latency, --fields picks the columns', async () => {
    const grid = ['sweep', ...SHORT, '--models', 'per-device', '--vms-list', '1', '--no-charts', '--out'];
    const dir = (n: string) => `${process.env.TMPDIR ?? '/tmp'}/vhost-sim-netperf-${process.pid}-${n}`;
    const axis = ['--axis', 'workload.kind=TCP_RR,TCP_STREAM', '--force'];
    const [csv, table, picked] = await Promise.all([
      runCli([...grid, dir('a'), ...axis, '--format', 'csv']),
      runCli([...grid, dir('b'), ...axis]),
      runCli([...grid, dir('c'), ...axis, '--format', 'csv', '--fields', 'throughput,p50_latency']),
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    const cols = lines[0].split(',');
    const at = (name: string) => cols.indexOf(name);
    expect(at('throughput.unit')).toBe(at('throughput.value') + 1);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [r[at('axis.workload.kind')], r[at('throughput.unit')]])).toEqual([
      ['TCP_RR', 'transactions/s'],
      ['TCP_STREAM', 'Gbit/s'],
    ]);
    expect(rows[1][at('latencyUs.p50')]).toBe('');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/per-device +1 +"TCP_STREAM" .* n\/a +n\/a /);
    expect(picked.code, picked.stderr).toBe(0);
    expect(picked.stdout.split('\n')[0]).toBe(
      'model,vms,workload,axis.workload.kind,throughput.value,throughput.unit,latencyUs.p50',
    );
  });
});
