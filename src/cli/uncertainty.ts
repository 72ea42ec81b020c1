/**
 * `vhost-sim reproduce --uncertainty N`: the study's conclusions over N plausible hosts. Every ranged
 * cost of the calibration table is drawn over its plausible range (a Latin hypercube, so few samples
 * still cover each range, the costs drawn independently), each host runs the whole study (both models,
 * every VM count, the study's seeds), and each conclusion is reported as a distribution: the share of hosts where it holds, the median and
 * the 90 % interval. Writes a results folder (uncertainty.json, samples.csv, points.jsonl, meta.json).
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelName, Scenario } from '../model/scenario.ts';
import type { ExecutorKind } from '../runtime/executor.ts';
import { outputLabel, parseOutput } from '../sensitivity/outputs.ts';
import { parseParams } from '../sensitivity/parameters.ts';
import { type StudySpec, studySamples } from '../sensitivity/study.ts';
import {
  type CrossoverSummary,
  type RatioSummary,
  summariseCrossover,
  summariseRatio,
} from '../sensitivity/uncertainty.ts';
import { redactedQueue } from '../sweep/queue.ts';
import { VERSION } from '../version.ts';
import { executeStudy } from './sensitivity.ts';
import { UsageError } from './usageError.ts';

export interface UncertaintyOpts {
  samples: number;
  reps: number;
  models: ModelName[];
  jobs?: number;
  out?: string;
  resume: boolean;
  queue?: string | boolean;
  executor: ExecutorKind;
  format: 'table' | 'json' | 'csv' | 'md';
  estimate?: boolean;
}

export interface UncertaintyReport {
  hosts: number;
  seeds: number;
  models: [ModelName, ModelName];
  vmsList: number[];
  /** The challenger ahead at the largest VM count, and the reference ahead at the smallest. */
  atMost: RatioSummary[];
  atLeast: RatioSummary[];
  crossovers: CrossoverSummary[];
}

const pct = (x: number) => `${Math.round(100 * x)} %`;
const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
const vmText = (x: number, vms: readonly number[]) =>
  x === -Infinity ? `before ${vms[0]}` : x === Infinity ? `beyond ${vms[vms.length - 1]}` : num(x);

/** One line per conclusion, as the README states them. */
export function uncertaintyLines(r: UncertaintyReport): string[] {
  const [ref, ch] = r.models;
  const big = r.vmsList[r.vmsList.length - 1];
  const small = r.vmsList[0];
  const lines: string[] = [];
  for (const s of r.atMost) {
    const metric = s.output.slice('ratio:'.length, s.output.indexOf('@'));
    lines.push(
      `${ch} ahead of ${ref} at ${big} VMs in ${metric}: in ${pct(s.aheadShare)} of plausible hosts ` +
        `(ratio median ${num(s.median)}, 90 % interval ${num(s.p05)}–${num(s.p95)})`,
    );
  }
  for (const s of r.atLeast) {
    const metric = s.output.slice('ratio:'.length, s.output.indexOf('@'));
    lines.push(
      `${ref} ahead of ${ch} at ${small} VM${small > 1 ? 's' : ''} in ${metric}: in ${pct(1 - s.aheadShare)} of plausible hosts`,
    );
  }
  for (const c of r.crossovers) {
    const metric = c.output.slice('crossover:'.length);
    lines.push(
      `${metric} crossover: median ${vmText(c.median, r.vmsList)} VMs, 90 % interval ` +
        `${vmText(c.p05, r.vmsList)}–${vmText(c.p95, r.vmsList)} (${ch} never ahead up to ${big} VMs in ` +
        `${pct(c.neverShare)} of hosts, ahead from ${small} VM${small > 1 ? 's' : ''} in ${pct(c.aheadShare)})`,
    );
  }
  return lines;
}

