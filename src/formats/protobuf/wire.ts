/**
 * Protobuf wire format, decoded by hand. ONNX models and TensorFlow graphs are protobufs that reach
 * gigabytes (weights inline); protobufjs would hold all of it in memory. These helpers decode field
 * headers from a buffer and hand out byte ranges (offsets, not copies) for payloads, so callers skip
 * `raw_data` / `tensor_content` by length. `walker.ts` applies them to a RandomAccessReader.
 */

export const WT = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

export interface Field {
  no: number;
  wt: number;
  /** varint / fixed values (bigint: int64 fields use the full range) */
  value?: bigint;
  /** absolute offset and length of the payload (LEN) or of the encoded scalar */
  offset: number;
  length: number;
  /** set by the walker on a LEN field whose declared length runs past its message or the file: the
   * length is cut to the bytes there, so what they hold is still read before the walk fails */
  cut?: boolean;
}

/**
 * Decode one varint from a buffer; returns [value, bytesUsed], or undefined when it is incomplete or
 * longer than ten bytes (the wire format's maximum). Numbers below 2^49 take a fast path.
 */
export function varint(b: Uint8Array, at: number): [bigint, number] | undefined {
  let n = 0;
  for (let i = 0; i < 7; i++) {
    const x = b[at + i];
    if (x === undefined) return undefined;
    n += (x & 0x7f) * 2 ** (7 * i);
    if ((x & 0x80) === 0) return [BigInt(n), i + 1];
  }
  let v = BigInt(n);
  for (let i = 7; i < 10; i++) {
    const x = b[at + i];
    if (x === undefined) return undefined;
    v |= BigInt(x & 0x7f) << BigInt(7 * i);
    if ((x & 0x80) === 0) return [BigInt.asUintN(64, v), i + 1];
  }
  return undefined;
}

/**
 * Why no number could be decoded at `at`: the bytes ran out first (`cut`), ten bytes did not end the
 * varint (`overlong`, the wire format's maximum is ten), or it ended but is above 2^53 (`too-big`,
 * for tags and lengths).
 */
export function varintFailure(b: Uint8Array, at: number): 'cut' | 'overlong' | 'too-big' {
  for (let i = 0; i < 10; i++) {
    const x = b[at + i];
    if (x === undefined) return 'cut';
    if ((x & 0x80) === 0) return 'too-big';
  }
  return 'overlong';
}

/** A varint as a JS number, for tags and lengths; undefined when incomplete or above 2^53. */
export function smallVarint(b: Uint8Array, at: number): [number, number] | undefined {
  const v = varint(b, at);
  if (!v || v[0] > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return [Number(v[0]), v[1]];
}

/**
 * Parse one field header + scalar at `at` in an in-memory buffer (base = its absolute offset). A LEN
 * field is returned even if its payload runs past the buffer: callers compare offset + length.
 */
export function fieldAt(b: Uint8Array, at: number, base = 0): [Field, number] | undefined {
  const tag = smallVarint(b, at);
  if (!tag) return undefined;
  const no = Math.floor(tag[0] / 8);
  const wt = tag[0] % 8;
  if (no === 0 || no > 536_870_911) return undefined;
  let p = at + tag[1];
  if (wt === WT.VARINT) {
    const v = varint(b, p);
    if (!v) return undefined;
    return [{ no, wt, value: v[0], offset: base + p, length: v[1] }, p + v[1]];
  }
  if (wt === WT.I64 || wt === WT.I32) {
    const len = wt === WT.I64 ? 8 : 4;
    if (p + len > b.length) return undefined;
    let v = 0n;
    for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[p + i]!);
    return [{ no, wt, value: v, offset: base + p, length: len }, p + len];
  }
  if (wt === WT.LEN) {
    const l = smallVarint(b, p);
    if (!l) return undefined;
    p += l[1];
    return [{ no, wt, offset: base + p, length: l[0] }, p + l[0]];
  }
  return undefined; // groups (3, 4) are not used by ONNX or TensorFlow; 6 and 7 do not exist
}

/** Iterate the fields of an in-memory message. Returns false at the first malformed or overlong field. */
export function* fields(b: Uint8Array, base = 0): Generator<Field, boolean> {
  let p = 0;
  while (p < b.length) {
    const f = fieldAt(b, p, base);
    if (!f || f[1] > b.length) return false;
    yield f[0];
    p = f[1];
  }
  return true;
}

export function str(b: Uint8Array, f: Field, base = 0): string {
  return new TextDecoder('utf-8').decode(b.subarray(f.offset - base, f.offset - base + f.length));
}

/** Signed view of an int64 varint (protobuf int64 is two's complement in 64 bits). */
export const int64 = (v: bigint | undefined): bigint => BigInt.asIntN(64, v ?? 0n);
