/**
 * CSV/TSV reader on csv-parse (streaming, RFC 4180 quoting). The first record is the header.
 * A record with the wrong number of fields is reported with its line and skipped.
 */
import { parse } from 'csv-parse';
import { MlvetError } from '../../errors.js';
import type { Batch, DataFile, ReaderOptions } from '../types.js';
import { RowBatcher } from './batcher.js';
import { fileChunks } from './bytes.js';
import { parserFailure } from './failure.js';
import { tokenizeCsv } from './csv-tokenizer.js';
import { typeCsvValue, type CsvType } from './infer.js';

/** default tokenizer; see bench/validate.bench.mjs for the measurement behind the choice */
export async function* readCsv(file: DataFile, rowStart: number, opts: ReaderOptions): AsyncGenerator<Batch> {
  if (opts.csvParser === 'csv-parse') {
    yield* readCsvWithCsvParse(file, rowStart, opts);
    return;
  }
  const lines = new WeakMap<string[], number>();
  async function* recs(): AsyncGenerator<string[]> {
    for await (const group of tokenizeCsv(fileChunks(file), file.format === 'tsv' ? 9 : 44, file.display)) {
      for (const r of group) {
        lines.set(r.fields, r.line);
        yield r.fields;
      }
    }
  }
  yield* records(recs(), (rec) => lines.get(rec) ?? 0, file, rowStart, opts);
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
    yield* records(parser as AsyncIterable<string[]>, (rec) => lineOfRecord.get(rec) ?? parser.info.lines, file, rowStart, opts);
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

export async function* records(
  recs: AsyncIterable<string[]>,
  lineOf: (rec: string[]) => number,
  file: DataFile,
  rowStart: number,
  opts: ReaderOptions,
): AsyncGenerator<Batch> {
  const batchRows = opts.batchRows ?? 8192;
  const maxBad = opts.maxBadRows ?? 1000;
  const batcher = new RowBatcher(file.display, rowStart);
  let header: string[] | null = null;
  let types: CsvType[] = [];
  let bad = 0;
  const values: unknown[] = [];
  for await (const rec of recs) {
    if (!header) {
      header = dedupe(rec);
      types = header.map((h) => (opts.csvInfer === false ? 'string' : (opts.csvTypes?.[h] ?? 'auto')));
      continue;
    }
    if (rec.length !== header.length) {
      const line = lineOf(rec);
      if (++bad > maxBad) throw new MlvetError('PARSE_ERROR', `${file.display}: line ${line}: too many bad rows (${bad})`, { path: file.display, row: line });
      opts.onProblem?.({ file: file.display, row: line, message: `expected ${header.length} fields, found ${rec.length}` });
      continue;
    }
    values.length = rec.length;
    for (let j = 0; j < rec.length; j++) {
      const t = typeCsvValue(rec[j]!, types[j]!);
      values[j] = t.value;
      if (t.float && Number.isInteger(t.value)) batcher.markFloat(header[j]!);
    }
    batcher.push(header, values);
    if (batcher.size >= batchRows) yield batcher.flush()!;
  }
  const last = batcher.flush();
  if (last) yield last;
  // a header-only file still has a schema: hand it on as an empty batch
  else if (header) yield { rowStart, length: 0, file: file.display, columns: header.map((name) => ({ name, values: [] })) };
}

function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}.${k}`;
  });
}
