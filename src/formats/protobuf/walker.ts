/**
 * A bounded streaming walker over a protobuf message that lives in a RandomAccessReader. Field headers
 * are decoded from a forward read window (1 MiB reads, so a remote source sees few range requests and
 * a local one few syscalls); payloads the caller does not descend into are skipped by length and never
 * read. Every walk counts fields against a budget and checks the deadline.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';
import { fieldAt, smallVarint, varint, varintFailure, WT, type Field } from './wire.js';

export interface WalkLimits {
  /** fields visited in total, all messages together */
  maxFields: number;
  /** largest payload copied out (strings, small messages) */
  maxBytes: number;
  /** nested message depth (subgraphs in attributes, functions) */
  maxDepth: number;
  deadline: number;
}

const WINDOW = 1 << 20;
const SKIP_WINDOW = 64 << 10;
const HEADER_MAX = 16; // tag (≤ 5 bytes) + length (≤ 10 bytes)

export class ProtoWalker {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  private visited = 0;

  constructor(
    readonly reader: RandomAccessReader,
    readonly limits: WalkLimits,
  ) {}

  get fieldsVisited(): number {
    return this.visited;
  }

  /** Bytes [offset, offset + len) through the window; a view, valid until the next call. */
  async view(offset: number, len: number): Promise<Uint8Array> {
    const end = Math.min(offset + len, this.reader.size);
    if (offset >= this.bufStart && end <= this.bufStart + this.buf.length) {
      return this.buf.subarray(offset - this.bufStart, end - this.bufStart);
    }
    // sequential reads grow to WINDOW; after a skip over a payload, start small (the next tensor's
    // header is a few bytes, its raw_data may be megabytes we never want)
    const chunk = offset === this.bufStart + this.buf.length ? WINDOW : SKIP_WINDOW;
    this.buf = await this.reader.read(offset, Math.min(Math.max(len, chunk), this.reader.size - offset));
    this.bufStart = offset;
    return this.buf.subarray(0, Math.min(len, this.buf.length));
  }

  /**
   * The fields of the message in [start, end). Throws TRUNCATED when a field runs past the end of the
   * file, PARSE_ERROR when it runs past its enclosing message or cannot be decoded. A LEN field that
   * runs past is first yielded cut to the bytes there (`cut: true`) and the walk throws on the next
   * step, so callers must not leave the loop early (none does: `break` would swallow the error).
   */
  async *fields(start: number, end: number): AsyncGenerator<Field> {
    let p = start;
    while (p < end) {
      if (++this.visited > this.limits.maxFields) throw new MlvetError('LIMIT_EXCEEDED', `more than ${this.limits.maxFields} protobuf fields`, { offset: p });
      if ((this.visited & 0xfff) === 0 && Date.now() > this.limits.deadline) throw new MlvetError('LIMIT_EXCEEDED', 'time budget exhausted', { offset: p });
      const head = await this.view(p, Math.min(HEADER_MAX, end - p));
      const f = fieldAt(head, 0, p);
      if (!f) throw this.malformed(p, end, head);
      const [field, used] = f;
      const next = field.wt === WT.LEN ? field.offset + field.length : p + used;
      if (next > end) {
        const code = next > this.reader.size ? 'TRUNCATED' : 'PARSE_ERROR';
        const err = new MlvetError(code, `protobuf field ${field.no} (${field.length} bytes) runs past the end of its ${code === 'TRUNCATED' ? 'file' : 'message'}`, { offset: p });
        // a length that lies must not hide what the bytes before the end hold: hand them out first
        if (field.wt === WT.LEN && field.offset < end) yield { ...field, length: end - field.offset, cut: true };
        throw err;
      }
      yield field;
      p = next;
    }
  }

  /**
   * Why no field header could be decoded at p. TRUNCATED only when a varint is cut by the end of the
   * file; an invalid tag, an eleven-byte varint or a length above 2^53 is a parse error.
   */
  private malformed(p: number, end: number, head: Uint8Array): MlvetError {
    const fail = (at: number, what: string): MlvetError => {
      const why = varintFailure(head, at);
      const cut = why === 'cut' && end >= this.reader.size && p + head.length >= this.reader.size;
      const text = why === 'cut' ? 'is cut short' : why === 'overlong' ? 'is longer than ten bytes' : 'is larger than 2^53';
      return new MlvetError(cut ? 'TRUNCATED' : 'PARSE_ERROR', `protobuf ${what} ${why === 'cut' && !cut ? 'runs past its message' : text}`, { offset: p });
    };
    const tag = smallVarint(head, 0);
    if (!tag) return fail(0, 'tag');
    if (tag[0] < 8 || tag[0] >= 2 ** 32 || [3, 4, 6, 7].includes(tag[0] % 8)) return new MlvetError('PARSE_ERROR', `invalid protobuf tag ${tag[0]}`, { offset: p });
    const wt = tag[0] % 8;
    if (wt === WT.VARINT || wt === WT.LEN) return fail(tag[1], wt === WT.LEN ? `field ${tag[0] >> 3} length` : `field ${tag[0] >> 3} value`);
    const cut = end >= this.reader.size && p + head.length >= this.reader.size;
    return new MlvetError(cut ? 'TRUNCATED' : 'PARSE_ERROR', `protobuf fixed-size field ${tag[0] >> 3} is cut short`, { offset: p });
  }

  /** A LEN payload copied out, at most `max` bytes (default limits.maxBytes). */
  async bytes(f: Field, max = this.limits.maxBytes): Promise<Uint8Array> {
    const n = Math.min(f.length, max);
    return (await this.reader.read(f.offset, n)).slice();
  }

  async string(f: Field, max = 4096): Promise<string> {
    return new TextDecoder('utf-8').decode(f.length <= WINDOW ? (await this.view(f.offset, Math.min(f.length, max))).slice() : await this.bytes(f, max));
  }

  /** Repeated varints: packed (one LEN field) or one value per field. At most `max` values. */
  async varints(f: Field, max: number): Promise<bigint[]> {
    if (f.wt === WT.VARINT) return [f.value ?? 0n];
    if (f.wt !== WT.LEN) return [];
    const b = await this.bytes(f, Math.min(f.length, max * 10));
    const out: bigint[] = [];
    for (let p = 0; p < b.length && out.length < max; ) {
      const v = varint(b, p);
      if (!v) break;
      out.push(v[0]);
      p += v[1];
    }
    return out;
  }
}
