/**
 * What a sensitivity study measures at each sample of the parameters: a crossover VM count, the ratio
 * of the two models' metric at one VM count, or any metric of one model at one VM count. Each output
 * says which (model, VM count) runs it needs and computes its value from their metrics.
 */
import { type CrossoverPoint, crossoverStatement } from '../metrics/crossover.ts';
import type { Metrics } from '../metrics/summary.ts';
import { type ModelName, modelNames } from '../model/scenario.ts';
import { canonicalName } from '../scenario/names.ts';
import { ScenarioError } from '../scenario/schema.ts';
import { mainMetrics } from '../sweep/sweep.ts';

export type OutputSpec =
  /** VM count at which models[1] overtakes models[0] in `metric`, over the study's VM counts. */
  | { kind: 'crossover'; metric: string }
  /** models[1]'s `metric` over models[0]'s at `vms`. */
  | { kind: 'ratio'; metric: string; vms: number }
  | { kind: 'metric'; metric: string; model: ModelName; vms: number };

export const outputLabel = (o: OutputSpec): string =>
  o.kind === 'crossover'
    ? `crossover:${o.metric}`
    : o.kind === 'ratio'
      ? `ratio:${o.metric}@${o.vms}`
      : `${o.metric}@${o.model}:${o.vms}`;

/** A metric by name (`throughput`, `latencyP99Us`, any of the main metrics) or dotted path (`vhost.worksPerSec`). */
export function metricValue(m: Metrics, metric: string): number {
  if (Object.hasOwn(mainMetrics, metric))
    return mainMetrics[metric as keyof typeof mainMetrics](m) ?? Number.NaN;
  let cur: unknown = m;
  for (const seg of metric.split('.')) {
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  if (typeof cur === 'object' && cur !== null && typeof (cur as { value?: unknown }).value === 'number') {
    return (cur as { value: number }).value;
  }
  return typeof cur === 'number' ? cur : Number.NaN;
}

const bad = (text: string, why: string) =>
  new ScenarioError('--output', text, why, `--output: ${why}, got '${text}'`);

const FORMS = 'crossover[:METRIC], ratio[:METRIC]@VMS or METRIC@MODEL:VMS';

/** Parse `crossover`, `crossover:efficiency`, `ratio@32`, `ratio:efficiency@32`, `latencyP99Us@per-cpu:8`. */
export function parseOutput(text: string): OutputSpec {
  const t = text.trim();
  const vmsOf = (s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1)
      throw bad(text, `expected a VM count (a whole number >= 1) in ${FORMS}`);
    return n;
  };
  let m = /^crossover(?::([\w.]+))?$/.exec(t);
  if (m) return { kind: 'crossover', metric: m[1] ?? 'throughput' };
  m = /^ratio(?::([\w.]+))?@(\S+)$/.exec(t);
  if (m) return { kind: 'ratio', metric: m[1] ?? 'throughput', vms: vmsOf(m[2]) };
  m = /^([\w.]+)@([\w-]+):(\S+)$/.exec(t);
  if (m) {
    const model = canonicalName(m[2], modelNames);
    if (model === undefined) throw bad(text, `expected a model (${modelNames.join(', ')})`);
    return { kind: 'metric', metric: m[1], model, vms: vmsOf(m[3]) };
  }
  throw bad(text, `expected ${FORMS}`);
}

/** The (model, VM count) runs the outputs need, models in the study's order, VM counts ascending. */
export function neededRuns(
  outputs: readonly OutputSpec[],
  models: readonly [ModelName, ModelName],
  vmsList: readonly number[],
): { model: ModelName; vms: number }[] {
  const want = new Map<ModelName, Set<number>>();
  const add = (model: ModelName, vms: number) => {
    if (!want.has(model)) want.set(model, new Set());
    want.get(model)?.add(vms);
  };
  for (const o of outputs) {
    if (o.kind === 'crossover') for (const v of vmsList) for (const mo of models) add(mo, v);
    else if (o.kind === 'ratio') for (const mo of models) add(mo, o.vms);
    else add(o.model, o.vms);
  }
  const order = [...models, ...[...want.keys()].filter((k) => !models.includes(k))];
  return order.flatMap((model) =>
    [...(want.get(model) ?? [])].sort((a, b) => a - b).map((vms) => ({ model, vms })),
  );
}

export interface OutputValue {
  value: number;
  /** For a crossover outside the VM counts: the value is the first (`ahead`) or last (`never`) count. */
  censored?: 'ahead' | 'never';
}

/**
 * The output's value from the metrics of one sample (`at(model, vms)`). A crossover that does not occur
 * inside the sampled VM counts is censored to the nearest end, so every sample has a number.
 */
export function outputValue(
  o: OutputSpec,
  models: readonly [ModelName, ModelName],
  vmsList: readonly number[],
  at: (model: ModelName, vms: number) => Metrics,
): OutputValue {
  if (o.kind === 'metric') return { value: metricValue(at(o.model, o.vms), o.metric) };
  if (o.kind === 'ratio') {
    return {
      value: metricValue(at(models[1], o.vms), o.metric) / metricValue(at(models[0], o.vms), o.metric),
    };
  }
  const series: CrossoverPoint[] = vmsList.map((vms) => ({
    vms,
    a: metricValue(at(models[0], vms), o.metric),
    b: metricValue(at(models[1], vms), o.metric),
  }));
  // The crossing after which per-cpu (b) is ahead for good; ahead from the start, or never ahead at the
  // end, censor to the nearest end. Ties within the statement's tolerance are no crossing.
  const st = crossoverStatement(series);
  const lastLeader = st.runs.filter((r) => r.order !== 'level').at(-1)?.order;
  if (lastLeader === 'b' && st.crossings.length > 0) return { value: st.crossings[st.crossings.length - 1] };
  if (lastLeader === 'b') return { value: st.runs[0].from, censored: 'ahead' };
  return { value: st.runs.at(-1)?.to ?? Number.NaN, censored: 'never' };
}
