/**
 * `validate()`: run GX suites and mlvet's poisoning checks over a dataset in one streaming pass
 * (plus a second only when a GX expectation needs whole-column statistics), and return a Report whose
 * `validation` field is the GX 1.x validation result. Failed expectations become findings through
 * `rules/validation/*.json`, so exit codes and SARIF work as for `scan`.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { MlvetError } from '../errors.js';
import { policyFor, type WithPolicy } from '../findings/policy.js';
import type { Report } from '../model/report.js';
import type { InconclusiveEntry } from '../model/facts.js';
import { runSuites } from './gx/engine.js';
import type { Level } from './gx/result-format.js';
import { loadBaseline, requireSameEngine, type Baseline } from './profile/baseline.js';
import { boundsFromBaseline, DatasetCollector } from './profile/collect.js';
import type { ColumnProfile, Kind } from './profile/column.js';
import { autoSuite, STATISTICAL, type Thresholds } from './poison/auto.js';
import { FAMILY_ALPHA } from './poison/context.js';
import { isIdentifier } from './rows/ids.js';
import { columnSummaries } from './columns-summary.js';
import { progressOf, type OnProgress } from './progress.js';
import { CHECKS } from './poison/checks.js';
import type { PoisonCtx } from './poison/context.js';
import { listDataset, readDataset } from './readers/dataset.js';
import { localizeDataset } from './readers/remote.js';
import { resultFacts, suiteResult, validationChecks, type GxSuiteResult } from './result.js';
import { keyFromHex, type RowStats } from './rows/rowhash.js';
import { loadSuite, type Suite } from './suite/load.js';
import type { DataFile, ReaderOptions, RowProblem } from './types.js';
import { DtypeTracker } from './gx/values.js';
import { useEngine } from './profile/build.js';
import type { EngineStats } from './engine/collect.js';

export interface ValidateOptions extends WithPolicy {
  /** a file or shard directory, or a remote dataset (`hf://datasets/org/name@rev`, `s3://…`, `https://…`) */
  dataset: string;
  /** refuse the network for remote datasets */
  offline?: boolean;
  /** environment for remote sources (endpoints, credentials source names); default process.env */
  env?: NodeJS.ProcessEnv;
  /** GX suite (1.x or 0.x); a sibling `<name>.mlvet.json` is read too */
  suite?: string;
  /** extra mlvet check suite / thresholds file (`*.mlvet.json`) */
  checks?: string;
  baseline?: string;
  label?: string;
  /** identifier columns, replacing the baseline's (or the detected) list */
  ids?: string[];
  /** run the poisoning checks even without a baseline (default: when a baseline or label is given, or no suite) */
  poisoning?: boolean;
  reader?: ReaderOptions;
  resultFormat?: Level;
  params?: Record<string, unknown>;
  /** row-hash records kept in memory before spilling to disk */
  spillBudget?: number;
  /** called as batches stream (rows, files and bytes done), for a progress bar */
  onProgress?: OnProgress;
  now?: Date;
}

export interface ValidateOutput {
  report: Report;
  validation: GxSuiteResult;
}

function siblingChecks(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const p = path.replace(/\.json$/i, '') + '.mlvet.json';
  return existsSync(p) && p !== path ? p : undefined;
}

/** the run's family-wise false-alarm budget: `meta.mlvet.family_alpha` of a suite, else FAMILY_ALPHA */
function familyAlpha(...suites: Array<Suite | undefined>): number {
  for (const s of suites.reverse()) {
    const a = (s?.meta.mlvet as Record<string, unknown> | undefined)?.family_alpha;
    if (typeof a === 'number' && a > 0 && a < 1) return a;
  }
  return FAMILY_ALPHA;
}

function thresholdsOf(s: Suite | undefined): Thresholds {
  const m = (s?.meta.mlvet as Record<string, unknown> | undefined)?.thresholds;
  return m && typeof m === 'object' ? (m as Thresholds) : {};
}

function idEvidence(name: string, p: ColumnProfile): Parameters<typeof isIdentifier>[0] {
  const numeric = p.kind === 'numeric';
  return { name, n: p.n, distinct: p.distinct.count(), integral: numeric && p.integral, rises: numeric ? p.rises : 0, falls: numeric ? p.falls : 0, hashLike: numeric ? 0 : p.hashLike, approximate: p.distinct.approximate };
}

/** without a baseline: column kinds and identifier columns from the first batch */
async function peekKinds(files: DataFile[], reader: ReaderOptions, label?: string): Promise<{ kinds: Record<string, Kind>; ids: Set<string> }> {
  const c = new DatasetCollector({ label, hashRows: false });
  const trackers = new Map<string, DtypeTracker>();
  for await (const b of readDataset(files, { ...reader, onProblem: undefined, batchRows: 2000 })) {
    for (const col of b.columns) {
      const t = trackers.get(col.name) ?? new DtypeTracker();
      trackers.set(col.name, t);
      t.update(col, b.length);
    }
    c.update(b, (n) => trackers.get(n)?.dtype ?? 'object');
    break;
  }
  const ids = new Set<string>();
  for (const [name, p] of c.columns) {
    if (name !== label && isIdentifier(idEvidence(name, p))) ids.add(name);
  }
  return { kinds: Object.fromEntries([...c.columns].map(([n, p]) => [n, p.kind ?? 'other'])), ids };
}

