/**
 * A bounded raw LZMA1 decoder (what ZIP method 14 holds), written from the LZMA SDK's specification
 * (lzma-specification.txt): range decoder, literal / match / rep decoding. None of our dependencies
 * decodes LZMA1: xz-decompress is xz-embedded, which knows LZMA2 inside .xz only.
 *
 * Bounds: the dictionary is at most 64 MiB and lc+lp at most 12 (the literal tables are then 6 MiB);
 * the window is never larger than the output can be; every loop turn emits at least one byte, so the
 * output budget (the caller's `put` gate) bounds the time too. Bad input throws with the offset.
 */

export const MAX_DICT = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

export interface LzmaProps {
  lc: number;
  lp: number;
  pb: number;
  dictSize: number;
}

export interface LzmaOptions {
  props: LzmaProps;
  /** an end marker ends the stream (ZIP general-purpose bit 1); otherwise `size` does */
  eos: boolean;
  /** the uncompressed size, when known (ZIP's directory); required without an end marker */
  size?: number;
  /** file offset of the stream's first byte, for messages */
  base: number;
  /** output bytes the caller will accept, so the window need not be larger */
  maxOutput: number;
}

/** Properties byte + 4-byte LE dictionary size; a coded refusal for hostile or invalid values. */
export function parseProps(
  b: Uint8Array,
  at: number,
  offset: number,
): LzmaProps | { code: 'PARSE_ERROR' | 'LIMIT_EXCEEDED'; message: string } {
  if (b.length < at + 5)
    return { code: 'PARSE_ERROR', message: `LZMA properties truncated at offset ${offset}` };
  let d = b[at]!;
  if (d >= 9 * 5 * 5)
    return {
      code: 'PARSE_ERROR',
      message: `invalid LZMA properties byte 0x${d.toString(16)} at offset ${offset}`,
    };
  const lc = d % 9;
  d = (d / 9) | 0;
  const lp = d % 5;
  const pb = (d / 5) | 0;
  const dictSize = (b[at + 1]! | (b[at + 2]! << 8) | (b[at + 3]! << 16) | (b[at + 4]! << 24)) >>> 0;
  if (lc + lp > 12)
    return { code: 'LIMIT_EXCEEDED', message: `LZMA lc+lp = ${lc + lp} exceeds 12 at offset ${offset}` };
  if (dictSize > MAX_DICT)
    return {
      code: 'LIMIT_EXCEEDED',
      message: `LZMA dictionary of ${dictSize} bytes exceeds ${MAX_DICT} at offset ${offset + 1}`,
    };
  return { lc, lp, pb, dictSize };
}

const treeSize = (bits: number): number => 1 << bits;

/** Probability tables of one length decoder: choice, choice2, low[16][8], mid[16][8], high[256]. */
const LEN_PROBS = 2 + 16 * 8 * 2 + 256;

