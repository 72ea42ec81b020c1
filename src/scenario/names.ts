/**
 * Names as people type them: netperf takes `-t tcp_rr`, so models, workloads, profiles and machine ids
 * are matched without regard to case and stored (and printed) in their canonical spelling.
 */
import { modelNames, workloadKinds } from '../model/scenario.ts';

/** The canonical spelling of `value` among `names` (case-insensitive), or undefined. */
export function canonicalName<T extends string>(value: string, names: readonly T[]): T | undefined {
  const exact = names.find((n) => n === value);
  if (exact !== undefined) return exact;
  const lower = value.trim().toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A copy of a scenario input with `model` and `workload.kind` in canonical spelling when they match one
 * case-insensitively; anything else is left for validation to report.
 */
export function canonicalScenarioNames(input: unknown): unknown {
  if (!isObj(input)) return input;
  const out: Obj = { ...input };
  if (typeof out.model === 'string') out.model = canonicalName(out.model, modelNames) ?? out.model;
  if (isObj(out.workload) && typeof out.workload.kind === 'string') {
    const kind = canonicalName(out.workload.kind, workloadKinds);
    if (kind !== undefined) out.workload = { ...out.workload, kind };
  }
  return out;
}