/** the dataset on the engine (DuckDB), loaded once; DuckDB itself is imported on first use */
async function openDataset(files: DataFile[], reader: ReaderOptions): Promise<{ stats: EngineStats; peek: (label?: string) => Promise<{ kinds: Record<string, Kind>; ids: Set<string> }>; close: () => void }> {
  const { openEngine } = await import('./engine/duckdb.js');
  const { loadTable } = await import('./engine/table.js');
  const { EngineStats } = await import('./engine/collect.js');
  const e = await openEngine({ files: files.map((f) => f.path), ...(reader.engineMemory ? { memoryLimit: reader.engineMemory } : {}) });
  try {
    const table = await loadTable(e, files, reader);
    for (const p of table.problems) reader.onProblem?.(p);
    const stats = new EngineStats(e, table);
    return {
      stats,
      close: () => e.close(),
      // without a baseline: kinds and identifier columns from the data itself
      peek: async (label) => {
        const c = await stats.collect({ label, tokens: () => false });
        const ids = new Set<string>();
        for (const [name, p] of c.columns) if (name !== label && isIdentifier(idEvidence(name, p))) ids.add(name);
        return { kinds: Object.fromEntries([...c.columns].map(([n, p]) => [n, p.kind ?? 'other'])), ids };
      },
    };
  } catch (err) {
    e.close();
    throw err;
  }
}

export async function validate(o: ValidateOptions): Promise<ValidateOutput> {
  const local = await localizeDataset(o.dataset, { offline: o.offline, ...(o.env ? { env: o.env } : {}) });
  try {
    return await validateAt(o, local.path);
  } finally {
    local.cleanup();
  }
}

