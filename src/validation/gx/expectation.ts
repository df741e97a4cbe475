/**
 * One GX expectation type as mlvet runs it: the kwargs GX's pydantic model accepts for it, which of
 * them are required, and `create`, which builds its streaming evaluator. GX forbids extra kwargs
 * (`extra = forbid`), so mlvet rejects them too; mlvet-only options go in `meta`. Because the record
 * carries both the kwargs and `create`, a type a suite may name always has an implementation.
 */
import type { Evaluator } from './evaluator.js';
import type { KwargType } from './kwarg-types.js';
import type { ResultFormat } from './result-format.js';

/** GX's expectation classes: table, column map, column aggregate, column pair map, multicolumn map */
export type ExpectationKind = 'table' | 'map' | 'aggregate' | 'pair' | 'multi';

export type Kwargs = Record<string, unknown>;

export interface GxExpectation {
  readonly type: string;
  readonly kind: ExpectationKind;
  /** every kwarg GX accepts, the ones all expectations share included */
  readonly kwargs: readonly string[];
  readonly required: readonly string[];
  /** declared kwarg types where this type differs from GX's common meaning of the name (KWARG_TYPES) */
  readonly types?: Readonly<Record<string, KwargType>>;
  /** throws GxError for kwargs GX would reject at run time (that becomes the result's exception_info) */
  create(kw: Kwargs, rf: ResultFormat): Evaluator;
}

/** kwargs every GX 1.x expectation accepts */
const COMMON = [
  'result_format',
  'catch_exceptions',
  'meta',
  'notes',
  'description',
  'id',
  'rendered_content',
  'batch_id',
  'row_condition',
  'condition_parser',
  'windows',
];

/** kwargs of every column map, column pair map and multicolumn map expectation */
export const MAP_KWARGS = ['column', 'mostly'];
export const PAIR_KWARGS = ['column_A', 'column_B', 'ignore_row_if', 'mostly'];
export const MULTI_KWARGS = ['column_list', 'ignore_row_if', 'mostly'];
/** kwargs of the `*_to_be_between` column aggregates */
export const BETWEEN_KWARGS = ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'];

/** A record with the shared kwargs added; `kwargs` lists the type's own. */
export function gx(r: {
  type: string;
  kind: ExpectationKind;
  kwargs: readonly string[];
  required?: readonly string[];
  types?: Readonly<Record<string, KwargType>>;
  create: GxExpectation['create'];
}): GxExpectation {
  return {
    type: r.type,
    kind: r.kind,
    kwargs: [...COMMON, ...r.kwargs],
    required: r.required ?? [],
    ...(r.types ? { types: r.types } : {}),
    create: r.create,
  };
}
