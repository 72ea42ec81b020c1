/**
 * A sensitivity study of the simulator: a design over the ranged calibration parameters (Morris
 * trajectories or a Saltelli matrix), the grid of runs it needs (sample × model × VM count × seed), and
 * the analysis of their metrics into Morris or Sobol' indices per output. Seeds are common to every
 * sample (common random numbers); each output is taken on the mean over seeds, and the spread between
 * seeds gives the noise floor the indices are compared with.
 */
import type { Metrics } from '../metrics/summary.ts';
import type { ModelName, Scenario } from '../model/scenario.ts';
import { applySets } from '../scenario/resolve.ts';
import { validateScenario } from '../scenario/schema.ts';
import { meanMetrics } from '../sweep/execute.ts';
import type { GridPoint } from '../sweep/sweep.ts';
import type { Interval } from './bootstrap.ts';
import { latinHypercube } from './latinHypercube.ts';
import { morrisDesign, morrisIndices } from './morris.ts';
import { neededRuns, type OutputSpec, outputLabel, outputValue } from './outputs.ts';
import { assignments, type RangedRow, valuesAt } from './parameters.ts';
import { saltelliDesign, sobolIndices } from './saltelli.ts';

/** Morris screening, Sobol' indices, or Monte Carlo over the ranges (`reproduce --uncertainty`). */
export type Method = 'morris' | 'sobol' | 'monte-carlo';

export interface StudySpec {
  method: Method;
  base: Scenario;
  params: RangedRow[];
  outputs: OutputSpec[];
  /** The two models an output compares: [reference, challenger] (per-device, per-cpu). */
  models: [ModelName, ModelName];
  /** VM counts a crossover is located on. */
  vmsList: number[];
  /** Seeds per sample: base.seed, base.seed + 1, ... */
  seeds: number;
  /** Morris: trajectories and grid levels. */
  trajectories: number;
  levels: number;
  /** Sobol: base rows N of the Saltelli design (N (k + 2) samples); Monte Carlo: the samples. */
  samples: number;
  /** Seeds the Morris design and the bootstrap. */
  designSeed: number;
  bootstrap: number;
}

/** The design's points in the unit cube, in run order. */
export function studyPoints(spec: StudySpec): number[][] {
  const k = spec.params.length;
  if (spec.method === 'morris')
    return morrisDesign(k, spec.trajectories, spec.designSeed, spec.levels).points;
  if (spec.method === 'sobol') return saltelliDesign(k, spec.samples).points;
  // Monte Carlo on a Latin hypercube: each range evenly covered, the parameters drawn independently. (A
  // few Sobol' points over 51 costs lock costs together: 24 of them pair 61 costs with |corr| > 0.5.)
  return latinHypercube(spec.samples, k, spec.designSeed);
}

/** Runs per sample: the (model, VM count) pairs the outputs need. */
export const studyRuns = (spec: StudySpec) => neededRuns(spec.outputs, spec.models, spec.vmsList);

/** The scenario of a unit-cube point (validated: a range end the schema refuses is a bad range). */
export function sampleScenario(spec: StudySpec, u: readonly number[]): Scenario {
  return validateScenario(applySets(spec.base, assignments(spec.params, u)));
}

/** Every run of the study: sample-major, then (model, VM count), then seed. */
export function studyGrid(spec: StudySpec, points: readonly number[][]): GridPoint[] {
  const runs = studyRuns(spec);
  const grid: GridPoint[] = [];
  points.forEach((u, sample) => {
    const s = sampleScenario(spec, u);
    for (const { model, vms } of runs) {
      for (let seed = 0; seed < spec.seeds; seed++) {
        const scenario = validateScenario({ ...s, model, vms, seed: spec.base.seed + seed });
        grid.push({ model, vms, axes: { sample, seed: scenario.seed }, scenario });
      }
    }
  });
  return grid;
}

export interface SampleResult {
  /** Parameter values, in `params` order. */
  values: number[];
  /** Per output label: the value on the seed-mean metrics, and each seed's own. */
  outputs: Record<string, { value: number; censored?: 'ahead' | 'never'; bySeed: number[] }>;
}

export interface MorrisEntry {
  path: string;
  mu: number;
  muStar: number;
  sigma: number;
  muStarCi: Interval;
  sigmaCi: Interval;
}

export interface SobolEntry {
  path: string;
  first: number;
  total: number;
  firstCi: Interval;
  totalCi: Interval;
}

export interface OutputAnalysis {
  output: string;
  mean: number;
  /** Variance of the output over the samples. */
  variance: number;
  /** Samples whose crossover lay outside the VM counts (censored to an end). */
  censored: number;
  /**
   * Seed noise: the standard deviation between seeds at one sample (pooled over samples), and what it
   * amounts to in the indices' terms — the μ* an inert parameter would show, or the share of the
   * variance of the seed-mean output that is noise. Null with one seed.
   */
  noise: { seedSd: number; muStarFloor?: number; varianceShare?: number } | null;
  /** Parameters, most influential first (by μ* or by total index). */
  morris?: MorrisEntry[];
  sobol?: SobolEntry[];
}