async function validateAt(o: ValidateOptions, path: string): Promise<ValidateOutput> {
  const now = o.now ?? new Date();
  const cwd = o.cwd ?? process.cwd();
  const at = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(cwd, p));
  const policy = policyFor({ ...o, cwd });
  const files = listDataset(path, cwd);
  const suitePath = at(o.suite);
  const baselinePath = at(o.baseline);
  const gx = suitePath ? loadSuite(suitePath) : undefined;
  const checksPath = at(o.checks) ?? siblingChecks(suitePath) ?? siblingChecks(baselinePath);
  const checks = checksPath ? loadSuite(checksPath) : undefined;
  const baseline: Baseline | undefined = baselinePath ? loadBaseline(baselinePath) : undefined;
  if (baseline) requireSameEngine(baseline, baselinePath!, useEngine() ? 'duckdb' : 'js');
  if (o.label && baseline && !baseline.columns.some((c) => c.name === o.label)) {
    throw new MlvetError('USAGE', `--label ${o.label}: the baseline has no such column`);
  }
  const label = o.label ?? baseline?.label?.column;
  const problems: RowProblem[] = [];
  const reader: ReaderOptions = { ...(o.reader ?? {}), onProblem: (p) => problems.push(p) };
  const suites: Suite[] = gx ? [gx] : [];
  if (checks) suites.push(checks);
  if (!files.length) throw new MlvetError('USAGE', `${o.dataset}: no dataset files (CSV, TSV, JSONL, Parquet, Arrow) to validate`, { path: o.dataset });
  const poisoning = o.poisoning ?? (baseline !== undefined || label !== undefined || !gx);
  if (!gx && !checks && !baseline && !label && o.poisoning !== true) {
    throw new MlvetError('USAGE', `nothing to check on ${o.dataset}: give --suite, --baseline (from mlvet profile), --label, or --checks`);
  }
  let ids = new Set(o.ids ?? baseline?.ids ?? []);
  let alpha = FAMILY_ALPHA;
  const engine = poisoning && useEngine() ? await openDataset(files, reader) : null;
  try {
    if (poisoning) {
      const peek = baseline ? undefined : engine ? await engine.peek(label) : await peekKinds(files, reader, label);
      if (!o.ids && peek) ids = peek.ids;
      const auto = autoSuite({ baseline, label, kinds: peek?.kinds, ids, thresholds: { ...thresholdsOf(gx), ...thresholdsOf(checks) } });
      const explicit = new Set((checks?.expectations ?? []).map((e) => `${e.type}@${typeof e.kwargs.column === 'string' ? e.kwargs.column : ''}`));
      auto.expectations = auto.expectations.filter((e) => !explicit.has(`${e.type}@${typeof e.kwargs.column === 'string' ? e.kwargs.column : ''}`));
      suites.push(auto);
      const tests = [...auto.expectations, ...(checks?.expectations ?? [])].filter((e) => STATISTICAL.has(e.type)).length;
      alpha = familyAlpha(gx, checks) / Math.max(1, tests);
    }
    if (suites.every((s) => s.expectations.length === 0)) {
      throw new MlvetError('USAGE', `nothing to check on ${o.dataset}: the suite has no expectations and no check is enabled`);
    }
    const bounds = baseline ? Object.fromEntries(Object.values(baseline.stats).map((c) => [c.name, boundsFromBaseline(c)])) : undefined;
    const kinds = baseline ? Object.fromEntries(Object.values(baseline.stats).map((c) => [c.name, c.kind])) : undefined;
    const against = baseline && label ? { labels: new Map(Object.entries(baseline.rowHashes.labels).map(([h, l]) => [keyFromHex(h), l])), mod: baseline.rowHashes.sampleMod } : undefined;
    let collector: DatasetCollector;
    if (engine) {
      // tokens only where a check reads them: text columns, and other strings with a baseline vocabulary and a label
      collector = await engine.stats.collect({ label, kinds, bounds, tokens: (n, k) => k === 'text' || (label !== undefined && baseline?.stats[n]?.text !== undefined) || (!baseline && label !== undefined) });
      const c = collector;
      const { rowsOnEngine } = await import('./engine/rows.js');
      c.setRows(await rowsOnEngine({
        engine: engine.stats.e,
        table: engine.stats.table.relation,
        features: c.order.filter((n) => n !== label && !ids.has(n)),
        ...(label ? { label } : {}),
        ids: c.order.filter((n) => ids.has(n)),
        textCols: c.order.filter((n) => c.columns.get(n)?.kind === 'text'),
        ...(baseline && label ? { against: { labels: new Map(Object.entries(baseline.rowHashes.labels)), mod: baseline.rowHashes.sampleMod } } : {}),
      }));
    } else {
      collector = new DatasetCollector({ label, bounds, kinds, hashRows: poisoning, ids, spillBudget: o.spillBudget, ...(against ? { against } : {}) });
    }
    let rowStats: RowStats | null = null;
    const ctx: PoisonCtx = {
      baseline,
      current: collector,
      label,
      drift: new Map(),
      alpha,
      ids,
      rowStats: () => (rowStats ??= collector.hasher?.stats(Math.max(10, Math.ceil(1e-4 * collector.rows))) ?? emptyStats()),
    };
    const progress = progressOf(files, o.onProgress);
    // with only mlvet checks (no GX expectation), the engine's statistics are the whole run: no batch is read in JS
    const engineOnly = engine !== null && suites.every((s) => s.expectations.every((e) => CHECKS[e.type] !== undefined));
    const run = await runSuites({
      files,
      suites,
      reader: engine ? { ...reader, onProblem: undefined } : reader,
      params: o.params,
      batchId: basename(o.dataset),
      defaultLevel: o.resultFormat,
      ...(engineOnly ? { known: { rows: collector.rows, dtypes: Object.fromEntries(collector.dtypes) } } : {}),
      onBatch: (b, dtype) => {
        progress.batch(b);
        if (poisoning && !engine) collector.update(b, dtype);
      },
      extra: (e, kwargs) => {
        const check = CHECKS[e.type];
        if (!check) return undefined;
        return { passes: 1, update: () => undefined, finish: () => check(kwargs, ctx) };
      },
    });
    progress.done();
    const validation = suiteResult(run.results, gx?.name ?? checks?.name ?? 'mlvet-poisoning', { ...(gx?.suite_parameters ?? {}), ...(o.params ?? {}) }, o.dataset, {
      rows_scanned: run.rows,
      files: files.map((f) => f.display),
      suites: suites.map((s) => s.name),
      ...(rowStats ? { row_hashes_spilled_to_disk: (rowStats as RowStats).spilled } : {}),
      ...(problems.length ? { unreadable_rows: problems.length } : {}),
      ...(ids.size ? { identifier_columns: [...ids] } : {}),
      family_alpha: poisoning ? familyAlpha(gx, checks) : null,
      ...(poisoning ? { columns: columnSummaries(collector, baseline, ids) } : {}),
    }, now);
    const inconclusive: InconclusiveEntry[] = problems.slice(0, 1000).map((p) => ({ path: p.file, code: 'PARSE_ERROR', message: `row ${p.row}: ${p.message}` }));
    const bytes = files.reduce((a, f) => a + f.size, 0);
    const facts = resultFacts(run.results, o.dataset);
    const report = policy.report({
      command: 'validate',
      targets: [{ uri: o.dataset, kind: 'dataset', files: files.length, bytesRead: bytes, bytesTotal: bytes }],
      facts: [{ target: o.dataset, facts }],
      inconclusive,
      files: files.map((f) => ({ path: f.display, format: f.compression === 'none' ? f.format : `${f.format}+${f.compression}`, scanners: ['validate'] })),
      sections: { validation },
      now,
    });
    // the report's copy adds one record per expectation and check; --gx-out keeps GX's own shape
    report.validation = { ...validation, checks: validationChecks(facts, report.findings) };
    return { report, validation };
  } finally {
    engine?.close();
  }
}

function emptyStats(): RowStats {
  return { rows: 0, distinctFeatureRows: 0, distinctRows: 0, duplicateRows: 0, conflictRows: 0, conflictGroups: 0, maxMultiplicity: 0, conflictExamples: [], heavyExamples: [], spilled: false };
}
