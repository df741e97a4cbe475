/**
 * Suite expectation → evaluator. GX types are built by their registry record; anything else (mlvet's
 * poisoning checks, which need the baseline in hand) by the caller's `extra` factory.
 */
import { MlvetError } from '../../errors.js';
import type { ExpectationConfig } from '../suite/load.js';
import { GX_EXPECTATIONS } from '../suite/registry.js';
import type { Evaluator } from './evaluator.js';
import { parseResultFormat, type Level } from './result-format.js';
import { GxError } from './values.js';

export type ExtraFactory = (e: ExpectationConfig, kwargs: Record<string, unknown>) => Evaluator | undefined;

export function buildEvaluator(e: ExpectationConfig, kwargs: Record<string, unknown>, defaultLevel: Level, extra?: ExtraFactory): Evaluator {
  const rf = parseResultFormat(kwargs.result_format, defaultLevel);
  if ('mostly' in kwargs && kwargs.mostly !== null && kwargs.mostly !== undefined) {
    const m = kwargs.mostly;
    if (typeof m !== 'number' || m < 0 || m > 1) throw new GxError('ValueError: mostly must be a number greater than or equal to 0 and less than or equal to 1');
  }
  const gx = GX_EXPECTATIONS[e.type];
  const ev = gx ? gx.create(kwargs, rf) : extra?.(e, kwargs);
  // parseSuite refuses unknown types, so only a suite built in code (not loaded) can get here
  if (!ev) throw new MlvetError('SUITE_INVALID', `unknown expectation type "${e.type}"`);
  return ev;
}
