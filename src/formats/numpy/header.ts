/**
 * The .npy header (NEP 1): magic `\x93NUMPY`, version, a little-endian header length (u16 for 1.0,
 * u32 for 2.0/3.0), then a Python dict literal with `descr`, `fortran_order` and `shape`. We read the
 * literal with regular expressions, never by evaluating it. An object dtype (`O` anywhere in descr)
 * means the array body is a pickle that `np.load(allow_pickle=True)` unpickles.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';

export interface NpyHeader {
  version: string;
  descr: string;
  fortranOrder: boolean;
  /** dims as numbers, for reports (precision is lost above 2^53: `dims` is exact) */
  shape: number[];
  dims: bigint[];
  /** descr is a list of fields rather than one typestr */
  structured: boolean;
  /** true when any field of the dtype is Python objects */
  objectDtype: boolean;
  dataOffset: number;
}

const MAX_HEADER = 1 << 20;
/** numpy 2's NPY_MAXDIMS */
const MAX_DIMS = 64;

function parseShape(text: string, offset: number): bigint[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length > MAX_DIMS) throw new MlvetError('PARSE_ERROR', `.npy shape has ${parts.length} dimensions (numpy allows ${MAX_DIMS})`, { offset });
  return parts.map((p) => {
    // a Python int literal; 30 digits is already far past any int64 dimension
    if (!/^\d{1,30}L?$/.test(p)) throw new MlvetError('PARSE_ERROR', `.npy shape entry ${JSON.stringify(p.slice(0, 40))} is not a non-negative integer`, { offset });
    return BigInt(p.replace(/L$/, ''));
  });
}

export async function readNpyHeader(r: RandomAccessReader): Promise<NpyHeader> {
  const pre = await r.read(0, 12);
  if (pre.length < 10) throw new MlvetError('TRUNCATED', '.npy file ends inside its preamble', { offset: pre.length });
  const major = pre[6]!;
  const wide = major >= 2;
  if (wide && pre.length < 12) throw new MlvetError('TRUNCATED', '.npy file ends inside its preamble', { offset: pre.length });
  const hlen = wide ? pre[8]! | (pre[9]! << 8) | (pre[10]! << 16) | (pre[11]! * 0x1000000) : pre[8]! | (pre[9]! << 8);
  const start = wide ? 12 : 10;
  if (hlen > MAX_HEADER) throw new MlvetError('LIMIT_EXCEEDED', `.npy header of ${hlen} bytes`, { offset: 8 });
  const raw = await r.read(start, hlen);
  if (raw.length < hlen) throw new MlvetError('TRUNCATED', '.npy header runs past the end of the file', { offset: start });
  const text = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(raw);
  const descr = /'descr'\s*:\s*('([^']*)'|\[[\s\S]*\])\s*,\s*'fortran_order'/.exec(text) ?? /'descr'\s*:\s*('([^']*)'|\[[\s\S]*?\])/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !shape) throw new MlvetError('PARSE_ERROR', '.npy header lacks descr or shape', { offset: start });
  const d = descr[2] ?? descr[1]!;
  const dims = parseShape(shape[1]!, start);
  return {
    version: `${major}.${pre[7]}`,
    descr: d,
    fortranOrder: /'fortran_order'\s*:\s*True/.test(text),
    shape: dims.map(Number),
    dims,
    structured: descr[2] === undefined,
    objectDtype: descr[2] !== undefined ? /^[|<>=]?O\d*$/.test(d) : /'[|<>=]?O\d*'/.test(d),
    dataOffset: start + hlen,
  };
}
