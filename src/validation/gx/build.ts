/**
 * Suite expectation → evaluator. GX types go to their factories; mlvet poisoning checks come from
 * the poison registry with the baseline in hand.
 */
import type { ExpectationConfig } from '../suite/load.js';
import { GX_EXPECTATIONS } from '../suite/registry.js';
import { AGG_FACTORIES } from './aggregate-expectations.js';
import type { Evaluator } from './evaluator.js';
import { MAP_FACTORIES } from './map-expectations.js';
import { MULTI_FACTORIES } from './multi.js';
import { parseResultFormat, type Level } from './result-format.js';
import { TABLE_FACTORIES } from './table.js';
import { GxError } from './values.js';

export type ExtraFactory = (e: ExpectationConfig, kwargs: Record<string, unknown>) => Evaluator | undefined;

export function buildEvaluator(e: ExpectationConfig, kwargs: Record<string, unknown>, defaultLevel: Level, extra?: ExtraFactory): Evaluator {
  const rf = parseResultFormat(kwargs.result_format, defaultLevel);
  if ('mostly' in kwargs && kwargs.mostly !== null && kwargs.mostly !== undefined) {
    const m = kwargs.mostly;
    if (typeof m !== 'number' || m < 0 || m > 1) throw new GxError('ValueError: mostly must be a number greater than or equal to 0 and less than or equal to 1');
  }
  const t = e.type;
  const f =
    MAP_FACTORIES[t]?.(kwargs, rf) ?? AGG_FACTORIES[t]?.(kwargs) ?? TABLE_FACTORIES[t]?.(kwargs) ?? MULTI_FACTORIES[t]?.(kwargs, rf) ?? (GX_EXPECTATIONS[t] ? undefined : extra?.(e, kwargs));
  if (!f) throw new GxError(`NotImplementedError: ${t} has no implementation in mlvet`);
  return f;
}
