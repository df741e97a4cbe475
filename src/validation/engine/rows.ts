/**
 * Row-level statistics on the DuckDB engine (issue 13, decision 0006): exact duplicate rows, conflicting
 * labels, max multiplicity, conflicts against the baseline's sampled feature-hash → label map, identifier
 * duplicates, each with bounded examples (1-based row numbers). The same semantics as the JS RowHasher and
 * IdTracker (src/validation/rows/), computed by hash aggregation under DuckDB's memory_limit (spilling to
 * its temp directory) on both threads.
 *
 * The row hash (scheme "mlvet-rows-1"), written down because baselines store it:
 *   h = DuckDB hash(<JSON array of the sorted feature names>, canon(f₁), …, canon(fₙ))  — 64 bits, UBIGINT
 *   canon(x) by the column's DuckDB type, so the same data read from CSV or Parquet hashes the same:
 *     integers, DECIMAL, FLOAT, DOUBLE, BOOLEAN → DOUBLE (1, 1.0 and true are one value; -0 → 0; NaN → NULL)
 *     VARCHAR → the string; a text column (profile kind `text`) normalised as normaliseText() does:
 *       NFKC, lower case, runs of punctuation/symbols → one space, runs of white space → one space, trimmed
 *       (pure-ASCII strings in SQL; any other string through a JS scalar function running normaliseText)
 *     DATE, TIMESTAMP* → epoch milliseconds as BIGINT (the JS readers' Date values hash by their milliseconds;
 *       a BIGINT hashes apart from the DOUBLE every number becomes)
 *     anything else → CAST(x AS VARCHAR)
 *     NULL stays NULL, which DuckDB hashes to a constant distinct from '' and from every value.
 *   Rendered as 16 lowercase hex digits (high 32 bits first), so profile/merge.ts's sampling rule
 *   `parseInt(hex.slice(8), 16) % sampleMod === 0` is `(h & 0xffffffff) % sampleMod = 0` here.
 * Rows group on h exactly (64 bits; the JS path keys on 53). The label is a typed canonical value (a string
 * label coalesced with '' — the JS key of a missing label is '' —, a number as DOUBLE, a boolean as BOOLEAN)
 * rendered with keyOf() only for output, so labels compare as the JS path compares keyOf strings.
 * Examples are the first groups by first row, each with its first five rows: the JS order when nothing spills.
 */
import { createRequire } from 'node:module';
import type { IdStats } from '../rows/ids.js';
import type { RowStats } from '../rows/rowhash.js';
import { keyOf } from '../profile/column.js';
import { normaliseText } from '../profile/text.js';
import { ident, lit, type Engine } from './duckdb.js';

// CommonJS, required (see engine/duckdb.ts); this module loads only once the engine has
const { DuckDBScalarFunction, VARCHAR } = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

export interface RowsInput {
  engine: Engine;
  /** SQL relation (a quoted table name or a parenthesised query) with `__row` BIGINT, 1-based, in file order */
  table: string;
  /** columns in the row hash: all but the identifier columns and the label */
  features: string[];
  label?: string;
  ids: string[];
  /** text columns: normalised before hashing */
  textCols: string[];
  /** keep hashes whose low 32 bits % sampleMod == 0 (default 1) */
  sampleMod?: number;
  /** build `sample` (profile; needs a label) */
  collectSample?: boolean;
  /** the baseline's sampled feature hash (16 hex) → label, and its sampling modulus */
  against?: { labels: Map<string, string>; mod: number };
  /** example groups kept for conflicts, heavy rows and changed labels (default 20; id columns keep ≤ 5) */
  examples?: number;
  /** a row repeated this often is a heavy example (default max(10, ⌈10⁻⁴ · rows⌉), as validate and profile use) */
  heavyAt?: number;
  /** cap on `sample` (default 200,000, as RowHasher) */
  maxSample?: number;
}