export interface StudyResult {
  samples: SampleResult[];
  analyses: OutputAnalysis[];
}

const variance = (xs: readonly number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
};

/** Pooled within-sample standard deviation between seeds. */
function pooledSeedSd(bySample: readonly number[][]): number {
  let ss = 0;
  let df = 0;
  for (const ys of bySample) {
    const finite = ys.filter(Number.isFinite);
    if (finite.length < 2) continue;
    ss += variance(finite) * finite.length;
    df += finite.length - 1;
  }
  return df > 0 ? Math.sqrt(ss / df) : Number.NaN;
}

/** Each sample's parameter values and outputs, from the metrics of every run (grid as `studyGrid` built it). */
export function studySamples(
  spec: StudySpec,
  points: readonly number[][],
  metricsOf: (gridIndex: number) => Metrics,
): SampleResult[] {
  const runs = studyRuns(spec);
  const perSample = runs.length * spec.seeds;
  return points.map((u, sample) => {
    const runMetrics = (model: ModelName, vms: number, seed: number | 'mean'): Metrics => {
      const r = runs.findIndex((x) => x.model === model && x.vms === vms);
      const at = (s: number) => metricsOf(sample * perSample + r * spec.seeds + s);
      if (seed !== 'mean') return at(seed);
      return meanMetrics(Array.from({ length: spec.seeds }, (_, s) => at(s)));
    };
    const outputs: SampleResult['outputs'] = {};
    for (const o of spec.outputs) {
      const mean = outputValue(o, spec.models, spec.vmsList, (m, v) => runMetrics(m, v, 'mean'));
      const bySeed = Array.from(
        { length: spec.seeds },
        (_, s) => outputValue(o, spec.models, spec.vmsList, (m, v) => runMetrics(m, v, s)).value,
      );
      outputs[outputLabel(o)] = mean.censored ? { ...mean, bySeed } : { value: mean.value, bySeed };
    }
    return { values: valuesAt(spec.params, u), outputs };
  });
}

/** Morris or Sobol' indices from the metrics of every run (`metricsOf(gridIndex)`). */
export function analyseStudy(
  spec: StudySpec,
  points: readonly number[][],
  metricsOf: (gridIndex: number) => Metrics,
): StudyResult {
  const samples = studySamples(spec, points, metricsOf);
  const analyses = spec.outputs.map((o): OutputAnalysis => {
    const label = outputLabel(o);
    const y = samples.map((s) => s.outputs[label].value);
    const v = variance(y);
    const seedSd = spec.seeds > 1 ? pooledSeedSd(samples.map((s) => s.outputs[label].bySeed)) : Number.NaN;
    const noiseSdOfMean = seedSd / Math.sqrt(spec.seeds);
    const a: OutputAnalysis = {
      output: label,
      mean: y.reduce((s, x) => s + x, 0) / y.length,
      variance: v,
      censored: samples.filter((s) => s.outputs[label].censored !== undefined).length,
      noise: null,
    };
    const opts = { reps: spec.bootstrap, seed: spec.designSeed };
    if (spec.method === 'morris') {
      const design = morrisDesign(spec.params.length, spec.trajectories, spec.designSeed, spec.levels);
      a.morris = morrisIndices(design, y, opts)
        .map((m, i) => ({
          path: spec.params[i].path,
          mu: m.mu,
          muStar: m.muStar,
          sigma: m.sigma,
          muStarCi: m.muStarCi,
          sigmaCi: m.sigmaCi,
        }))
        .sort((p, q) => q.muStar - p.muStar);
      if (Number.isFinite(seedSd)) {
        // An inert parameter's effect is the difference of two noisy outputs over Δ: |N(0, 2σ²)| / Δ
        // (an upper bound: common seeds make neighbouring samples' noise correlated).
        const eeSd = (Math.SQRT2 * noiseSdOfMean) / design.delta;
        a.noise = { seedSd, muStarFloor: eeSd * Math.sqrt(2 / Math.PI) };
      }
    } else if (spec.method === 'sobol') {
      const design = saltelliDesign(spec.params.length, spec.samples);
      const r = sobolIndices(design, y, opts);
      a.sobol = r.indices
        .map((x, i) => ({ path: spec.params[i].path, ...x }))
        .sort((p, q) => q.total - p.total);
      if (Number.isFinite(seedSd)) a.noise = { seedSd, varianceShare: v > 0 ? noiseSdOfMean ** 2 / v : 1 };
    }
    return a;
  });
  return { samples, analyses };
}
