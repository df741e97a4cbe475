/** What every poisoning check reads: the current dataset's profile and row statistics, and the baseline. */
import type { Baseline } from '../profile/baseline.js';
import type { DatasetCollector } from '../profile/collect.js';
import type { RowStats } from '../rows/rowhash.js';

export interface PoisonCtx {
  baseline?: Baseline;
  current: DatasetCollector;
  label?: string;
  rowStats(): RowStats;
  /** per-column drift results, computed once and shared by the drift and drifted-share checks */
  drift: Map<string, DriftResult>;
  /**
   * Each statistical check's share of the run's false-alarm budget (Bonferroni: the family-wise
   * budget divided by the number of tests in the suite); a check running several tests splits it again.
   */
  alpha: number;
  /** identifier columns (baseline, --id, or detected) */
  ids: ReadonlySet<string>;
}

/** the family-wise false-alarm budget of one validate run on clean data (docs/validation.md) */
export const FAMILY_ALPHA = 0.01;

/** a check's significance level: its `alpha` kwarg, else its share of the run's budget */
export function alphaOf(kw: Record<string, unknown>, ctx: PoisonCtx): number {
  return num(kw, 'alpha', ctx.alpha);
}

export interface DriftResult {
  method: string;
  /** the smallest p-value among the column's tests */
  p_value: number;
  alpha: number;
  /** effect size: Jensen–Shannon distance of the binned distributions */
  js_distance: number;
  min_js: number;
  /** numeric columns: the Mann–Whitney AUC of current over baseline (0.5 = no shift) */
  auc?: number;
  drifted: boolean;
}

export type Check = (kw: Record<string, unknown>, ctx: PoisonCtx) => { success: boolean; result: Record<string, unknown>; meta?: Record<string, unknown> };

/**
 * One poisoning check: its `expect_*` type, the kwargs it reads (thresholds, with their defaults in
 * `run`), what a failure means, and the check itself. The registry (checks.ts) is the list of these.
 */
export interface PoisonCheck {
  readonly type: string;
  /** every kwarg a suite may give it, the ones all checks share included */
  readonly kwargs: readonly string[];
  readonly required: readonly string[];
  /** what a failure means, in one sentence */
  readonly doc: string;
  readonly run: Check;
}

/** kwargs every check accepts, as GX expectations do */
const COMMON = ['result_format', 'catch_exceptions', 'meta', 'notes', 'description', 'id', 'batch_id'];

/** A record with the shared kwargs added; `kwargs` lists the check's own. */
export function poisonCheck(r: { type: string; kwargs: readonly string[]; required?: readonly string[]; doc: string; run: Check }): PoisonCheck {
  return { type: r.type, kwargs: [...COMMON, ...r.kwargs], required: r.required ?? [], doc: r.doc, run: r.run };
}

export function num(kw: Record<string, unknown>, key: string, fallback: number): number {
  const v = kw[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function outcome(success: boolean, statistic: number | null, threshold: unknown, details: Record<string, unknown>, approximate = false): ReturnType<Check> {
  return {
    success,
    result: { observed_value: statistic, details: { statistic, threshold, ...details } },
    ...(approximate ? { meta: { mlvet: { approximate: true } } } : {}),
  };
}
