/**
 * A dataset in memory for the real-data harness: column names and rows of plain values (number,
 * string or null). Loaders for the formats the packages ship (JSON arrays, CSV, Arrow IPC) and a CSV
 * writer, so a split or an attacked batch is a file `mlvet` reads like a user's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { tableFromIPC } from 'apache-arrow';

export type Value = number | string | null;

export interface Table {
  columns: string[];
  rows: Value[][];
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A column is numeric when every present value is a number; a leading zero (zip "00501") keeps it text. */
function castColumns(columns: string[], raw: string[][]): Table {
  const numeric = columns.map((_, j) => raw.every((r) => {
    const s = r[j] ?? '';
    return s === '' || (NUMBER.test(s) && !/^[-+]?0\d/.test(s));
  }));
  const rows = raw.map((r) => columns.map((_, j): Value => {
    const s = r[j] ?? '';
    if (s === '') return null;
    return numeric[j] ? Number(s) : s;
  }));
  return { columns, rows };
}

export function parseCsv(text: string): Table {
  const recs: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true });
  const [header, ...body] = recs;
  if (!header) throw new Error('empty CSV');
  return castColumns(header, body);
}

export function loadCsv(path: string): Table {
  const buf = readFileSync(path);
  return parseCsv((path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8'));
}

/** A JSON array of flat records (vega-datasets' .json files); nested values become JSON text. */
export function loadJsonArray(path: string): Table {
  const recs = JSON.parse(readFileSync(path, 'utf8')) as Array<Record<string, unknown>>;
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of recs) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      columns.push(k);
    }
  }
  const rows = recs.map((r) => columns.map((c): Value => {
    const v = r[c];
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  }));
  return { columns, rows };
}

export function loadArrow(path: string, limit = Infinity): Table {
  const t = tableFromIPC(readFileSync(path));
  const columns = t.schema.fields.map((f) => f.name);
  const vecs = columns.map((c) => t.getChild(c)!);
  const n = Math.min(t.numRows, limit);
  const rows: Value[][] = new Array<Value[]>(n);
  for (let i = 0; i < n; i++) {
    rows[i] = vecs.map((v): Value => {
      const x = v.get(i) as unknown;
      if (x === null || x === undefined) return null;
      if (typeof x === 'bigint') return Number(x);
      if (typeof x === 'number') return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : null;
      return typeof x === 'object' ? JSON.stringify(x) : `${x as string}`;
    });
  }
  return { columns, rows };
}

function csvField(v: Value): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: Table): string {
  const lines = [t.columns.map(csvField).join(',')];
  for (const r of t.rows) lines.push(r.map(csvField).join(','));
  return lines.join('\n') + '\n';
}

export function writeCsv(path: string, t: Table): void {
  writeFileSync(path, toCsv(t));
}

export function col(t: Table, name: string): number {
  const j = t.columns.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in [${t.columns.join(', ')}]`);
  return j;
}

export function values(t: Table, name: string): Value[] {
  const j = col(t, name);
  return t.rows.map((r) => r[j] ?? null);
}

export function isNumericColumn(t: Table, name: string): boolean {
  const v = values(t, name).filter((x) => x !== null);
  return v.length > 0 && v.every((x) => typeof x === 'number');
}

/** value → count, most frequent first (ties by value, so the order is deterministic) */
export function counts(t: Table, name: string): Array<[Value, number]> {
  const m = new Map<Value, number>();
  for (const v of values(t, name)) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

export function copyTable(t: Table): Table {
  return { columns: [...t.columns], rows: t.rows.map((r) => [...r]) };
}
