/**
 * safetensors validation, as strict as the reference loader (`safetensors/src/tensor.rs`): header
 * length bound, UTF-8 JSON object, known dtypes, non-negative integer shapes, offsets that tile the
 * data area from 0 without gaps or overlaps, byte lengths equal to shape × dtype size, and a data
 * area that ends exactly at EOF. Every problem is collected; none throws.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { walkKeys, type DuplicateKey } from './keys.js';

export const MAX_HEADER = 100_000_000;
/** a header whose length lies is searched for its JSON in this many bytes (real headers: a few MB) */
const MAX_SALVAGE = 16 << 20;

const BITS: Record<string, number> = {
  BOOL: 8, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, I16: 16, U16: 16, F16: 16, BF16: 16,
  I32: 32, U32: 32, F32: 32, F64: 64, I64: 64, U64: 64, F4: 4, F6_E2M3: 6, F6_E3M2: 6, C64: 64,
};

export interface SafetensorsResult {
  headerLength: number;
  tensors: number;
  dataBytes: number;
  metadata: Record<string, string>;
  problems: Array<{ problem: string; detail: string }>;
  /** keys that appear twice in one object of the header (JSON.parse would hide them) */
  duplicates: DuplicateKey[];
  /** set when the header was not read whole */
  shortfall?: HeaderShortfall;
}

interface Tensor {
  name: string;
  begin: number;
  end: number;
}

function checkTensor(name: string, v: unknown, out: SafetensorsResult['problems']): Tensor | undefined {
  const bad = (problem: string, detail: string): undefined => void out.push({ problem, detail: `${name}: ${detail}` });
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('json-shape', 'entry is not an object');
  const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  const bits = typeof t.dtype === 'string' ? BITS[t.dtype] : undefined;
  if (bits === undefined) return bad('dtype', `unknown dtype ${JSON.stringify(t.dtype)}`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return bad('shape', 'shape is not a list of non-negative integers');
  const off = t.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) return bad('offsets', 'data_offsets is not two non-negative integers');
  const [begin, end] = off as [number, number];
  if (end < begin) return bad('offsets', `end ${end} before begin ${begin}`);
  let count = 1n;
  for (const d of t.shape as number[]) count *= BigInt(d);
  const nbits = count * BigInt(bits);
  if (nbits % 8n !== 0n) return bad('shape', 'tensor does not fill whole bytes');
  if (nbits / 8n !== BigInt(end - begin)) bad('byte-length', `shape needs ${nbits / 8n} bytes, offsets give ${end - begin}`);
  return { name, begin, end };
}

function checkLayout(ts: Tensor[], dataBytes: number, out: SafetensorsResult['problems']): void {
  ts.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const t of ts) {
    if (t.begin < pos) out.push({ problem: 'overlap', detail: `${t.name} starts at ${t.begin}, inside the previous tensor (ends ${pos})` });
    else if (t.begin > pos) out.push({ problem: 'gap', detail: `${t.begin - pos} unreferenced bytes before ${t.name}` });
    pos = Math.max(pos, t.end);
  }
  if (pos !== dataBytes) out.push({ problem: 'size', detail: `tensors end at ${pos} but the data area holds ${dataBytes} bytes` });
}

/**
 * Why the header could not be read whole: its declared length runs past the end of the file, breaks
 * the reference loader's 100,000,000-byte limit (both are problems too), or is more than the caller
 * would read (a budget, not a problem).
 */
export type HeaderShortfall = 'past-eof' | 'over-limit' | 'over-budget';

const decode = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b);

/**
 * A header whose length lies is still read up to the end of its JSON object (within the bytes the
 * file holds and the caller allows), so `__metadata__` and duplicate keys in it are still reported.
 */
async function salvage(r: RandomAccessReader, res: SafetensorsResult, maxRead: number): Promise<void> {
  // lenient decoding: the bytes after the JSON are tensor data, and the walk stops at the JSON's end
  const text = new TextDecoder('utf-8').decode(await r.read(8, Math.max(0, Math.min(r.size - 8, maxRead, MAX_SALVAGE))));
  const walk = walkKeys(text);
  res.duplicates = walk.duplicates;
  if (walk.end === undefined) return;
  try {
    const doc: unknown = JSON.parse(text.slice(0, walk.end));
    const meta = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).__metadata__ : undefined;
    if (typeof meta === 'object' && meta !== null && Object.values(meta).every((x) => typeof x === 'string')) res.metadata = meta as Record<string, string>;
  } catch {
    // not JSON up to its closing brace: the header-size problem already says enough
  }
}

/** `maxRead`: the most header bytes the caller lets us read (a budget below MAX_HEADER). */
export async function validateSafetensors(r: RandomAccessReader, maxRead = MAX_HEADER): Promise<SafetensorsResult> {
  const res: SafetensorsResult = { headerLength: 0, tensors: 0, dataBytes: 0, metadata: {}, problems: [], duplicates: [] };
  const pre = await r.read(0, 8);
  const n = pre.length === 8 ? Number(new DataView(pre.buffer, pre.byteOffset, 8).getBigUint64(0, true)) : -1;
  res.headerLength = n;
  const limit = Math.min(MAX_HEADER, maxRead);
  if (n < 0) return res.problems.push({ problem: 'header-size', detail: `file of ${r.size} bytes ends inside the header length` }), res;
  if (n > MAX_HEADER) res.problems.push({ problem: 'header-size', detail: `header length ${n} exceeds ${MAX_HEADER}` });
  else if (8 + n > r.size) res.problems.push({ problem: 'header-size', detail: `header of ${n} bytes runs past EOF (${r.size})` });
  if (res.problems.length > 0 || n > limit) {
    res.shortfall = 8 + n > r.size ? 'past-eof' : n > MAX_HEADER ? 'over-limit' : 'over-budget';
    await salvage(r, res, limit);
    return res;
  }
  let doc: unknown;
  let text: string;
  try {
    text = decode(await r.read(8, n));
    doc = JSON.parse(text);
  } catch (e) {
    return res.problems.push({ problem: 'json', detail: (e as Error).message }), res;
  }
  res.duplicates = walkKeys(text).duplicates;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return res.problems.push({ problem: 'json-shape', detail: 'header is not a JSON object' }), res;
  const tensors: Tensor[] = [];
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (k === '__metadata__') {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
        res.problems.push({ problem: 'metadata', detail: '__metadata__ is not a string-to-string map' });
      } else res.metadata = v as Record<string, string>;
      continue;
    }
    const t = checkTensor(k, v, res.problems);
    if (t) tensors.push(t);
  }
  res.tensors = tensors.length;
  res.dataBytes = r.size - 8 - n;
  checkLayout(tensors, res.dataBytes, res.problems);
  return res;
}