export interface RowsResult {
  stats: RowStats;
  /** sampled rows whose feature hash is in the baseline map, and those whose label differs */
  matched: number;
  mismatched: number;
  /** the first changed-label rows (≤ examples) */
  mismatchExamples: Array<{ row: number; label: string; baseline_label: string }>;
  /**
   * 16-hex feature hash → label (the last row's), for hashes whose low 32 bits % sampleMod == 0: the first
   * maxSample such hashes by first row (RowHasher stops adding at the cap; it keeps updating none after it either)
   */
  sample: Map<string, string>;
  ids: Map<string, IdStats>;
}

type Kind = 'int' | 'float' | 'bool' | 'string' | 'time' | 'other';

function kindOf(type: string): Kind {
  if (/^(?:U?(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|DECIMAL\(.*\))$/.test(type)) return 'int';
  if (type === 'FLOAT' || type === 'DOUBLE') return 'float';
  if (type === 'BOOLEAN') return 'bool';
  if (type === 'VARCHAR') return 'string';
  if (type === 'DATE' || type.startsWith('TIMESTAMP')) return 'time';
  return 'other';
}

/** a number as one DOUBLE value: NaN is missing, -0 is 0 */
const canonDouble = (x: string): string => `CASE WHEN isnan(${x}::DOUBLE) THEN NULL WHEN ${x} = 0 THEN 0::DOUBLE ELSE ${x}::DOUBLE END`;

/**
 * normaliseText() for pure-ASCII strings: NFKC is the identity there and [[:punct:]] is exactly ASCII P ∪ S;
 * a run of punctuation and white space becomes one space, as "punctuation → space, then collapse spaces" does
 */
const asciiNorm = (x: string): string => `trim(regexp_replace(lower(${x}), '[[:punct:]\\t\\n\\x0b\\f\\r ]+', ' ', 'g'))`;

const NORM_FN = 'mlvet_rows_normalise_text';
const registered = new WeakSet<Engine>();

function registerNormalise(e: Engine): void {
  if (registered.has(e)) return;
  e.con.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: NORM_FN,
      returnType: VARCHAR,
      parameterTypes: [VARCHAR],
      mainFunction: (_info, input, output) => {
        const v = input.getColumnVector(0);
        for (let i = 0; i < input.rowCount; i++) {
          const s = v.getItem(i) as string | null;
          output.setItem(i, s === null ? null : normaliseText(s));
        }
        output.flush();
      },
    }),
  );
  registered.add(e);
}

/** the canonical value of column `name` (DuckDB type `type`) for the row hash and id grouping */
function canon(name: string, type: string, text: boolean): string {
  const x = ident(name);
  switch (kindOf(type)) {
    case 'int':
    case 'bool':
      return `${x}::DOUBLE`;
    case 'float':
      return canonDouble(x);
    case 'string':
      return text ? `CASE WHEN strlen(${x}) = length(${x}) THEN ${asciiNorm(x)} ELSE ${NORM_FN}(${x}) END` : x;
    case 'time':
      return type === 'TIMESTAMP WITH TIME ZONE' ? `epoch_ms(${x})` : `epoch_ms(${x}::TIMESTAMP)`;
    default:
      return `${x}::VARCHAR`;
  }
}

type LabelKind = 'string' | 'double' | 'bool';

function labelOf(name: string | undefined, type: string | undefined): { sql: string; kind: LabelKind } {
  if (name === undefined || type === undefined) return { sql: "''", kind: 'string' };
  const x = ident(name);
  const k = kindOf(type);
  if (k === 'int' || k === 'float') return { sql: canonDouble(x), kind: 'double' };
  if (k === 'bool') return { sql: x, kind: 'bool' };
  return { sql: `coalesce(${k === 'string' ? x : `${x}::VARCHAR`}, '')`, kind: 'string' };
}

