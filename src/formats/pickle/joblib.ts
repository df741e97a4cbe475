/**
 * joblib's NumpyArrayWrapper: after its BUILD, joblib's unpickler reads the array bytes (or, for an
 * object array, a whole embedded pickle) directly from the stream. We need the byte count to step
 * over them, computed from the wrapper's state: shape × dtype itemsize.
 */
import type { Value } from './values.js';

export interface JoblibLayout {
  nbytes: number;
  objectArray: boolean;
  /** joblib ≥ 1.2 writes a pad-length byte and padding before the data */
  aligned: boolean;
}

const WRAPPERS = new Set([
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
]);

type CallV = Extract<Value, { t: 'call' }>;

export function joblibArrayLayout(inst: CallV, state: Value): JoblibLayout | undefined {
  const fn = inst.fn;
  if (fn.t !== 'global' || !WRAPPERS.has(`${fn.g.module}.${fn.g.name}`)) return undefined;
  if (state.t !== 'dict') return undefined;
  const get = (k: string): Value | undefined => {
    for (let i = 0; i + 1 < state.items.length; i += 2) {
      const key = state.items[i];
      if (key?.t === 'str' && key.v === k) return state.items[i + 1];
    }
    return undefined;
  };
  const shape = get('shape');
  const dtype = get('dtype');
  if (!shape || !dtype) return undefined;
  const aligned = get('numpy_array_alignment_bytes') !== undefined;
  const itemsize = dtypeItemsize(dtype);
  if (itemsize === 'object') return { nbytes: 0, objectArray: true, aligned: false };
  let count = 1;
  if (shape.t !== 'tuple' || shape.items.length !== shape.n) return undefined;
  for (const d of shape.items) {
    if (d.t !== 'int') return undefined;
    count *= Number(d.v);
  }
  if (itemsize === undefined || !Number.isFinite(count) || count < 0) return undefined;
  return { nbytes: count * itemsize, objectArray: false, aligned };
}

/** Item size of a pickled `numpy.dtype(str, align, copy)` call (+ BUILD state). */
function dtypeItemsize(v: Value): number | 'object' | undefined {
  if (v.t !== 'call') return undefined;
  const spec = v.args[0];
  if (spec?.t !== 'str') return undefined;
  const m = /^[<>|=]?([a-zA-Z])(\d*)$/.exec(spec.v);
  if (!m) return undefined;
  const kind = m[1]!;
  if (kind === 'O') return 'object';
  // numpy's dtype state tuple: (version, byteorder, subarray, names, fields, elsize, alignment, flags)
  const st = v.state;
  if (st?.t === 'tuple' && st.items.length >= 6) {
    const el = st.items[5];
    if (el?.t === 'int' && Number(el.v) > 0) return Number(el.v);
  }
  const num = m[2] ? Number(m[2]) : undefined;
  if (kind === 'U') return num === undefined ? undefined : num * 4;
  if (kind === '?' || kind === 'b' && num === undefined) return 1;
  return num;
}
