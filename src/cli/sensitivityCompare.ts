/**
 * `vhost-sim sensitivity --compare A,B`: do two finished studies (a Morris screening and a Sobol' run, say)
 * rank the parameters alike? Reads each folder's sensitivity.json; for every output both analysed, ranks
 * the parameters by μ* (Morris) or by the total index ST (Sobol') and prints both ranks side by side with
 * Spearman's ρ. No run is made.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Agreement, type Importance, rankAgreement } from '../sensitivity/agreement.ts';
import type { OutputAnalysis } from '../sensitivity/study.ts';
import { renderTable } from './format.ts';
import { UsageError } from './usageError.ts';

interface StudyFile {
  method: string;
  analyses: OutputAnalysis[];
}

function readStudy(dir: string): StudyFile {
  const file = join(dir, 'sensitivity.json');
  let doc: StudyFile;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as StudyFile;
  } catch (err) {
    throw new UsageError(`--compare: cannot read ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc.analyses)) throw new UsageError(`--compare: ${file} has no analyses`);
  return doc;
}

/** The importance the analysis ranks by: μ* for Morris, the total index for Sobol'. */
function importance(a: OutputAnalysis): Importance[] {
  if (a.morris) return a.morris.map((m) => ({ path: m.path, value: m.muStar }));
  return (a.sobol ?? []).map((s) => ({ path: s.path, value: s.total }));
}

const measure = (a: OutputAnalysis) => (a.morris ? 'μ*' : 'ST');
const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(2) : '—');
const rank = (r: number) => (Number.isInteger(r) ? String(r) : r.toFixed(1));
const short = (path: string) => path.replace(/^profile\.(costs\.)?/, '');

export interface Comparison {
  output: string;
  a: string;
  b: string;
  agreement: Agreement;
}

export function compareStudies(dirA: string, dirB: string): Comparison[] {
  const a = readStudy(dirA);
  const b = readStudy(dirB);
  const out: Comparison[] = [];
  for (const x of a.analyses) {
    const y = b.analyses.find((z) => z.output === x.output);
    if (y === undefined) continue;
    out.push({
      output: x.output,
      a: measure(x),
      b: measure(y),
      agreement: rankAgreement(importance(x), importance(y)),
    });
  }
  if (out.length === 0) throw new UsageError(`--compare: ${dirA} and ${dirB} analyse no output in common`);
  return out;
}

export function compareCommand(dirs: string, format: 'table' | 'json' | 'csv' | 'md'): void {
  const parts = dirs.split(',');
  if (parts.length !== 2 || parts.some((p) => p.trim() === ''))
    throw new UsageError(`--compare: expected two results folders A,B, got '${dirs}'`);
  const comparisons = compareStudies(parts[0].trim(), parts[1].trim());
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(comparisons, null, 2)}\n`);
    return;
  }
  const style = format === 'md' ? 'md' : 'text';
  const blocks = comparisons.map((c) => {
    const g = c.agreement;
    const head = `${c.output}: ${g.rows.length} parameters in both; Spearman ρ = ${num(g.spearman)} (${num(g.spearmanMoving)} over the ${g.moving} that move it in either); top ${g.top} shared: ${g.topShared} of ${g.top}`;
    const rows = g.rows.map((r) => [short(r.path), num(r.a), rank(r.rankA), num(r.b), rank(r.rankB)]);
    const header = ['parameter', `A ${c.a}`, 'A rank', `B ${c.b}`, 'B rank'];
    if (format === 'csv') return rows.map((r) => [c.output, ...r].join(',')).join('\n');
    return `${style === 'md' ? `### ${head}` : head}\n\n${renderTable(header, rows, style)}`;
  });
  const csvHead = 'output,parameter,a,rankA,b,rankB\n';
  process.stdout.write(format === 'csv' ? `${csvHead}${blocks.join('\n')}\n` : `${blocks.join('\n\n')}\n`);
}
