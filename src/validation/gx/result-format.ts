/**
 * GX `result_format`: a level name or a dict. mlvet's default is COMPLETE (GX's validator default is
 * SUMMARY) because a CLI report wants the failing rows; every list stays bounded (`maxUnexpected`).
 */
import { MlvetError } from '../../errors.js';

export type Level = 'BOOLEAN_ONLY' | 'BASIC' | 'SUMMARY' | 'COMPLETE';

export interface ResultFormat {
  level: Level;
  partialCount: number;
  indexColumns: string[] | null;
  includeRows: boolean;
  excludeValues: boolean;
  /** mlvet bound on unexpected_list / unexpected_index_list in COMPLETE */
  maxUnexpected: number;
}

const LEVELS = new Set(['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE']);

export function parseResultFormat(rf: unknown, fallback: Level = 'COMPLETE', maxUnexpected = 1000): ResultFormat {
  const base: ResultFormat = { level: fallback, partialCount: 20, indexColumns: null, includeRows: false, excludeValues: false, maxUnexpected };
  if (rf === undefined || rf === null) return base;
  if (typeof rf === 'string') {
    if (!LEVELS.has(rf)) throw new MlvetError('SUITE_INVALID', `result_format "${rf}" is not one of ${[...LEVELS].join(', ')}`);
    return { ...base, level: rf as Level };
  }
  if (typeof rf !== 'object' || Array.isArray(rf)) throw new MlvetError('SUITE_INVALID', 'result_format must be a string or an object');
  const o = rf as Record<string, unknown>;
  const level = (o.result_format ?? fallback) as string;
  if (!LEVELS.has(level)) throw new MlvetError('SUITE_INVALID', `result_format "${level}" is not one of ${[...LEVELS].join(', ')}`);
  return {
    ...base,
    level: level as Level,
    partialCount: typeof o.partial_unexpected_count === 'number' ? o.partial_unexpected_count : 20,
    indexColumns: Array.isArray(o.unexpected_index_column_names) ? (o.unexpected_index_column_names as string[]) : null,
    includeRows: o.include_unexpected_rows === true,
    excludeValues: o.exclude_unexpected_values === true,
  };
}
