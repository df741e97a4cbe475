/**
 * ONNX TensorProto facts we can check without reading weights: the element count from `dims`
 * against the bytes `raw_data` or `external_data.length` declares, and against the count of typed
 * values (`float_data`, …). onnxruntime trusts these before copying; a mismatch is a malformed or
 * deliberately inconsistent tensor (out-of-bounds reads in older runtimes).
 */

/** TensorProto.DataType → bits per element (0 = variable: STRING) */
const BITS: Record<number, number> = {
  1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 8: 0, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64, 15: 128,
  16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2, 26: 2,
};

/** elements above this are not a tensor any runtime allocates; report them as oversized */
const MAX_ELEMENTS = 2n ** 48n;

export interface TensorInfo {
  name: string;
  dataType: number;
  dims: bigint[];
  /** raw_data length, when present */
  raw?: number;
  /** number of values in the typed repeated field that carries the data, when present */
  typed?: number;
  /** external_data entries (location, offset, length, checksum) */
  external: Record<string, string>;
  dataLocation: number;
  segmented: boolean;
  /** byte offset of the TensorProto in the file */
  offset: number;
  /** the walk broke inside this tensor: its counts are incomplete and are not judged */
  partial?: boolean;
}

export function elementCount(dims: readonly bigint[]): bigint | string {
  let n = 1n;
  for (const d of dims) {
    if (d < 0n) return `dimension ${d} is negative`;
    n *= d;
    if (n > MAX_ELEMENTS) return `more than 2^48 elements (${dims.join('×')})`;
  }
  return n;
}

export function expectedBytes(dataType: number, elements: bigint): bigint | undefined {
  const bits = BITS[dataType];
  if (!bits) return undefined;
  return (elements * BigInt(bits) + 7n) / 8n;
}

/** A description of what is wrong with the tensor, or undefined. */
export function tensorProblem(t: TensorInfo): string | undefined {
  if (t.segmented || t.partial) return undefined; // segments split one tensor over several protos: counts are partial
  const n = elementCount(t.dims);
  if (typeof n === 'string') return n;
  const want = expectedBytes(t.dataType, n);
  if (t.raw !== undefined && want !== undefined && BigInt(t.raw) !== want) {
    return `raw_data has ${t.raw} bytes, dims ${t.dims.join('×') || 'scalar'} of type ${t.dataType} need ${want}`;
  }
  const len = t.external.length;
  if (len !== undefined && want !== undefined && /^\d+$/.test(len) && BigInt(len) !== want) {
    return `external_data length ${len}, dims ${t.dims.join('×') || 'scalar'} of type ${t.dataType} need ${want}`;
  }
  if (t.raw === undefined && t.typed !== undefined && t.dataType !== 14 && t.dataType !== 15 && BigInt(t.typed) !== n && (BITS[t.dataType] ?? 0) >= 8) {
    return `${t.typed} typed values for ${n} elements`;
  }
  return undefined;
}
