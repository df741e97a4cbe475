/**
 * Arrow IPC (file or stream) / Feather v2 reader on apache-arrow, one record batch at a time.
 * Columns are read from the underlying buffers (`data[0].values`, validity bitmap, offsets), not
 * with per-value `.get()`, which is an order of magnitude slower.
 */
import { createReadStream } from 'node:fs';
import { RecordBatchReader, Type, type Data, type RecordBatch } from 'apache-arrow';
import type { Batch, Column, DataFile, Dtype, ReaderOptions } from '../types.js';
import { guarded, parserFailure } from './failure.js';

const utf8 = new TextDecoder();

export async function* readArrow(file: DataFile, rowStart: number, opts: ReaderOptions): AsyncGenerator<Batch> {
  const reader: AsyncIterable<RecordBatch> = await guarded(file.display, 'apache-arrow', 'not a readable Arrow IPC file (the schema message does not decode)', () =>
    RecordBatchReader.from(createReadStream(file.path, { highWaterMark: 1 << 20 })),
  );
  let at = rowStart;
  try {
    for await (const rb of reader) {
      const columns: Column[] = [];
      rb.schema.fields.forEach((f, i) => {
        if (opts.columns && !opts.columns.includes(f.name)) return;
        const data = rb.getChildAt(i)?.data[0];
        if (data) columns.push(toColumn(f.name, data as Data));
      });
      yield { rowStart: at, length: rb.numRows, columns, file: file.display };
      at += rb.numRows;
    }
  } catch (e) {
    throw parserFailure(file.display, 'apache-arrow', `record batch at row ${at + 1} does not decode (truncated or corrupt)`, e, { row: at + 1 });
  }
}

function validity(data: Data): Uint8Array | null {
  if (!data.nullBitmap || data.nullCount === 0) return null;
  const out = new Uint8Array(data.length);
  const bm = data.nullBitmap;
  for (let i = 0; i < data.length; i++) {
    const k = data.offset + i;
    out[i] = (bm[k >> 3]! >> (k & 7)) & 1;
  }
  return out;
}

function toColumn(name: string, data: Data): Column {
  const valid = validity(data);
  const id = data.typeId;
  const n = data.length;
  if (id === Type.Int || id === Type.Float || id === Type.Date || id === Type.Timestamp) {
    const raw = data.values as ArrayLike<number | bigint>;
    const declared: Dtype = id === Type.Float ? 'float64' : id === Type.Int ? 'int64' : 'datetime64[ns]';
    // values are already sliced to this batch's offset by apache-arrow
    if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(raw[i]);
      return { name, values: out, valid, declared, numeric: true };
    }
    return { name, values: raw, valid, declared, numeric: true };
  }
  if (id === Type.Bool) {
    const bits = data.values as Uint8Array;
    const out = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      const k = data.offset + i;
      out[i] = ((bits[k >> 3]! >> (k & 7)) & 1) === 1;
    }
    return { name, values: out, valid, declared: 'bool' };
  }
  if (id === Type.Utf8 || id === Type.LargeUtf8) {
    const offs = data.valueOffsets as ArrayLike<number | bigint>;
    const bytes = data.values as Uint8Array;
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) out[i] = valid && valid[i] === 0 ? null : utf8.decode(bytes.subarray(Number(offs[i]), Number(offs[i + 1])));
    return { name, values: out, valid, declared: 'object' };
  }
  // dictionaries, lists, structs: rare in training tables; fall back to materialising the batch
  const vec = (data as unknown as { toArray?: () => ArrayLike<unknown> }).toArray?.();
  return { name, values: vec ?? new Array<unknown>(n).fill(null), valid, declared: 'object' };
}
