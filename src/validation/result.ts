/**
 * The GX 1.x suite validation result (`ExpectationSuiteValidationResult`) and the facts the rule
 * engine turns into findings: one `validation.expectation` fact per GX result, one
 * `validation.check` fact per mlvet poisoning check.
 */
import type { Fact } from '../model/facts.js';
import { VERSION } from '../findings/report.js';
import type { GxResult } from './gx/engine.js';
import { POISON_CHECKS } from './poison/checks.js';

export interface GxSuiteResult {
  success: boolean;
  results: GxResult[];
  suite_name: string;
  suite_parameters: Record<string, unknown>;
  statistics: { evaluated_expectations: number; successful_expectations: number; unsuccessful_expectations: number; success_percent: number | null };
  meta: Record<string, unknown>;
  id: null;
}

export function suiteResult(results: GxResult[], suiteName: string, params: Record<string, unknown>, dataset: string, mlvetMeta: Record<string, unknown>, now: Date): GxSuiteResult {
  const ok = results.filter((r) => r.success).length;
  const time = now.toISOString().replace('Z', '+00:00');
  return {
    success: ok === results.length,
    results,
    suite_name: suiteName,
    suite_parameters: params,
    statistics: { evaluated_expectations: results.length, successful_expectations: ok, unsuccessful_expectations: results.length - ok, success_percent: results.length ? (ok / results.length) * 100 : null },
    meta: {
      great_expectations_version: '1.2.0',
      run_id: { run_name: 'mlvet', run_time: time },
      validation_time: time,
      active_batch_definition: { datasource_name: 'mlvet', data_asset_name: dataset, batch_definition_name: dataset },
      batch_markers: {},
      batch_spec: { path: dataset },
      batch_parameters: null,
      validation_id: null,
      checkpoint_id: null,
      mlvet: { version: VERSION, ...mlvetMeta },
    },
    id: null,
  };
}

function firstRow(r: GxResult): number | undefined {
  const idx = (r.result.partial_unexpected_index_list ?? r.result.unexpected_index_list) as unknown[] | undefined;
  const first = idx?.[0];
  if (typeof first === 'number') return first + 1;
  return undefined;
}

export function resultFacts(results: GxResult[], path: string): Fact[] {
  return results.map((r) => {
    const kw = r.expectation_config.kwargs;
    const details = (r.result.details ?? {}) as Record<string, unknown>;
    const mlvet = r.expectation_config.type in POISON_CHECKS;
    const column = (kw.column ?? kw.column_A ?? (Array.isArray(kw.column_list) ? (kw.column_list as unknown[]).join(',') : undefined)) as string | undefined;
    const row = firstRow(r);
    return {
      kind: mlvet ? 'validation.check' : 'validation.expectation',
      location: { path, ...(row !== undefined ? { row } : {}) },
      data: {
        key: `${r.expectation_config.type}:${column ?? ''}`,
        type: r.expectation_config.type,
        column: column ?? null,
        success: r.success,
        raised: r.exception_info.raised_exception,
        exception: r.exception_info.exception_message,
        observed_value: r.result.observed_value ?? null,
        unexpected_count: r.result.unexpected_count ?? null,
        unexpected_percent: r.result.unexpected_percent ?? null,
        element_count: r.result.element_count ?? null,
        statistic: details.statistic ?? r.result.observed_value ?? null,
        threshold: details.threshold ?? null,
        examples: ((details.examples ?? r.result.partial_unexpected_list ?? []) as unknown[]).slice(0, 5),
        approximate: (r.meta.mlvet as Record<string, unknown> | undefined)?.approximate === true,
      },
    };
  });
}