export async function uncertaintyCommand(
  base: Scenario,
  vmsList: number[],
  o: UncertaintyOpts,
): Promise<void> {
  const t0 = performance.now();
  if (o.models.length !== 2) {
    throw new UsageError(
      `--uncertainty compares two models; --models has ${o.models.length} (${o.models.join(', ')})`,
    );
  }
  const models = o.models as [ModelName, ModelName];
  const big = vmsList[vmsList.length - 1];
  const small = vmsList[0];
  const outputs = [
    'crossover:throughput',
    'crossover:efficiency',
    `ratio:throughput@${big}`,
    `ratio:efficiency@${big}`,
    `ratio:throughput@${small}`,
  ].map(parseOutput);
  const spec: StudySpec = {
    method: 'monte-carlo',
    base,
    params: parseParams('all'),
    outputs,
    models,
    vmsList,
    seeds: o.reps,
    trajectories: 0,
    levels: 4,
    samples: o.samples,
    designSeed: 1,
    bootstrap: 0,
  };
  const run = await executeStudy('uncertainty', spec, { ...o, estimate: o.estimate ?? false });
  if (run === null) return;
  const samples = studySamples(spec, run.points, run.metricsOf);
  const report: UncertaintyReport = {
    hosts: samples.length,
    seeds: o.reps,
    models,
    vmsList,
    atMost: [`ratio:throughput@${big}`, `ratio:efficiency@${big}`].map((l) => summariseRatio(samples, l)),
    atLeast: [summariseRatio(samples, `ratio:throughput@${small}`)],
    crossovers: ['crossover:throughput', 'crossover:efficiency'].map((l) => summariseCrossover(samples, l)),
  };
  const lines = uncertaintyLines(report);
  const head =
    `vhost-sim reproduce --uncertainty ${o.samples}: ${samples.length} plausible hosts (each of the ` +
    `${spec.params.length} ranged costs of docs/calibration.md drawn over its range) × ${o.reps} seeds, ` +
    `${base.workload.kind}, ${models.join(' vs ')}, ${vmsList.join(', ')} VMs, ${base.durationS} s measured`;
  // JSON has no Infinity: censored crossovers are written as the strings "before" and "beyond".
  const finite = (_k: string, v: unknown) => (v === Infinity ? 'beyond' : v === -Infinity ? 'before' : v);
  const doc = {
    ...report,
    conclusions: lines,
    params: spec.params.map((p) => ({ path: p.path, lo: p.range.lo, hi: p.range.hi })),
    samples,
    meta: { version: VERSION, runs: run.runs, events: run.events, executor: o.executor },
  };
  const jsonText = `${JSON.stringify(doc, finite, 2)}\n`;
  const labels = outputs.map(outputLabel);
  const csv = [['sample', ...spec.params.map((p) => p.path), ...labels].join(',')];
  samples.forEach((s, i) => {
    csv.push([i, ...s.values, ...labels.map((l) => s.outputs[l].censored ?? s.outputs[l].value)].join(','));
  });
  const csvText = `${csv.join('\n')}\n`;
  if (o.format === 'json') process.stdout.write(jsonText);
  else if (o.format === 'csv') process.stdout.write(csvText);
  else if (o.format === 'md')
    process.stdout.write(`## ${head}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
  else process.stdout.write(`${head}\n\n${lines.join('\n')}\n`);
  try {
    await mkdir(run.dir, { recursive: true });
    await writeFile(join(run.dir, 'uncertainty.json'), jsonText);
    await writeFile(join(run.dir, 'samples.csv'), csvText);
    const meta = {
      version: VERSION,
      command: 'reproduce --uncertainty',
      runs: run.runs,
      resumedRuns: run.resumedRuns,
      events: run.events,
      nodeVersion: process.version,
      executor: o.executor,
      jobs: run.jobs,
      queue: redactedQueue(o.queue),
      estimatedOneJobS: Math.round(run.cpuS),
      wallTimeS: Math.round(performance.now() - t0) / 1000,
    };
    await writeFile(join(run.dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  } catch (err) {
    throw new UsageError(`cannot write results to ${run.dir}: ${(err as Error).message}`);
  }
  const note = `wrote results to ${run.dir}/ (uncertainty.json, samples.csv, points.jsonl, meta.json)\n`;
  if (o.format === 'table' || o.format === 'md') process.stdout.write(`\n${note}`);
  else process.stderr.write(note);
}
