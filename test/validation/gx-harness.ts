/**
 * Turns GX's own test definitions (fixtures/vectors/gx-conformance) into mlvet runs, following the
 * vectors' README: pandas cases only, schemas.pandas casts, pk_index for map categories, JSONL data,
 * one-expectation GX 1.x suite, then GX's comparison rules.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuites } from '../../src/validation/gx/engine.js';
import { listDataset } from '../../src/validation/readers/dataset.js';
import { parseJsonLoose } from '../../src/validation/suite/json.js';
import { parseSuite } from '../../src/validation/suite/load.js';

export interface Case {
  file: string;
  category: string;
  type: string;
  title: string;
  data: Record<string, unknown[]>;
  columns: string[];
  kwargs: Record<string, unknown>;
  out: Record<string, unknown>;
  exact: boolean;
  tolerance?: number;
}

const PANDAS = new Set(['pandas', 'pandas_v3_api', 'pandas>=024']);
const asList = (x: unknown): string[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x.map((v) => JSON.stringify(v).replace(/^"|"$/g, '')) : [JSON.stringify(x).replace(/^"|"$/g, '')]);
const INDEXED = new Set(['column_map_expectations', 'column_pair_map_expectations', 'multicolumn_map_expectations']);

function castColumn(vals: unknown[], t: string): unknown[] {
  switch (t) {
    case 'str':
      return vals.map((v) => (v === null ? 'None' : typeof v === 'number' ? (Number.isInteger(v) && String(v).includes('.') ? String(v) : String(v)) : typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'string' ? v : JSON.stringify(v)));
    case 'float':
    case 'float64':
      return vals.map((v) => (v === null ? null : Number(v)));
    default:
      return vals;
  }
}

export function loadCases(root: string): Case[] {
  const out: Case[] = [];
  for (const category of readdirSync(root).sort()) {
    if (!category.endsWith('_expectations')) continue;
    for (const f of readdirSync(join(root, category)).sort()) {
      if (!f.endsWith('.json')) continue;
      const doc = parseJsonLoose(readFileSync(join(root, category, f), 'utf8')) as Record<string, unknown>;
      const type = String(doc.expectation_type);
      for (const ds of (doc.datasets as Array<Record<string, unknown>>) ?? []) {
        if (ds.only_for !== undefined && !asList(ds.only_for).some((b) => b === 'pandas')) continue;
        if (asList(ds.suppress_test_for).includes('pandas')) continue;
        const raw = ds.data as Record<string, unknown[]>;
        const schema = ((ds.schemas as Record<string, Record<string, string>> | undefined)?.pandas ?? {});
        const data: Record<string, unknown[]> = {};
        for (const [k, v] of Object.entries(raw)) data[k] = schema[k] ? castColumn(v, schema[k]) : v;
        const n = Math.max(0, ...Object.values(data).map((v) => v.length));
        if (INDEXED.has(category)) data.pk_index = Array.from({ length: n }, (_, i) => i);
        for (const t of (ds.tests as Array<Record<string, unknown>>) ?? []) {
          if (t.only_for !== undefined && !asList(t.only_for).some((b) => PANDAS.has(b))) continue;
          if (asList(t.suppress_test_for).some((b) => b === 'pandas' || b === 'pandas_v3_api')) continue;
          const kwargs: Record<string, unknown> = { ...(t.in as Record<string, unknown>) };
          if (!('result_format' in kwargs)) {
            kwargs.result_format = INDEXED.has(category) ? { result_format: 'COMPLETE', unexpected_index_column_names: ['pk_index'] } : { result_format: 'COMPLETE' };
          }
          out.push({
            file: `${category}/${f}`,
            category,
            type,
            title: String(t.title),
            data,
            columns: Object.keys(data),
            kwargs,
            out: (t.out as Record<string, unknown>) ?? {},
            exact: t.exact_match_out === true,
            ...(typeof t.tolerance === 'number' ? { tolerance: t.tolerance } : {}),
          });
        }
      }
    }
  }
  return out;
}

export function needsNativeDatetime(c: Case): boolean {
  return c.type === 'expect_column_values_to_be_of_type' && /datetime|timestamp/i.test(JSON.stringify(c.kwargs.type_ ?? '') + JSON.stringify(c.out));
}

let dir: string | null = null;
let seq = 0;

export async function runCase(c: Case): Promise<{ result: Record<string, unknown>; exitLike: number }> {
  dir ??= mkdtempSync(join(tmpdir(), 'mlvet-gx-'));
  const n = Math.max(0, ...Object.values(c.data).map((v) => v.length));
  const path = join(dir, `case-${seq++}.${n === 0 ? 'csv' : 'jsonl'}`);
  if (n === 0) writeFileSync(path, c.columns.join(',') + '\n');
  else {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(JSON.stringify(Object.fromEntries(c.columns.map((k) => [k, c.data[k]![i] ?? null]))));
    writeFileSync(path, lines.join('\n') + '\n');
  }
  const params: Record<string, unknown> = {};
  const kwargs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.kwargs)) kwargs[k] = v;
  let suite;
  try {
    suite = parseSuite({ name: 'conformance', expectations: [{ type: c.type, kwargs, meta: {} }], meta: {} }, 'suite');
  } catch {
    return { result: {}, exitLike: 3 };
  }
  const run = await runSuites({ files: listDataset(path), suites: [suite], params, batchId: 'conformance' });
  const r = run.results[0] as unknown as Record<string, unknown>;
  return { result: r, exitLike: r.success ? 0 : 1 };
}
