/**
 * Memoized strings by reference. A plain string a payload opcode just decoded (SHORT_BINUNICODE,
 * BINUNICODE, SHORT_BINSTRING, …) is memoized as the offset and length of its bytes in the stream, in
 * typed arrays: 6 bytes per string (8 past 4 GiB) that the garbage collector never walks, instead of a heap string
 * it copies until it is old. A GET decodes it again: from a small cache of recent and frequently read
 * strings, else from the window, else (the bytes have left the window) the machine reads them back.
 * String values are immutable, so a GET hands out the cached value itself, allocating nothing.
 */
import { DirectMap } from './direct.js';
import { decodeLatin1, decodeUtf8 } from './text.js';
import type { Value } from './values.js';
import type { Window } from './window.js';

/** cache slots as strings come in; the cache starts small (a small pickle pays for little) and grows with them */
const CACHE = 4096;
/**
 * cache slots at most: while read-backs outnumber a quarter of the slots the cache grows on (a pickle
 * that keeps reading many old strings, a column of category labels say, then costs heap, not a read each)
 */
const CACHE_MAX = 1 << 18;
/** `lens` holds the length with this bit for latin-1 (STRING family) rather than UTF-8 */
const LATIN1 = 0x8000;

export class MemoStrings {
  /** offsets: the low 32 bits, and the high ones once an offset is past 4 GiB */
  private offs = new Uint32Array(64);
  private offsHi: Uint16Array | undefined;
  private lens = new Uint16Array(64);
  count = 0;
  /** recent and frequently read strings by position; a mark is 1 when the string was read since it was cached or last spared */
  private readonly cache = new DirectMap<Value>(64, CACHE_MAX);
  private readBacks = 0;

  constructor(private readonly win: Window) {}

  /** Store the string value `s` whose bytes are [off, off + len); returns its position. */
  add(s: Value, off: number, len: number, latin1: boolean): number {
    const pos = this.count++;
    if (pos >= this.offs.length) this.grow();
    const cache = this.cache;
    if (pos > cache.mask && cache.mask < CACHE - 1) cache.grow();
    this.offs[pos] = off >>> 0;
    if (off >= 0x100000000 || this.offsHi) (this.offsHi ??= new Uint16Array(this.offs.length))[pos] = Math.floor(off / 0x100000000);
    this.lens[pos] = len | (latin1 ? LATIN1 : 0);
    // second chance: a string GETs keep reading (a dict key) outlasts a run of new ones nobody reads
    const c = pos & cache.mask;
    if (cache.marks[c]) cache.marks[c] = 0;
    else {
      cache.keys[c] = pos;
      cache.vals[c] = s;
    }
    return pos;
  }

  /** The string at `pos` if it is cached or in the window, else undefined (call `read`). */
  get(pos: number): Value | undefined {
    const cache = this.cache;
    const c = pos & cache.mask;
    if (cache.keys[c] === pos) {
      cache.marks[c] = 1;
      return cache.vals[c];
    }
    const win = this.win;
    const i = this.offAt(pos) - win.start;
    const len = this.lens[pos]! & ~LATIN1;
    if (i < 0 || i + len > win.len) return undefined;
    return this.cached(pos, this.decode(pos, win.buf.subarray(i, i + len)));
  }

  /** Read the bytes of the string at `pos` back from the stream. */
  async read(pos: number): Promise<Value> {
    if (++this.readBacks > (this.cache.mask + 1) >> 2 && !this.cache.atMax) {
      this.cache.grow();
      this.readBacks = 0;
    }
    const bytes = await this.win.slice(this.offAt(pos), this.lens[pos]! & ~LATIN1);
    return this.cached(pos, this.decode(pos, bytes));
  }

  private decode(pos: number, b: Uint8Array): string {
    return this.lens[pos]! & LATIN1 ? decodeLatin1(b) : decodeUtf8(b);
  }

  private cached(pos: number, text: string): Value {
    const v: Value = { t: 'str', v: text };
    const cache = this.cache;
    const c = pos & cache.mask;
    cache.keys[c] = pos;
    cache.vals[c] = v;
    cache.marks[c] = 1;
    return v;
  }

  private offAt(pos: number): number {
    return this.offs[pos]! + (this.offsHi ? this.offsHi[pos]! * 0x100000000 : 0);
  }

  /** Half as large again (doubling would leave up to half of a large memo's arrays unused). */
  private grow(): void {
    const n = this.offs.length + (this.offs.length >> 1);
    const offs = new Uint32Array(n);
    offs.set(this.offs);
    this.offs = offs;
    if (this.offsHi) {
      const hi = new Uint16Array(n);
      hi.set(this.offsHi);
      this.offsHi = hi;
    }
    const lens = new Uint16Array(n);
    lens.set(this.lens);
    this.lens = lens;
  }
}
