/**
 * GGUF value types and ggml tensor types (block size, bytes per block), from gguf.h / ggml.h in
 * ggml-org/ggml. Removed types (4, 5, 31–33, 36–38) are unknown on purpose: llama.cpp rejects them.
 */

export const GGUF_TYPE = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7,
  STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;

/** fixed-size value types: [bytes, kind] */
export const SCALARS: Record<number, [number, 'u' | 'i' | 'f']> = {
  0: [1, 'u'], 1: [1, 'i'], 2: [2, 'u'], 3: [2, 'i'], 4: [4, 'u'], 5: [4, 'i'], 6: [4, 'f'], 7: [1, 'u'],
  10: [8, 'u'], 11: [8, 'i'], 12: [8, 'f'],
};

/** ggml_type → [elements per block, bytes per block] */
export const GGML_TYPES: Record<number, [number, number, string]> = {
  0: [1, 4, 'F32'], 1: [1, 2, 'F16'], 2: [32, 18, 'Q4_0'], 3: [32, 20, 'Q4_1'], 6: [32, 22, 'Q5_0'],
  7: [32, 24, 'Q5_1'], 8: [32, 34, 'Q8_0'], 9: [32, 36, 'Q8_1'], 10: [256, 84, 'Q2_K'], 11: [256, 110, 'Q3_K'],
  12: [256, 144, 'Q4_K'], 13: [256, 176, 'Q5_K'], 14: [256, 210, 'Q6_K'], 15: [256, 292, 'Q8_K'],
  16: [256, 66, 'IQ2_XXS'], 17: [256, 74, 'IQ2_XS'], 18: [256, 98, 'IQ3_XXS'], 19: [256, 50, 'IQ1_S'],
  20: [32, 18, 'IQ4_NL'], 21: [256, 110, 'IQ3_S'], 22: [256, 82, 'IQ2_S'], 23: [256, 136, 'IQ4_XS'],
  24: [1, 1, 'I8'], 25: [1, 2, 'I16'], 26: [1, 4, 'I32'], 27: [1, 8, 'I64'], 28: [1, 8, 'F64'],
  29: [256, 56, 'IQ1_M'], 30: [1, 2, 'BF16'], 34: [256, 54, 'TQ1_0'], 35: [256, 66, 'TQ2_0'], 39: [32, 17, 'MXFP4'],
};

/** bytes a tensor of this type and shape occupies, or undefined for an unknown type / partial block */
export function tensorBytes(type: number, dims: readonly bigint[]): bigint | undefined {
  const t = GGML_TYPES[type];
  if (!t) return undefined;
  const n = dims.reduce((a, b) => a * b, 1n);
  const [blck, size] = t;
  if ((dims[0] ?? 1n) % BigInt(blck) !== 0n) return undefined;
  return (n / BigInt(blck)) * BigInt(size);
}
