/**
 * Does the array body hold exactly shape × itemsize bytes? Computed in BigInt: numpy multiplies the
 * shape in int64 (`multiply.reduce(shape, dtype=int64)`), so `(2^32, 2^32, 2^32)` wraps to 0 elements
 * there, while other readers refuse or read out of bounds: a shape lie is a differential and a
 * denial-of-service lever (`np.load` allocates the element count up front). Nothing here allocates.
 */
import { itemSize } from './dtype.js';
import type { NpyHeader } from './header.js';

/** numpy's element count is an int64 */
const INT64_MAX = 2n ** 63n - 1n;
/** element counts above this are not an array anything allocates (the ONNX checks use the same) */
const MAX_ELEMENTS = 2n ** 48n;

export type NpySizeCheck =
  | { kind: 'pickle' }
  | { kind: 'unknown-dtype' }
  | { kind: 'match'; bytes: bigint }
  | {
      kind: 'mismatch';
      /** the body is shorter than the shape needs, or longer */
      relation: 'short' | 'trailing';
      /** no file can hold it: the element count overflows int64 or passes 2^48 */
      impossible: boolean;
      elements: bigint;
      itemSize: bigint;
      expected: bigint;
      actual: bigint;
    };

export function checkNpySize(h: Pick<NpyHeader, 'descr' | 'dims' | 'structured' | 'objectDtype'>, dataBytes: number): NpySizeCheck {
  if (h.objectDtype) return { kind: 'pickle' }; // the body is a pickle of any length
  const size = itemSize(h.descr, h.structured);
  if (size === undefined) return { kind: 'unknown-dtype' };
  const elements = h.dims.reduce((a, b) => a * b, 1n); // () is a scalar: one element
  const expected = elements * size;
  const actual = BigInt(dataBytes);
  if (expected === actual) return { kind: 'match', bytes: expected };
  return {
    kind: 'mismatch',
    relation: actual < expected ? 'short' : 'trailing',
    impossible: elements > MAX_ELEMENTS || expected > INT64_MAX,
    elements,
    itemSize: size,
    expected,
    actual,
  };
}
