/** Table checks against the baseline: schema (added, removed, retyped, reordered columns) and row count change. */
import { outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';

/** dtypes that hold the same kind of value: an int column read as float (a null in a CSV) is not retyped */
const family = (d: string | undefined): string => (d === 'int64' || d === 'float64' ? 'number' : d === 'null' || d === undefined ? 'null' : d);

const schemaMatches: Check = (kw, ctx) => {
  const b = ctx.baseline;
  if (!b) return outcome(true, null, null, { note: 'no baseline' });
  const cur = ctx.current.order;
  const dtypes = new Map(b.columns.map((c) => [c.name, c.dtype]));
  const added = cur.filter((c) => !dtypes.has(c));
  const removed = b.columns.map((c) => c.name).filter((c) => !cur.includes(c));
  const retyped = b.columns
    .map((c) => ({ column: c.name, baseline: c.dtype, current: ctx.current.dtypes.get(c.name) }))
    .filter((c) => c.current !== undefined && family(c.current) !== 'null' && family(c.baseline) !== 'null' && family(c.current) !== family(c.baseline));
  const common = cur.filter((c) => dtypes.has(c));
  const baseOrder = b.columns.map((c) => c.name).filter((c) => cur.includes(c));
  const reordered = common.some((c, i) => baseOrder[i] !== c);
  const changes = removed.length + retyped.length + (kw.allow_extra_columns === true ? 0 : added.length) + (kw.allow_other_column_order === true || !reordered ? 0 : 1);
  const list = (xs: string[]): string => (xs.length ? xs.join(', ') : 'none');
  return outcome(changes === 0, changes, { changes: 0 }, {
    added,
    removed,
    retyped,
    reordered,
    summary: `added ${list(added)}; removed ${list(removed)}; retyped ${list(retyped.map((r) => `${r.column} ${r.baseline}→${r.current}`))}${reordered ? '; reordered' : ''}`,
  });
};

/**
 * Batches of different sizes are normal, and a smaller batch is no poisoning signal: the change is
 * reported, and fails only against bounds the suite sets (`max_relative_change`, `min_rows`, `max_rows`).
 */
const rowCountChange: Check = (kw, ctx) => {
  const b = ctx.baseline;
  if (!b) return outcome(true, null, null, { note: 'no baseline' });
  const rows = ctx.current.rows;
  const change = b.rows ? (rows - b.rows) / b.rows : 0;
  const bounds: Record<string, number> = {};
  for (const k of ['max_relative_change', 'min_rows', 'max_rows']) if (typeof kw[k] === 'number') bounds[k] = kw[k];
  const ok = (bounds.max_relative_change === undefined || Math.abs(change) <= bounds.max_relative_change) && (bounds.min_rows === undefined || rows >= bounds.min_rows) && (bounds.max_rows === undefined || rows <= bounds.max_rows);
  return outcome(ok, change, Object.keys(bounds).length ? bounds : { informational: true }, { rows, baseline_rows: b.rows });
};

export const TABLE_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_table_schema_to_match_baseline',
    kwargs: ['allow_extra_columns', 'allow_other_column_order'],
    doc: 'columns were added, removed, retyped or reordered since the baseline',
    run: schemaMatches,
  }),
  poisonCheck({
    type: 'expect_table_row_count_change_to_be_within',
    kwargs: ['max_relative_change', 'min_rows', 'max_rows'],
    doc: "the row count changed by more than a share of the baseline's",
    run: rowCountChange,
  }),
];