/** a label as the JS path keys it (keyOf; a missing label is '') */
const labelKey = (v: unknown): string => (v === null || v === undefined ? '' : keyOf(v));

const HEX16 = /^[0-9a-f]{16}$/;

let seq = 0;

export async function rowsOnEngine(i: RowsInput): Promise<RowsResult> {
  const e = i.engine;
  const examples = i.examples ?? 20;
  const sampleMod = i.sampleMod ?? 1;
  // numbers go into the SQL text: each must be the integer it claims to be
  for (const [what, m, least] of [['sampleMod', sampleMod, 1], ['against.mod', i.against?.mod ?? 1, 1], ['examples', examples, 0], ['heavyAt', i.heavyAt ?? 1, 1], ['maxSample', i.maxSample ?? 0, 0]] as const) {
    if (!Number.isSafeInteger(m) || m < least) throw new RangeError(`${what} must be an integer ≥ ${least}, got ${m}`);
  }
  const types = new Map((await e.rows(`DESCRIBE SELECT * FROM ${i.table}`)).map((r) => [String(r.column_name), String(r.column_type)]));
  for (const c of [...i.features, ...i.ids, ...(i.label !== undefined ? [i.label] : [])]) {
    if (!types.has(c)) throw new RangeError(`no column ${JSON.stringify(c)} in ${i.table}`);
  }
  const text = new Set(i.textCols);
  const feats = [...i.features].sort();
  if (feats.some((f) => text.has(f) && kindOf(types.get(f)!) === 'string')) registerNormalise(e);
  const hash = `hash(${[lit('mlvet-rows-1' + JSON.stringify(feats)), ...feats.map((f) => canon(f, types.get(f)!, text.has(f)))].join(', ')})`;
  const label = labelOf(i.label, i.label === undefined ? undefined : types.get(i.label));

  const n = ++seq;
  const name = (what: string): string => ident(`mlvet_rows_${n}_${what}`);
  const [g, w, d, cd, ag, sm] = ['groups', 'wanted', 'detail', 'conflicts', 'against', 'sample'].map(name) as [string, string, string, string, string, string];
  const labelled = i.label !== undefined;
  /** each row's feature hash, canonical label and row number (recomputed where needed: hashing is cheap, aggregating is not) */
  const rowsOf = `(SELECT ${hash} AS h, ${label.sql} AS l, __row AS r FROM ${i.table})`;
  // normalising text costs more than a second read: with text columns the per-row hashes are kept instead
  const hashed = text.size && feats.some((f) => text.has(f)) ? name('rows') : rowsOf;
  const low = (mod: number): string => `(h & 4294967295::UBIGINT) % ${mod} = 0`;
  try {
    if (hashed !== rowsOf) await e.run(`CREATE TEMP TABLE ${hashed} AS SELECT * FROM ${rowsOf}`);
    const [t] = await e.rows(`SELECT count(*) AS rows FROM ${i.table}`);
    const rows = Number(t!.rows);
    const heavyAt = i.heavyAt ?? Math.max(10, Math.ceil(1e-4 * rows));
    const against = i.against && i.against.labels.size ? i.against : undefined;
    // the one full aggregation: exact groups on the 64-bit feature hash; a group is mixed when its labels
    // differ. Only groups a later query reads are kept: repeated ones (mixed groups are repeated), and
    // single rows only where the baseline's sample is matched or a single row counts as heavy; writing
    // out every one of 3,000,000 distinct rows took a fifth of the aggregation (flights-3m)
    const keep = heavyAt <= 1 ? '' : `HAVING count(*) > 1${against ? ` OR ${low(against.mod)}` : ''}`;
    await e.run(labelled
      ? `CREATE TEMP TABLE ${g} AS SELECT h, count(*) AS n, min(r) AS f, min(lh) AS lh, max(lh) <> min(lh) AS mixed FROM (SELECT h, hash(l) AS lh, r FROM ${hashed}) GROUP BY h ${keep}`
      : `CREATE TEMP TABLE ${g} AS SELECT h, count(*) AS n, min(r) AS f, NULL::UBIGINT AS lh, false AS mixed FROM ${hashed} GROUP BY h ${keep}`);
    const spilled = Number((await e.rows('SELECT count(*) AS k FROM duckdb_temporary_files()'))[0]!.k) > 0;
    // every row not in a kept repeated group is a group of its own
    const [rep] = await e.rows(`SELECT coalesce(sum(n), 0) AS n, count(*) AS k FROM ${g} WHERE n > 1`);
    const groups = rows - Number(rep!.n) + Number(rep!.k);
    if (against) await loadAgainst(e, `mlvet_rows_${n}_against`, label.kind, against.labels);
    // the baseline label differs from a single-label group's (ok = false: no value of this label type renders as it)
    const differs = `(NOT a.ok OR hash(a.lab) <> g.lh)`;
    // groups whose rows are needed: every mixed group, and the first example groups of each kind
    await e.run(`CREATE TEMP TABLE ${w} AS
      SELECT h FROM ${g} WHERE mixed
      UNION SELECT h FROM (SELECT h FROM ${g} WHERE NOT mixed AND n >= ${heavyAt} ORDER BY f LIMIT ${examples})
      ${against ? `UNION SELECT h FROM (SELECT g.h FROM ${g} g JOIN ${ag} a USING (h) WHERE NOT g.mixed AND ${differs} AND ${low(against.mod)} ORDER BY g.f LIMIT ${examples})` : ''}`);
    // (a clean batch usually needs none: then the data is not read again)
    const none = Number((await e.rows(`SELECT count(*) AS k FROM ${w}`))[0]!.k) === 0;
    await e.run(`CREATE TEMP TABLE ${d} AS SELECT h, l, r FROM ${hashed} WHERE ${none ? 'false' : `h IN (SELECT h FROM ${w})`}`);
    await e.run(`CREATE TEMP TABLE ${cd} AS SELECT h, l, count(*) AS c, min(r) AS f FROM ${d} WHERE h IN (SELECT h FROM ${g} WHERE mixed) GROUP BY h, l`);
    const [s] = await e.rows(`SELECT
        (SELECT coalesce(sum(n), 0) FROM ${g} WHERE mixed) AS conflict_rows,
        (SELECT count(*) FROM ${g} WHERE mixed) AS conflict_groups,
        (SELECT count(*) FROM ${cd}) AS conflict_labels,
        greatest((SELECT coalesce(max(n), 0) FROM ${g} WHERE NOT mixed), (SELECT coalesce(max(c), 0) FROM ${cd}), ${rows > 0 ? 1 : 0}) AS most`);
    const conflictGroups = Number(s!.conflict_groups);
    const distinctRows = groups - conflictGroups + Number(s!.conflict_labels);

    const conflicts = await e.rows(`SELECT h::VARCHAR AS h FROM ${g} WHERE mixed ORDER BY f LIMIT ${examples}`);
    const heavy = await e.rows(`SELECT h::VARCHAR AS h, most FROM (
        SELECT h, n AS most, f FROM ${g} WHERE NOT mixed AND n >= ${heavyAt}
        UNION ALL SELECT h, max(c), min(f) FROM ${cd} GROUP BY h HAVING max(c) >= ${heavyAt}
      ) ORDER BY f LIMIT ${examples}`);
    const firstRows = await firstRowsOf(e, d, [...new Set([...conflicts, ...heavy].map((r) => String(r.h)))]);
    const labelsOf = new Map<string, Record<string, number>>();
    if (conflicts.length) {
      for (const r of await e.rows(`SELECT h::VARCHAR AS h, l, c FROM ${cd} WHERE h IN (${conflicts.map((c) => `${String(c.h)}::UBIGINT`).join(', ')}) ORDER BY h, f`)) {
        const rec = labelsOf.get(String(r.h)) ?? {};
        rec[labelKey(r.l)] = Number(r.c);
        labelsOf.set(String(r.h), rec);
      }
    }
    const stats: RowStats = {
      rows,
      distinctFeatureRows: groups,
      distinctRows,
      duplicateRows: rows - distinctRows,
      conflictRows: Number(s!.conflict_rows),
      conflictGroups,
      maxMultiplicity: Number(s!.most),
      conflictExamples: conflicts.map((c) => ({ rows: firstRows.get(String(c.h)) ?? [], labels: labelsOf.get(String(c.h)) ?? {} })),
      heavyExamples: heavy.map((c) => ({ rows: firstRows.get(String(c.h)) ?? [], count: Number(c.most) })),
      spilled,
    };

    // the label of each sampled hash's last row (the JS map keeps the last label set); labels cross to JS once
    // each, as a dictionary, and hashes as BigInts: 200,000 strings through row objects cost more than the query
    const sample = new Map<string, string>();
    if (i.collectSample && labelled) {
      await e.run(`CREATE TEMP TABLE ${sm} AS SELECT h, l, dense_rank() OVER (ORDER BY l)::UINTEGER AS k, f FROM (
          SELECT h, arg_max(l, r) AS l, min(r) AS f FROM ${hashed} WHERE ${low(sampleMod)} GROUP BY h ORDER BY f LIMIT ${i.maxSample ?? 200_000})`);
      const dict = new Map((await e.rows(`SELECT DISTINCT k, l FROM ${sm}`)).map((r) => [Number(r.k), labelKey(r.l)]));
      const [hs, ks] = (await e.con.runAndReadAll(`SELECT h, k FROM ${sm} ORDER BY f`)).getColumnsJS() as [bigint[], number[]];
      for (let j = 0; j < hs.length; j++) sample.set(hs[j]!.toString(16).padStart(16, '0'), dict.get(ks[j]!)!);
    }

    let matched = 0;
    let mismatched = 0;
    const mismatchExamples: RowsResult['mismatchExamples'] = [];
    if (against) {
      // single-label groups count whole; mixed groups per label (their rows are in the detail table)
      const [m] = await e.rows(`SELECT
          (SELECT coalesce(sum(g.n), 0) FROM ${g} g JOIN ${ag} a USING (h) WHERE NOT g.mixed AND ${low(against.mod)}) +
          (SELECT coalesce(sum(c.c), 0) FROM ${cd} c JOIN ${ag} a USING (h) WHERE ${low(against.mod)}) AS matched,
          (SELECT coalesce(sum(g.n), 0) FROM ${g} g JOIN ${ag} a USING (h) WHERE NOT g.mixed AND ${differs} AND ${low(against.mod)}) +
          (SELECT coalesce(sum(c.c), 0) FROM ${cd} c JOIN ${ag} a USING (h) WHERE NOT (a.ok AND a.lab IS NOT DISTINCT FROM c.l) AND ${low(against.mod)}) AS mismatched`);
      matched = Number(m!.matched);
      mismatched = Number(m!.mismatched);
      for (const r of await e.rows(`SELECT d.r, d.l, a.s FROM ${d} d JOIN ${ag} a USING (h) WHERE NOT (a.ok AND a.lab IS NOT DISTINCT FROM d.l) AND ${low(against.mod)} ORDER BY d.r LIMIT ${examples}`)) {
        mismatchExamples.push({ row: Number(r.r), label: labelKey(r.l), baseline_label: String(r.s) });
      }
    }

    const ids = new Map<string, IdStats>();
    for (const c of i.ids) ids.set(c, await idStats(e, i.table, c, types.get(c)!, Math.min(5, examples), n));
    return { stats, matched, mismatched, mismatchExamples, sample, ids };
  } finally {
    for (const t of [g, w, d, cd, ag, sm, name('rows')]) await e.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** the first five rows (ascending) of each wanted group, from the detail table: hash → rows */
async function firstRowsOf(e: Engine, detail: string, wanted: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (!wanted.length) return out;
  const got = await e.rows(`SELECT h::VARCHAR AS k, r FROM ${detail} WHERE h IN (${wanted.map((h) => `${h}::UBIGINT`).join(', ')})
    QUALIFY row_number() OVER (PARTITION BY h ORDER BY r) <= 5 ORDER BY r`);
  for (const r of got) {
    const k = String(r.k);
    out.set(k, [...(out.get(k) ?? []), Number(r.r)]);
  }
  return out;
}

/** the baseline map as a table: hash, the label as this table's label type (ok = false: no value of it renders so) */
async function loadAgainst(e: Engine, table: string, kind: LabelKind, labels: Map<string, string>): Promise<void> {
  const type = kind === 'double' ? 'DOUBLE' : kind === 'bool' ? 'BOOLEAN' : 'VARCHAR';
  await e.run(`CREATE TEMP TABLE ${ident(table)} (h UBIGINT, lab ${type}, ok BOOLEAN, s VARCHAR)`);
  const a = await e.con.createAppender(table, 'main', 'temp');
  try {
    for (const [hex, s] of labels) {
      if (!HEX16.test(hex)) continue;
      a.appendUBigInt(BigInt('0x' + hex));
      let ok = true;
      if (kind === 'string') a.appendVarchar(s);
      else if (s === '') a.appendNull();
      else if (kind === 'bool') {
        ok = s === 'True' || s === 'False';
        a.appendBoolean(s === 'True');
      } else {
        const x = Number(s);
        ok = String(x) === s;
        a.appendDouble(ok ? x : 0);
      }
      a.appendBoolean(ok);
      a.appendVarchar(s);
      a.endRow();
    }
  } finally {
    a.closeSync();
  }
}

/** exact duplicate values of one identifier column (missing values are not ids) */
async function idStats(e: Engine, table: string, column: string, type: string, examples: number, n: number): Promise<IdStats> {
  const v = canon(column, type, false);
  const dup = ident(`mlvet_rows_${n}_id`);
  try {
    await e.run(`CREATE TEMP TABLE ${dup} AS SELECT v, count(*) AS c, min(__row) AS f FROM (SELECT ${v} AS v, __row FROM ${table}) WHERE v IS NOT NULL GROUP BY v HAVING count(*) > 1`);
    const [s] = await e.rows(`SELECT (SELECT count(${v}) FROM ${table}) AS rows, (SELECT coalesce(sum(c - 1), 0) FROM ${dup}) AS dup_rows, (SELECT count(*) FROM ${dup}) AS dup_values`);
    const top = await e.rows(`SELECT row_number() OVER (ORDER BY f) AS k, v, c FROM ${dup} ORDER BY f LIMIT ${examples}`);
    const rows = new Map<string, number[]>();
    if (top.length) {
      const got = await e.rows(`SELECT t.k::VARCHAR AS k, x.__row AS r FROM (SELECT ${v} AS v, __row FROM ${table}) x
        JOIN (SELECT row_number() OVER (ORDER BY f) AS k, v FROM ${dup} ORDER BY f LIMIT ${examples}) t USING (v)
        QUALIFY row_number() OVER (PARTITION BY t.k ORDER BY x.__row) <= 5 ORDER BY x.__row`);
      for (const r of got) rows.set(String(r.k), [...(rows.get(String(r.k)) ?? []), Number(r.r)]);
    }
    return {
      column,
      rows: Number(s!.rows),
      duplicate_rows: Number(s!.dup_rows),
      duplicate_values: Number(s!.dup_values),
      examples: top.map((t) => ({ rows: rows.get(String(t.k)) ?? [], count: Number(t.c) })),
    };
  } finally {
    await e.run(`DROP TABLE IF EXISTS ${dup}`);
  }
}
