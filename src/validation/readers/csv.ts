/**
 * CSV/TSV reader on csv-parse (streaming, RFC 4180 quoting). The first record is the header.
 * A record with the wrong number of fields is reported with its line and skipped.
 */
import { parse } from 'csv-parse';
import { MlvetError } from '../../errors.js';
import type { Batch, Column, DataFile, ReaderOptions } from '../types.js';
import { fileChunks } from './bytes.js';
import { parserFailure } from './failure.js';
import { tokenizeCsv, type IntFields, type TokenizedRecord } from './csv-tokenizer.js';
import { csvFloat, typeCsv, type CsvType } from './infer.js';

/** default tokenizer; see bench/validate.bench.mjs for the measurement behind the choice */
export async function* readCsv(file: DataFile, rowStart: number, opts: ReaderOptions): AsyncGenerator<Batch> {
  if (opts.csvParser === 'csv-parse') {
    yield* readCsvWithCsvParse(file, rowStart, opts);
    return;
  }
  const ints: IntFields = { cols: [] };
  yield* records(tokenizeCsv(fileChunks(file), file.format === 'tsv' ? 9 : 44, file.display, undefined, ints), file, rowStart, opts, ints);
}

export async function* readCsvWithCsvParse(file: DataFile, rowStart: number, opts: ReaderOptions): AsyncGenerator<Batch> {
  const parser = parse({
    delimiter: file.format === 'tsv' ? '\t' : ',',
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    max_record_size: 64 * 1024 * 1024,
    // the parser runs ahead of the consumer, so a record's own line number must travel with it
    on_record: (record: string[], ctx: { lines: number }) => {
      lineOfRecord.set(record, ctx.lines);
      return record;
    },
  });
  const lineOfRecord = new WeakMap<string[], number>();
  const source = fileChunks(file);
  const pump = (async () => {
    try {
      for await (const chunk of source) {
        // a parser that failed on an earlier chunk never drains: stop feeding it
        if (parser.destroyed) return;
        if (!parser.write(chunk)) await drainedOrClosed(parser);
      }
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  try {
    async function* groups(): AsyncGenerator<TokenizedRecord[]> {
      for await (const rec of parser as AsyncIterable<string[]>) yield [{ fields: rec, line: lineOfRecord.get(rec) ?? parser.info.lines }];
    }
    yield* records(groups(), file, rowStart, opts);
  } catch (e) {
    const line = (e as { lines?: unknown }).lines;
    const row = typeof line === 'number' ? line : undefined;
    const code = (e as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : 'malformed record';
    throw parserFailure(file.display, 'csv-parse', `line ${row ?? '?'}: the CSV does not parse (${why})`, e, row !== undefined ? { row } : {});
  } finally {
    await pump;
  }
}

function drainedOrClosed(parser: ReturnType<typeof parse>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      parser.off('drain', done);
      parser.off('close', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('close', done);
  });
}

/**
 * Records (in the groups the tokenizer yields them) to column batches: the header names the columns,
 * every value is typed as it comes, and a record with the wrong number of fields is reported and
 * skipped. Columns are filled by index, as a CSV's columns are fixed by its header: no per-row map
 * lookups, no object per value, no await per record (3 µs a row before, on flights-3m).
 */
export async function* records(groups: AsyncIterable<TokenizedRecord[]>, file: DataFile, rowStart: number, opts: ReaderOptions, ints?: IntFields): AsyncGenerator<Batch> {
  const batchRows = opts.batchRows ?? 8192;
  const maxBad = opts.maxBadRows ?? 1000;
  let header: string[] | null = null;
  let types: CsvType[] = [];
  let bad = 0;
  let cols: unknown[][] = [];
  let floats: boolean[] = [];
  let n = 0;
  let start = rowStart;
  const flush = (): Batch => {
    const columns: Column[] = header!.map((name, j) => {
      const c: Column & { floatLiteral?: boolean } = { name, values: cols[j]! };
      if (floats[j]) c.floatLiteral = true;
      return c;
    });
    const batch: Batch = { rowStart: start, length: n, columns, file: file.display };
    start += n;
    n = 0;
    cols = header!.map(() => []);
    floats = header!.map(() => false);
    return batch;
  };
  for await (const group of groups) {
    for (const { fields: rec, line } of group) {
      if (!header) {
        // the header is the first record, read before any column was typed: text only
        header = dedupe(rec as string[]);
        types = header.map((h) => (opts.csvInfer === false ? 'string' : (opts.csvTypes?.[h] ?? 'auto')));
        // the tokenizer may hand plain integers over as numbers where typing would make them numbers
        if (ints) ints.cols = types.map((t) => t === 'auto' || t === 'number');
        cols = header.map(() => []);
        floats = header.map(() => false);
        continue;
      }
      if (rec.length !== header.length) {
        if (++bad > maxBad) throw new MlvetError('PARSE_ERROR', `${file.display}: line ${line}: too many bad rows (${bad})`, { path: file.display, row: line });
        opts.onProblem?.({ file: file.display, row: line, message: `expected ${header.length} fields, found ${rec.length}` });
        continue;
      }
      for (let j = 0; j < rec.length; j++) {
        const f = rec[j]!;
        if (typeof f === 'number') {
          cols[j]!.push(f);
          continue;
        }
        const v = typeCsv(f, types[j]!);
        cols[j]!.push(v);
        if (csvFloat.last && Number.isInteger(v)) floats[j] = true;
      }
      if (++n >= batchRows) yield flush();
    }
  }
  if (n > 0) yield flush();
  // a header-only file still has a schema: hand it on as an empty batch
  else if (header && start === rowStart) yield { rowStart, length: 0, file: file.display, columns: header.map((name) => ({ name, values: [] })) };
}

function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}.${k}`;
  });
}
