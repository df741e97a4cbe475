/**
 * The GX 1.x suite validation result (`ExpectationSuiteValidationResult`) and the facts the rule
 * engine turns into findings: one `validation.expectation` fact per GX result, one
 * `validation.check` fact per mlvet poisoning check.
 */
import type { Fact } from '../model/facts.js';
import type { Finding, Severity } from '../model/report.js';
import { expectedBounds, firstRow, gxExamples, shownOf, type Example } from './evidence.js';
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

export function resultFacts(results: GxResult[], path: string): Fact[] {
  return results.map((r) => {
    const config = r.expectation_config;
    const kw = config.kwargs;
    const raw = { ...((r.result.details ?? {}) as Record<string, unknown>) };
    const mlvet = config.type in POISON_CHECKS;
    const column = (kw.column ?? kw.column_A ?? (Array.isArray(kw.column_list) ? (kw.column_list as unknown[]).join(',') : undefined)) as string | undefined;
    const examples = (mlvet ? ((raw.examples ?? []) as Example[]) : gxExamples(r)).slice(0, 5);
    delete raw.examples;
    delete raw.statistic;
    delete raw.threshold;
    const details = (r.result.details as Record<string, unknown> | undefined) ?? {};
    // a suite expectation's threshold is what it expected: its bound kwargs (never null)
    const threshold = mlvet ? (details.threshold ?? {}) : expectedBounds(kw);
    const row = firstRow(examples);
    const data: Record<string, unknown> = {
      key: `${config.type}:${column ?? ''}`,
      type: config.type,
      column: column ?? null,
      success: r.success,
      raised: r.exception_info.raised_exception,
      exception: r.exception_info.exception_message,
      severity: config.severity ?? null,
      observed_value: r.result.observed_value ?? null,
      unexpected_count: r.result.unexpected_count ?? null,
      unexpected_percent: r.result.unexpected_percent ?? null,
      element_count: r.result.element_count ?? null,
      statistic: details.statistic ?? r.result.observed_value ?? r.result.unexpected_percent ?? null,
      threshold,
      details: raw,
      examples,
      approximate: (r.meta.mlvet as Record<string, unknown> | undefined)?.approximate === true,
    };
    data.shown = shownOf(data, raw);
    return {
      kind: mlvet ? 'validation.check' : 'validation.expectation',
      location: { path, ...(row !== undefined ? { row } : {}) },
      data,
    };
  });
}

/**
 * One record per expectation or check, passing ones included, for reporters that show every test
 * (JUnit test cases, HTML tables): what ran, what it expected, what it saw, the first rows.
 */
export interface ValidationCheck {
  type: string;
  kind: 'expectation' | 'check';
  column: string | null;
  success: boolean;
  /** the failing finding's rule and severity; null when it passed (or its finding was suppressed) */
  ruleId: string | null;
  severity: Severity | null;
  message: string | null;
  expected: unknown;
  observed: unknown;
  statistic: unknown;
  unexpected_count: number | null;
  unexpected_percent: number | null;
  element_count: number | null;
  examples: Example[];
  /** 1-based row of the first example, when the check points at rows */
  row: number | null;
  approximate: boolean;
  exception: string | null;
  shown: Record<string, string>;
}

export function validationChecks(facts: Fact[], findings: readonly Finding[]): ValidationCheck[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) if (typeof f.evidence.key === 'string' && !byKey.has(f.evidence.key)) byKey.set(f.evidence.key, f);
  return facts.map((fact) => {
    const d = fact.data;
    const f = d.success ? undefined : byKey.get(String(d.key));
    return {
      type: String(d.type),
      kind: fact.kind === 'validation.check' ? 'check' : 'expectation',
      column: (d.column as string | null) ?? null,
      success: d.success === true,
      ruleId: f?.ruleId ?? null,
      severity: f?.severity ?? null,
      message: f?.message ?? null,
      expected: d.threshold,
      observed: d.observed_value,
      statistic: d.statistic,
      unexpected_count: (d.unexpected_count as number | null) ?? null,
      unexpected_percent: (d.unexpected_percent as number | null) ?? null,
      element_count: (d.element_count as number | null) ?? null,
      examples: d.examples as Example[],
      row: fact.location.row ?? null,
      approximate: d.approximate === true,
      exception: (d.exception as string | null) ?? null,
      shown: d.shown as Record<string, string>,
    };
  });
}
