/**
 * A forward cursor over the head of a large file: reads grow in 1 MiB steps as the parser needs
 * them, never past `maxBytes` (the GGUF header and metadata sit in the first megabytes; tensor data
 * is never read). Little- and big-endian.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';

const STEP = 1 << 20;

export class HeadCursor {
  pos = 0;
  littleEndian = true;
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  private dv: DataView = new DataView(new ArrayBuffer(0));

  constructor(
    readonly reader: RandomAccessReader,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.reader.size;
  }

  /** Make n bytes at pos addressable (through `at()`); throws TRUNCATED / LIMIT_EXCEEDED. */
  async need(n: number, what: string): Promise<void> {
    const end = this.pos + n;
    if (end > this.reader.size) throw new MlvetError('TRUNCATED', `${what} runs past the end of the file`, { offset: this.pos });
    if (end > this.maxBytes) throw new MlvetError('LIMIT_EXCEEDED', `${what} lies beyond the first ${this.maxBytes} bytes read for metadata`, { offset: this.pos });
    if (this.pos >= this.bufStart && end <= this.bufStart + this.buf.length) return;
    const len = Math.min(Math.max(n, STEP), this.reader.size - this.pos);
    this.buf = await this.reader.read(this.pos, len);
    this.bufStart = this.pos;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  private at(n: number): number {
    const o = this.pos - this.bufStart;
    this.pos += n;
    return o;
  }

  async u8(what: string): Promise<number> {
    await this.need(1, what);
    return this.dv.getUint8(this.at(1));
  }
  async u32(what: string): Promise<number> {
    await this.need(4, what);
    return this.dv.getUint32(this.at(4), this.littleEndian);
  }
  async u64(what: string): Promise<bigint> {
    await this.need(8, what);
    return this.dv.getBigUint64(this.at(8), this.littleEndian);
  }
  async scalar(size: number, kind: 'u' | 'i' | 'f', what: string): Promise<number | bigint> {
    await this.need(size, what);
    const o = this.at(size);
    const le = this.littleEndian;
    if (kind === 'f') return size === 4 ? this.dv.getFloat32(o, le) : this.dv.getFloat64(o, le);
    if (size === 1) return kind === 'u' ? this.dv.getUint8(o) : this.dv.getInt8(o);
    if (size === 2) return kind === 'u' ? this.dv.getUint16(o, le) : this.dv.getInt16(o, le);
    if (size === 4) return kind === 'u' ? this.dv.getUint32(o, le) : this.dv.getInt32(o, le);
    return kind === 'u' ? this.dv.getBigUint64(o, le) : this.dv.getBigInt64(o, le);
  }

  /** Bytes at pos, copied (only for strings we keep). */
  async bytes(n: number, what: string): Promise<Uint8Array> {
    await this.need(n, what);
    const o = this.at(n);
    return this.buf.slice(o, o + n);
  }

  /** Move forward without reading (a skipped value); still bounded by the file and the cap. */
  skip(n: number, what: string): void {
    const end = this.pos + n;
    if (end > this.reader.size) throw new MlvetError('TRUNCATED', `${what} runs past the end of the file`, { offset: this.pos });
    if (end > this.maxBytes) throw new MlvetError('LIMIT_EXCEEDED', `${what} lies beyond the first ${this.maxBytes} bytes read for metadata`, { offset: this.pos });
    this.pos = end;
  }
}
