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
}

export interface DriftResult {
  method: string;
  statistic: number;
  threshold: number;
  drifted: boolean;
  /** p-value methods drift when p is below the threshold; distances when at or above it */
  kind: 'p_value' | 'distance';
}

export type Check = (kw: Record<string, unknown>, ctx: PoisonCtx) => { success: boolean; result: Record<string, unknown>; meta?: Record<string, unknown> };

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
