/** Table checks against the baseline: schema (added, removed, retyped, reordered columns) and row count change. */
import { num, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';

const schemaMatches: Check = (kw, ctx) => {
  const b = ctx.baseline;
  if (!b) return outcome(true, null, null, { note: 'no baseline' });
  const cur = ctx.current.order;
  const dtypes = new Map(b.columns.map((c) => [c.name, c.dtype]));
  const curTypes = new Map([...ctx.current.columns].map(([n, p]) => [n, p.kind]));
  const added = cur.filter((c) => !dtypes.has(c));
  const removed = b.columns.map((c) => c.name).filter((c) => !cur.includes(c));
  const retyped = b.columns
    .filter((c) => curTypes.has(c.name) && b.stats[c.name] && curTypes.get(c.name) !== b.stats[c.name]!.kind)
    .map((c) => ({ column: c.name, baseline: b.stats[c.name]!.kind, current: curTypes.get(c.name) }));
  const common = cur.filter((c) => dtypes.has(c));
  const baseOrder = b.columns.map((c) => c.name).filter((c) => cur.includes(c));
  const reordered = common.some((c, i) => baseOrder[i] !== c);
  const changes = removed.length + retyped.length + (kw.allow_extra_columns === true ? 0 : added.length) + (kw.allow_other_column_order === true || !reordered ? 0 : 1);
  return outcome(changes === 0, changes, { changes: 0 }, { added, removed, retyped, reordered });
};

const rowCountChange: Check = (kw, ctx) => {
  const b = ctx.baseline;
  if (!b) return outcome(true, null, null, { note: 'no baseline' });
  const max = num(kw, 'max_relative_change', 0.1);
  const change = b.rows ? (ctx.current.rows - b.rows) / b.rows : 0;
  return outcome(Math.abs(change) <= max, change, { max_relative_change: max }, { rows: ctx.current.rows, baseline_rows: b.rows });
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
    kwargs: ['max_relative_change'],
    doc: "the row count changed by more than a share of the baseline's",
    run: rowCountChange,
  }),
];
