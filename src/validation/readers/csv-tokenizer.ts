/**
 * A Buffer-level CSV/TSV tokenizer (RFC 4180: quoted fields, doubled quotes, newlines inside
 * quotes, CRLF). It exists because csv-parse, a Transform stream emitting one object per record,
 * was the validate bottleneck (bench/validate.bench.mjs measures both in the same run). Unquoted
 * fields are sliced straight out of the buffer with `latin1`-free utf8 decoding; only quoted
 * fields are rebuilt. Records carry their starting line for error messages.
 */
import { MlvetError } from '../../errors.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface TokenizedRecord {
  /** a field's text, or its value where `ints` allowed it and the field is a plain integer */
  fields: Array<string | number>;
  line: number;
}

/**
 * Fields the reader would type as integers anyway can be handed over as numbers: `cols[k]` true says
 * column k is typed by value (the reader sets it once it has read the header). An unquoted field of an
 * optional sign and 1–15 digits is then its number, as `Number(text)` gives it, with no string made
 * for it: on a numeric CSV most of the garbage was such strings.
 */
export interface IntFields {
  cols: boolean[];
}

export async function* tokenizeCsv(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, delimiter: number, display: string, maxRecordBytes = 64 * 1024 * 1024, ints?: IntFields): AsyncGenerator<TokenizedRecord[]> {
  let carry: Buffer | null = null;
  // chunks without a CR or LF cannot end the unfinished record: held apart, joined once (a long record
  // otherwise costs one concat and one rescan per chunk, quadratic up to the limit)
  let held: Buffer[] = [];
  let heldBytes = 0;
  let line = 1;
  let first = true;
  /** every complete record of buf, in groups; returns where the unfinished tail starts */
  function* groups(buf: Buffer, final: boolean): Generator<TokenizedRecord[], number> {
    let pos = 0;
    for (;;) {
      const out: TokenizedRecord[] = [];
      const used = scan(buf, pos, delimiter, out, line, final, ints?.cols);
      line = used.line;
      pos = used.end;
      if (out.length) yield out;
      if (!used.full) return pos;
    }
  }
  for await (let buf of chunks) {
    if (carry && !first && buf.indexOf(LF) < 0 && buf.indexOf(CR) < 0) {
      held.push(buf);
      heldBytes += buf.length;
      if (carry.length + heldBytes > maxRecordBytes) throw new MlvetError('LIMIT_EXCEEDED', `${display}: line ${line}: a record is longer than ${maxRecordBytes} bytes`, { path: display, row: line });
      continue;
    }
    if (carry) buf = Buffer.concat([carry, ...held, buf]);
    held = [];
    heldBytes = 0;
    if (first && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    first = false;
    const pos = yield* groups(buf, false);
    carry = pos < buf.length ? buf.subarray(pos) : null;
    if (carry && carry.length > maxRecordBytes) throw new MlvetError('LIMIT_EXCEEDED', `${display}: line ${line}: a record is longer than ${maxRecordBytes} bytes`, { path: display, row: line });
  }
  if (held.length) carry = Buffer.concat([carry!, ...held]);
  if (carry && carry.length) {
    const pos = yield* groups(carry, true);
    if (pos < carry.length) throw new MlvetError('PARSE_ERROR', `${display}: line ${line}: unterminated quoted field`, { path: display, row: line });
  }
}

/**
 * Records per group handed on: the reader types a group into columns before the next is tokenized, so
 * few records are alive at once (a whole 1 MiB chunk's, ~30,000, made every scavenge copy them).
 */
const GROUP_RECORDS = 512;

/**
 * Tokenize complete records in buf from `from`, at most GROUP_RECORDS of them; returns where it stopped,
 * and `full` when it stopped at that count (an unfinished tail, or the end, is not full).
 */
function scan(buf: Buffer, from: number, delim: number, out: TokenizedRecord[], line: number, final: boolean, ints?: boolean[]): { end: number; line: number; full: boolean } {
  const n = buf.length;
  let i = from;
  let recStart = from;
  while (i < n) {
    if (out.length >= GROUP_RECORDS) return { end: i, line, full: true };
    recStart = i;
    const startLine = line;
    const fields: Array<string | number> = [];
    let complete = false;
    for (;;) {
      if (i < n && buf[i] === QUOTE) {
        // quoted field: find the closing quote, unescaping doubled quotes
        let j = i + 1;
        let parts: string[] | null = null;
        let segStart = j;
        let closed = false;
        while (j < n) {
          const c = buf[j]!;
          if (c === QUOTE) {
            if (buf[j + 1] === QUOTE) {
              (parts ??= []).push(buf.toString('utf8', segStart, j + 1));
              j += 2;
              segStart = j;
              continue;
            }
            if (j + 1 >= n && !final) break;
            closed = true;
            break;
          }
          if (c === LF) line++;
          j++;
        }
        if (!closed) return { end: recStart, line: startLine, full: false };
        const tail = buf.toString('utf8', segStart, j);
        fields.push(parts ? parts.join('') + tail : tail);
        i = j + 1;
      } else {
        let j = i;
        while (j < n) {
          const c = buf[j]!;
          if (c === delim || c === LF || c === CR) break;
          j++;
        }
        if (j >= n && !final) return { end: recStart, line: startLine, full: false };
        const v = ints !== undefined && ints[fields.length] === true ? plainInt(buf, i, j) : undefined;
        fields.push(v ?? buf.toString('utf8', i, j));
        i = j;
      }
      if (i >= n) {
        if (!final) return { end: recStart, line: startLine, full: false };
        complete = true;
        break;
      }
      const c = buf[i]!;
      if (c === delim) {
        i++;
        continue;
      }
      if (c === CR) i++;
      if (buf[i] === LF) i++;
      line++;
      complete = true;
      break;
    }
    // blank lines are skipped, as csv-parse's skip_empty_lines does
    if (complete && !(fields.length === 1 && fields[0] === '')) out.push({ fields, line: startLine });
  }
  return { end: n, line, full: false };
}

/** buf[i, j) as an optional sign and 1–15 ASCII digits: its value (exact: below 2^53), else undefined */
function plainInt(buf: Buffer, i: number, j: number): number | undefined {
  let p = i;
  const c0 = buf[p];
  const neg = c0 === 0x2d;
  if (neg || c0 === 0x2b) p++;
  if (p >= j || j - p > 15) return undefined;
  let v = 0;
  for (; p < j; p++) {
    const d = buf[p]! - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}
