/**
 * `--fields`: which figures the table and the CSV show, like netperf's output selectors (`-o
 * THROUGHPUT,MEAN_LATENCY`). A field is a dotted metric path as in the CSV header (`latencyUs.p99`,
 * `vhost.worksPerSec`), an object that stands for every field under it (`latencyUs`, `serviceDemand`),
 * or one of netperf's selector names below (any case). A path spelt exactly comes first, so `throughput`
 * is the object (value and unit) and `THROUGHPUT` netperf's value.
 */
import { summarize } from '../metrics/summary.ts';
import { SimSystem } from '../runtime/system.ts';
import { resolveScenario } from '../scenario/resolve.ts';
import { closest } from '../scenario/suggest.ts';
import { flatten } from './format.ts';
import { UsageError } from './usageError.ts';

/**
 * netperf's omni output selectors with a figure of ours in the same unit (netperf manual, "Omni Output
 * Selectors", https://hewlettpackard.github.io/netperf/doc/netperf.html#Omni-Output-Selectors).
 */
export const NETPERF_SELECTORS: Readonly<Record<string, string>> = {
  THROUGHPUT: 'throughput.value',
  THROUGHPUT_UNITS: 'throughput.unit',
  MEAN_LATENCY: 'latencyUs.mean',
  P50_LATENCY: 'latencyUs.p50',
  P99_LATENCY: 'latencyUs.p99',
  LOCAL_SD: 'serviceDemand.value',
  SD_UNITS: 'serviceDemand.unit',
};

let keys: string[] | undefined;
/** Every field a run's metrics have (the CSV header of `run`), from an idle 1-VM system's summary. */
export function metricFields(): string[] {
  if (keys === undefined) {
    const sys = new SimSystem(resolveScenario({ vms: 1 }));
    const zero = { voluntary: 0, involuntary: 0, migrations: 0, coreSwitches: 0, picks: 0, busyPicks: 0 };
    keys = Object.keys(flatten(summarize(sys.host, zero, 1e9)));
  }
  return keys;
}

/** The fields `name` stands for: itself, or every field under it. */
function matching(all: readonly string[], name: string, anyCase: boolean): string[] {
  const norm = (x: string) => (anyCase ? x.toLowerCase() : x);
  const n = norm(name);
  const exact = all.find((k) => norm(k) === n);
  return exact !== undefined ? [exact] : all.filter((k) => norm(k).startsWith(`${n}.`));
}

/** The metric paths `--fields` stands for, in the order given; UsageError naming `--fields` otherwise. */
export function parseFields(text: string): string[] {
  const all = metricFields();
  const out: string[] = [];
  for (const raw of text.split(',').map((f) => f.trim())) {
    if (raw === '') throw new UsageError(`--fields: empty field name in '${text}'`);
    // A metric path as spelt wins (`throughput` is the value and its unit); then a netperf selector
    // (`THROUGHPUT` is the value, as netperf prints it); then a metric path in any case.
    const spelt = matching(all, raw, false);
    const alias = NETPERF_SELECTORS[raw.toUpperCase()];
    const under = spelt.length > 0 ? spelt : alias !== undefined ? [alias] : matching(all, raw, true);
    if (under.length === 0) {
      const names = [...all, ...new Set(all.map((k) => k.split('.')[0])), ...Object.keys(NETPERF_SELECTORS)];
      const near = closest(raw, names);
      throw new UsageError(
        `--fields: '${raw}' is not a metric${near === undefined ? '' : ` (did you mean '${near}'?)`}; ` +
          'use a CSV column (throughput.value, latencyUs.p99, serviceDemand, vhost.worksPerSec, ...) or a ' +
          `netperf selector (${Object.keys(NETPERF_SELECTORS).join(', ')})`,
      );
    }
    for (const k of under) if (!out.includes(k)) out.push(k);
  }
  return out;
}
