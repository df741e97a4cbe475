/**
 * The attack catalogue: each attack at the strength, the columns it acts on (from the
 * dataset's roles) and the rule ids that count as catching it. A rule id matches when the regex
 * finds it; rules the checks do not have yet (null rate, unseen categories, type drift, conditional
 * label rate) are matched by name so the other half of issue 13 can add them under any id that says so.
 */
import * as A from './attacks.js';
import type { Dataset, Roles } from './datasets.js';
import { values, type Table } from './table.js';

export interface Attack {
  name: string;
  /** rule ids that count as a catch */
  expect: RegExp;
  applies(ds: Dataset, t: Table): boolean;
  apply(batch: Table, rng: A.Rng, ds: Dataset, t: Table): A.Injected;
}

const LABEL_RULES = /label-(shift|flips|rate)|conditional|association/;

/** the numeric role if it has no nulls anywhere, else the first other column without nulls */
export function nullFreeColumn(ds: Dataset, t: Table): string | undefined {
  const skip = new Set([ds.roles.label, ds.roles.id, 'row_id']);
  const free = (c: string) => values(t, c).every((v) => v !== null);
  if (ds.roles.numeric && free(ds.roles.numeric)) return ds.roles.numeric;
  return t.columns.find((c) => !skip.has(c) && free(c));
}

const r = (ds: Dataset): Roles => ds.roles;

export const ATTACKS: Attack[] = [
  {
    name: 'flip-random-2%',
    expect: LABEL_RULES,
    applies: (ds) => !!r(ds).label,
    apply: (b, g, ds) => A.flipLabels(b, g, { label: r(ds).label!, rate: 0.02 }),
  },
  {
    name: 'flip-targeted-1%',
    expect: LABEL_RULES,
    applies: (ds) => !!r(ds).label && !!r(ds).category,
    apply: (b, g, ds) => A.flipLabelsTargeted(b, g, { label: r(ds).label!, column: r(ds).category!, rate: 0.01 }),
  },
  {
    name: 'conflicting-dups-2%',
    expect: /conflicting-labels|label-flips/,
    applies: (ds) => !!r(ds).label,
    apply: (b, g, ds) => A.conflictingDuplicates(b, g, { label: r(ds).label!, rate: 0.02, id: ds.rowId ? 'row_id' : r(ds).id }),
  },
  // a repeated row keeps its identifier: where the dataset has one (zipcodes' zip_code), the copies are
  // id-duplicates, the check designed for "a copied row that kept its id" (the row hash leaves ids out, and
  // the baseline's own feature-level repeats can hide 2 % more of them)
  { name: 'repeat-row-2%', expect: /repeated-row|duplicate-rows|id-duplicates/, applies: () => true, apply: (b, g) => A.repeatRow(b, g, { rate: 0.02 }) },
  {
    name: 'out-of-range-0.5%',
    expect: /out-of-range|outliers/,
    applies: (ds) => !!r(ds).numeric,
    apply: (b, g, ds) => A.outOfRange(b, g, { column: r(ds).numeric!, rate: 0.005 }),
  },
  {
    name: 'nulls-5%',
    expect: /null/,
    applies: (ds, t) => nullFreeColumn(ds, t) !== undefined,
    apply: (b, g, ds, t) => A.injectNulls(b, g, { column: nullFreeColumn(ds, t)!, rate: 0.05 }),
  },
  {
    name: 'unseen-category-1%',
    expect: /unseen|new-categor/,
    applies: (ds) => !!r(ds).category,
    apply: (b, g, ds) => A.unseenCategory(b, g, { column: r(ds).category!, rate: 0.01 }),
  },
  {
    name: 'retype-2%',
    expect: /type|schema/,
    applies: (ds) => !!r(ds).numeric,
    apply: (b, g, ds) => A.retype(b, g, { column: r(ds).numeric!, rate: 0.02 }),
  },
  { name: 'schema-rename', expect: /schema/, applies: (ds) => !!r(ds).numeric, apply: (b, _g, ds) => A.renameColumn(b, { column: r(ds).numeric! }) },
  { name: 'mean-drift-0.3sd', expect: /drift/, applies: (ds) => !!r(ds).numeric, apply: (b, _g, ds) => A.meanDrift(b, { column: r(ds).numeric!, sigma: 0.3 }) },
  {
    name: 'class-shift',
    expect: /label-shift|class-imbalance|label-distribution/,
    applies: (ds) => !!r(ds).label,
    apply: (b, g, ds) => A.classBalanceShift(b, g, { label: r(ds).label!, drop: 0.4 }),
  },
  {
    name: 'trigger-token-1%',
    expect: /trigger|emergent/,
    applies: (ds) => !!r(ds).text && !!r(ds).label,
    apply: (b, g, ds) => A.triggerToken(b, g, { column: r(ds).text!, label: r(ds).label!, rate: 0.01 }),
  },
  {
    // the text must hold texts long enough for one word to leave them near-duplicates (movie titles do; names of cars do not)
    name: 'near-duplicates-2%',
    expect: /near-duplicates/,
    applies: (ds, t) => !!r(ds).text && values(t, r(ds).text!).filter((v) => A.wordCount(v) >= 7).length >= 50,
    apply: (b, g, ds) => A.nearDuplicates(b, g, { column: r(ds).text!, rate: 0.02, ...(ds.rowId ? { id: 'row_id' } : {}) }),
  },
  {
    name: 'zero-width-1%',
    expect: /invisible/,
    applies: (ds) => !!(r(ds).text ?? r(ds).category),
    apply: (b, g, ds) => A.zeroWidth(b, g, { column: (r(ds).text ?? r(ds).category)!, rate: 0.01 }),
  },
];