/** Decode `input` (the raw stream after the properties), handing output to `put` in chunks. */
export function runLzma(
  input: Uint8Array,
  meter: { consumed: number },
  put: (c: Uint8Array) => void,
  o: LzmaOptions,
): void {
  const { lc, lp, pb } = o.props;
  if (!o.eos && o.size === undefined) throw new Error('LZMA stream without end marker and without a size');
  const cap = Math.min(o.size ?? Infinity, o.maxOutput + 2 * CHUNK + 273);
  const winSize = Math.max(1, Math.min(Math.max(o.props.dictSize, 4096), cap));
  const win = new Uint8Array(winSize);
  const out = new Uint8Array(CHUNK);
  let wpos = 0;
  let opos = 0;
  let total = 0;
  let pos = 0;
  const where = (): string => `offset ${o.base + pos}`;
  const next = (): number => {
    if (pos >= input.length) throw new Error(`LZMA data truncated at ${where()}`);
    return input[pos++]!;
  };

  // range decoder; range and code are kept as non-negative numbers below 2^32
  if (next() !== 0) throw new Error(`LZMA range coder does not start with 0 at offset ${o.base}`);
  let code = 0;
  for (let i = 0; i < 4; i++) code = code * 256 + next();
  let range = 0xffffffff;
  if (code === range) throw new Error(`corrupt LZMA range coder start at offset ${o.base}`);
  const probs = new Uint16Array(0x300 << (lc + lp)).fill(1024);
  const bit = (p: Uint16Array, i: number): number => {
    const v = p[i]!;
    const bound = (range >>> 11) * v;
    let b: number;
    if (code < bound) {
      range = bound;
      p[i] = v + ((2048 - v) >>> 5);
      b = 0;
    } else {
      range -= bound;
      code -= bound;
      p[i] = v - (v >>> 5);
      b = 1;
    }
    if (range < 0x1000000) {
      range *= 256;
      code = code * 256 + next();
    }
    return b;
  };
  const direct = (n: number): number => {
    let r = 0;
    for (let i = 0; i < n; i++) {
      range = Math.floor(range / 2);
      let b = 0;
      if (code >= range) {
        code -= range;
        b = 1;
      }
      r = r * 2 + b;
      if (range < 0x1000000) {
        range *= 256;
        code = code * 256 + next();
      }
    }
    return r;
  };
  const tree = (p: Uint16Array, off: number, bits: number): number => {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) + bit(p, off + m);
    return m - treeSize(bits);
  };
  const reverse = (p: Uint16Array, off: number, bits: number): number => {
    let m = 1;
    let s = 0;
    for (let i = 0; i < bits; i++) {
      const b = bit(p, off + m);
      m = (m << 1) + b;
      s |= b << i;
    }
    return s;
  };

  const ctl = new Uint16Array(12 * 16 * 2 + 12 * 4 + 4 * 64 + 115 + 16 + 2 * LEN_PROBS).fill(1024);
  const IS_MATCH = 0;
  const IS_REP0_LONG = 192;
  const IS_REP = 384;
  const IS_REP_G0 = 396;
  const IS_REP_G1 = 408;
  const IS_REP_G2 = 420;
  const POS_SLOT = 432;
  const SPEC_POS = POS_SLOT + 256;
  const ALIGN = SPEC_POS + 115;
  const LEN = ALIGN + 16;
  const REP_LEN = LEN + LEN_PROBS;
  const length = (base: number, ps: number): number => {
    if (bit(ctl, base) === 0) return tree(ctl, base + 2 + ps * 8, 3);
    if (bit(ctl, base + 1) === 0) return 8 + tree(ctl, base + 2 + 128 + ps * 8, 3);
    return 16 + tree(ctl, base + 2 + 256, 8);
  };

  const emit = (b: number): void => {
    win[wpos++] = b;
    if (wpos === winSize) wpos = 0;
    out[opos++] = b;
    total++;
    if (opos === CHUNK) {
      meter.consumed = pos;
      put(out);
      opos = 0;
    }
  };
  const back = (dist: number): number =>
    win[wpos - dist - 1 < 0 ? wpos - dist - 1 + winSize : wpos - dist - 1]!;

  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;
  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  const limit = o.size ?? Infinity;
  for (;;) {
    if (!o.eos && total >= limit) break;
    const ps = total & pbMask;
    if (bit(ctl, IS_MATCH + (state << 4) + ps) === 0) {
      if (total >= limit) throw new Error(`LZMA output exceeds the declared ${limit} bytes at ${where()}`);
      const prev = total > 0 ? back(0) : 0;
      const base = 0x300 * (((total & lpMask) << lc) + (prev >>> (8 - lc)));
      let s = 1;
      if (state >= 7) {
        let mb = back(rep0);
        while (s < 0x100) {
          const m = (mb >>> 7) & 1;
          mb <<= 1;
          const b = bit(probs, base + ((1 + m) << 8) + s);
          s = (s << 1) | b;
          if (m !== b) break;
        }
      }
      while (s < 0x100) s = (s << 1) | bit(probs, base + s);
      emit(s & 0xff);
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len: number;
    if (bit(ctl, IS_REP + state) === 0) {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(LEN, ps);
      state = state < 7 ? 7 : 10;
      const slot = tree(ctl, POS_SLOT + Math.min(len, 3) * 64, 6);
      if (slot < 4) rep0 = slot;
      else {
        const n = (slot >>> 1) - 1;
        let d = (2 | (slot & 1)) * 2 ** n;
        if (slot < 14) d += reverse(ctl, SPEC_POS + d - slot, n);
        else d += direct(n - 4) * 16 + reverse(ctl, ALIGN, 4);
        rep0 = d;
      }
      if (rep0 === 0xffffffff) {
        if (o.size !== undefined && total !== o.size)
          throw new Error(`LZMA end marker after ${total} of ${o.size} bytes at ${where()}`);
        break;
      }
    } else {
      if (total === 0) throw new Error(`LZMA repeat before any output at ${where()}`);
      if (bit(ctl, IS_REP_G0 + state) === 0) {
        if (bit(ctl, IS_REP0_LONG + (state << 4) + ps) === 0) {
          if (total >= limit)
            throw new Error(`LZMA output exceeds the declared ${limit} bytes at ${where()}`);
          state = state < 7 ? 9 : 11;
          emit(back(rep0));
          continue;
        }
      } else {
        let d: number;
        if (bit(ctl, IS_REP_G1 + state) === 0) d = rep1;
        else {
          if (bit(ctl, IS_REP_G2 + state) === 0) d = rep2;
          else {
            d = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = d;
      }
      len = length(REP_LEN, ps);
      state = state < 7 ? 8 : 11;
    }
    if (rep0 >= total || rep0 >= winSize)
      throw new Error(
        `LZMA distance ${rep0 + 1} beyond the ${Math.min(total, winSize)} bytes decoded at ${where()}`,
      );
    let n = len + 2;
    if (total + n > limit) {
      if (o.eos) throw new Error(`LZMA output exceeds the declared ${limit} bytes at ${where()}`);
      n = limit - total;
    }
    for (; n > 0; n--) emit(back(rep0));
  }
  meter.consumed = pos;
  if (opos > 0) put(out.subarray(0, opos));
}
