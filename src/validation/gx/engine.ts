/**
 * Runs a suite over a dataset in one streaming pass (two when an expectation needs whole-column
 * statistics first), and writes GX 1.x validation results. Each expectation sees its own
 * row_condition mask; an exception inside one expectation becomes its `exception_info`, as with
 * GX's `catch_exceptions`, and never stops the others.
 */
import { MlvetError } from '../../errors.js';
import { readDataset } from '../readers/dataset.js';
import { resolveParams } from '../suite/params.js';
import { parseRowCondition, type RowPred } from '../suite/row-condition.js';
import type { ExpectationConfig, Suite } from '../suite/load.js';
import type { Batch, Column, DataFile, Dtype, ReaderOptions } from '../types.js';
import { valueAt } from '../types.js';
import { buildEvaluator, type ExtraFactory } from './build.js';
import type { Evaluator, FinishCtx, View } from './evaluator.js';
import type { MapOutcome } from './map.js';
import type { Level } from './result-format.js';
import { DtypeTracker, GxError } from './values.js';

export interface GxResult {
  success: boolean;
  expectation_config: { type: string; kwargs: Record<string, unknown>; meta: Record<string, unknown>; id?: string; severity?: string };
  result: Record<string, unknown>;
  meta: Record<string, unknown>;
  exception_info: { raised_exception: boolean; exception_traceback: string | null; exception_message: string | null };
}

export interface RunOptions {
  files: DataFile[];
  suites: Suite[];
  reader?: ReaderOptions;
  params?: Record<string, unknown>;
  batchId: string;
  defaultLevel?: Level;
  extra?: ExtraFactory;
  /** called with every batch in pass 1, for work outside the suite (row hashing, profiling) */
  onBatch?: (b: Batch, dtype: (n: string) => Dtype) => void;
  /**
   * The table's row count and dtypes, known from the engine: when every expectation is an mlvet check
   * computed there, no batch is read at all.
   */
  known?: { rows: number; dtypes: Record<string, Dtype> };
}

interface Slot {
  config: ExpectationConfig;
  kwargs: Record<string, unknown>;
  ev?: Evaluator;
  cond?: RowPred;
  error?: Error;
}

export interface RunOutput {
  results: GxResult[];
  rows: number;
  columns: string[];
  dtypes: Record<string, Dtype>;
}

function makeSlot(config: ExpectationConfig, params: Record<string, unknown>, o: RunOptions): Slot {
  const slot: Slot = { config, kwargs: config.kwargs };
  try {
    slot.kwargs = resolveParams(config.kwargs, params, config.type);
    if (typeof slot.kwargs.row_condition === 'string' && slot.kwargs.row_condition.trim() !== '') {
      slot.cond = parseRowCondition(slot.kwargs.row_condition, slot.kwargs.condition_parser as string | undefined);
    }
    slot.ev = buildEvaluator(config, slot.kwargs, o.defaultLevel ?? 'COMPLETE', o.extra);
  } catch (e) {
    if (e instanceof MlvetError && e.code !== 'SUITE_INVALID') throw e;
    slot.error = e as Error;
  }
  return slot;
}

function maskFor(pred: RowPred, b: Batch, byName: Map<string, Column>): Uint8Array {
  const m = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) {
    m[i] = pred((n) => {
      const c = byName.get(n);
      return c ? valueAt(c, i) : null;
    })
      ? 1
      : 0;
  }
  return m;
}

export async function runSuites(o: RunOptions): Promise<RunOutput> {
  const slots = o.suites.flatMap((s) => s.expectations.map((e) => makeSlot(e, { ...s.suite_parameters, ...(o.params ?? {}) }, o)));
  const trackers = new Map<string, DtypeTracker>();
  let rows = 0;
  const known = o.known;
  const dtype = (n: string): Dtype => known?.dtypes[n] ?? trackers.get(n)?.dtype ?? 'object';
  if (known) {
    const columns = Object.keys(known.dtypes);
    const ctx: FinishCtx = { rows: known.rows, columns, dtype };
    return { results: slots.map((s) => toResult(s, ctx, o.batchId)), rows: known.rows, columns, dtypes: { ...known.dtypes } };
  }
  const maxPass = Math.max(1, ...slots.map((s) => s.ev?.passes ?? 1));
  for (let pass = 1; pass <= maxPass; pass++) {
    const active = slots.filter((s) => s.ev && !s.error && (pass === 1 || s.ev.passes >= pass));
    if (pass > 1 && active.length === 0) break;
    for await (const b of readDataset(o.files, pass === 1 ? (o.reader ?? {}) : { ...(o.reader ?? {}), onProblem: undefined })) {
      const byName = new Map(b.columns.map((c) => [c.name, c]));
      if (pass === 1) {
        for (const c of b.columns) {
          let t = trackers.get(c.name);
          if (!t) {
            t = new DtypeTracker();
            t.addMissing(rows);
            trackers.set(c.name, t);
          }
          t.update(c, b.length);
        }
        for (const [n, t] of trackers) if (!byName.has(n)) t.addMissing(b.length);
        rows += b.length;
        o.onBatch?.(b, dtype);
      }
      const masks = new Map<RowPred, Uint8Array>();
      for (const s of active) {
        if (s.error) continue;
        let mask: Uint8Array | null = null;
        if (s.cond) {
          mask = masks.get(s.cond) ?? maskFor(s.cond, b, byName);
          masks.set(s.cond, mask);
        }
        const view: View = { batch: b, col: (n) => byName.get(n), mask, dtype };
        try {
          s.ev!.update(view, pass);
        } catch (e) {
          if (e instanceof MlvetError && e.code !== 'SUITE_INVALID') throw e;
          s.error = e as Error;
        }
      }
    }
    for (const s of active) s.ev?.endPass?.(pass);
  }
  const columns = [...trackers.keys()];
  const ctx: FinishCtx = { rows, columns, dtype };
  const results = slots.map((s) => toResult(s, ctx, o.batchId));
  return { results, rows, columns, dtypes: Object.fromEntries(columns.map((c) => [c, dtype(c)])) };
}

function toResult(s: Slot, ctx: FinishCtx, batchId: string): GxResult {
  let out: MapOutcome | null = null;
  let err = s.error;
  if (!err && s.ev) {
    try {
      out = s.ev.finish(ctx);
    } catch (e) {
      if (e instanceof MlvetError && e.code !== 'SUITE_INVALID') throw e;
      err = e as Error;
    }
  }
  const kwargs = { ...s.kwargs };
  delete kwargs.result_format;
  const config = {
    type: s.config.type,
    kwargs: { ...kwargs, ...(s.kwargs.result_format !== undefined ? { result_format: s.kwargs.result_format } : {}), batch_id: batchId },
    meta: s.config.meta,
    ...(s.config.id ? { id: s.config.id } : {}),
    ...(s.config.severity ? { severity: s.config.severity } : {}),
  };
  if (err || !out) {
    const msg = err ? err.message : 'no result';
    return {
      success: false,
      expectation_config: config,
      result: {},
      meta: {},
      exception_info: { raised_exception: true, exception_traceback: `${err instanceof GxError ? 'GxError' : (err?.name ?? 'Error')}: ${msg}`, exception_message: msg },
    };
  }
  return {
    success: out.success,
    expectation_config: config,
    result: out.result,
    meta: out.meta ?? {},
    exception_info: { raised_exception: false, exception_traceback: null, exception_message: null },
  };
}
