/**
 * GGUF header, metadata and tensor infos (versions 1–3, either byte order), read the way
 * ggml's gguf.c reads them: every count and length is checked against what the file can hold before
 * anything is allocated. Values we keep are small strings (general.*), chat templates
 * (`tokenizer.chat_template`, `tokenizer.chat_template.<name>`) and the alignment; everything else is
 * skipped by length. Layout problems (misaligned, overlapping or out-of-bounds tensors) are collected,
 * not thrown; unreadable structure throws an MlvetError with the offset.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';
import { HeadCursor } from './cursor.js';
import { GGUF_TYPE, SCALARS } from './ggml.js';
import { checkTensors, type GgufProblem, type GgufTensor } from './layout.js';

export interface GgufLimits {
  /** the header, metadata and tensor infos must end within this many bytes */
  maxHeadBytes: number;
  /** longest chat template kept (longer ones are reported, not analysed) */
  maxTemplateBytes: number;
  deadline: number;
}

export interface GgufHeader {
  version: number;
  littleEndian: boolean;
  kvCount: number;
  tensorCount: number;
  alignment: number;
  dataStart: number;
  /** short string values (≤ 256 bytes) by key, for the report */
  strings: Record<string, string>;
  templates: Array<{ key: string; text: string; offset: number }>;
  oversizedTemplates: Array<{ key: string; bytes: number; offset: number }>;
  tensors: GgufTensor[];
  problems: GgufProblem[];
}

const MAX_KV = 1 << 20;
const MAX_TENSORS = 1 << 20;
const MAX_ARRAY = 1 << 28;
const MAX_KEY = 1 << 16;
const MAX_DEPTH = 4;
const TEMPLATE_KEY = /^tokenizer\.chat_template(\..+)?$/;

type Ctx = { c: HeadCursor; h: GgufHeader; lim: GgufLimits; v1: boolean };

async function count(x: Ctx, what: string): Promise<number> {
  const n = x.v1 ? BigInt(await x.c.u32(what)) : await x.c.u64(what);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new MlvetError('PARSE_ERROR', `${what} ${n} is not a valid count`, { offset: x.c.pos });
  return Number(n);
}

async function strLen(x: Ctx, what: string, max: number): Promise<number> {
  const at = x.c.pos;
  const n = await count(x, `${what} length`);
  if (n > x.c.size - x.c.pos) throw new MlvetError('TRUNCATED', `${what} of ${n} bytes runs past the end of the file`, { offset: at });
  if (n > max) throw new MlvetError('LIMIT_EXCEEDED', `${what} of ${n} bytes is longer than ${max}`, { offset: at });
  return n;
}

async function readString(x: Ctx, what: string, max: number): Promise<string> {
  const n = await strLen(x, what, max);
  return new TextDecoder('utf-8').decode(await x.c.bytes(n, what));
}

async function skipArray(x: Ctx, key: string, depth: number): Promise<void> {
  if (depth > MAX_DEPTH) throw new MlvetError('PARSE_ERROR', `${key}: arrays nested deeper than ${MAX_DEPTH}`, { offset: x.c.pos });
  const at = x.c.pos;
  const type = await x.c.u32(`${key} array type`);
  const n = await count(x, `${key} array length`);
  const sc = SCALARS[type];
  const min = sc ? sc[0] : x.v1 ? 4 : 8;
  if (n > MAX_ARRAY || n * min > x.c.size - x.c.pos) {
    throw new MlvetError(n * min > x.c.size - x.c.pos ? 'PARSE_ERROR' : 'LIMIT_EXCEEDED', `${key}: array of ${n} elements cannot fit in the file`, { offset: at });
  }
  if (sc) return x.c.skip(n * sc[0], `${key} array`);
  for (let i = 0; i < n; i++) {
    if ((i & 0xffff) === 0 && Date.now() > x.lim.deadline) throw new MlvetError('LIMIT_EXCEEDED', 'time budget exhausted in GGUF metadata', { offset: x.c.pos });
    await skipValue(x, key, type, depth + 1);
  }
}

async function skipValue(x: Ctx, key: string, type: number, depth: number): Promise<void> {
  const sc = SCALARS[type];
  if (sc) return x.c.skip(sc[0], key);
  if (type === GGUF_TYPE.STRING) return x.c.skip(await strLen(x, `${key} string`, Number.MAX_SAFE_INTEGER), key);
  if (type === GGUF_TYPE.ARRAY) return skipArray(x, key, depth);
  throw new MlvetError('PARSE_ERROR', `${key}: unknown GGUF value type ${type}`, { offset: x.c.pos - 4 });
}

async function readKv(x: Ctx): Promise<void> {
  const key = await readString(x, 'metadata key', MAX_KEY);
  const typeAt = x.c.pos;
  const type = await x.c.u32(`${key} type`);
  if (type === GGUF_TYPE.STRING) {
    const at = x.c.pos;
    const n = await strLen(x, `${key} value`, Number.MAX_SAFE_INTEGER);
    if (TEMPLATE_KEY.test(key)) {
      if (n > x.lim.maxTemplateBytes) {
        x.h.oversizedTemplates.push({ key, bytes: n, offset: at });
        return x.c.skip(n, key);
      }
      x.h.templates.push({ key, text: new TextDecoder('utf-8').decode(await x.c.bytes(n, key)), offset: at });
    } else if (n <= 256) x.h.strings[key] = new TextDecoder('utf-8').decode(await x.c.bytes(n, key));
    else x.c.skip(n, key);
    return;
  }
  if (key === 'general.alignment') {
    if (type !== GGUF_TYPE.UINT32) x.h.problems.push({ problem: 'bad-alignment', detail: `general.alignment has type ${type}, not uint32`, offset: typeAt });
    else return void (x.h.alignment = await x.c.u32(key));
  }
  await skipValue(x, key, type, 0);
}

async function readTensorInfo(x: Ctx): Promise<GgufTensor> {
  const infoOffset = x.c.pos;
  const name = await readString(x, 'tensor name', MAX_KEY);
  const nDims = await x.c.u32(`${name} n_dims`);
  if (nDims > 8) throw new MlvetError('PARSE_ERROR', `tensor ${name} has ${nDims} dimensions`, { offset: infoOffset });
  const dims: bigint[] = [];
  for (let i = 0; i < nDims; i++) dims.push(x.v1 ? BigInt(await x.c.u32('dim')) : BigInt.asIntN(64, await x.c.u64('dim')));
  const type = await x.c.u32(`${name} type`);
  const offset = await x.c.u64(`${name} offset`);
  return { name, dims, type, offset, infoOffset };
}

/** A count as a number; one above 2^53 is kept as 2^53 - 1 (no file holds that many entries either). */
async function rawCount(x: Ctx, what: string): Promise<[number, bigint]> {
  const n = x.v1 ? BigInt(await x.c.u32(what)) : await x.c.u64(what);
  return [n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n), n];
}

/**
 * The counts, checked against what the file can hold (smallest entries: a KV is key length + type +
 * one byte, a tensor info at least 24 bytes). A count that cannot be true is returned, not thrown:
 * the entries the file does hold are parsed first, so a template before the lie is still judged.
 */
async function readCounts(x: Ctx): Promise<{ kv?: MlvetError; tensors?: MlvetError }> {
  const tAt = x.c.pos;
  const [tensors, tRaw] = await rawCount(x, 'tensor count');
  const kAt = x.c.pos;
  const [kvs, kRaw] = await rawCount(x, 'metadata count');
  x.h.tensorCount = tensors;
  x.h.kvCount = kvs;
  const room = x.c.size - x.c.pos;
  const lie = (n: number, declared: bigint, min: number, max: number, what: string, offset: number): MlvetError | undefined => {
    if (n * min > room) return new MlvetError('PARSE_ERROR', `${what} count ${declared} cannot fit in the file`, { offset });
    return n > max ? new MlvetError('LIMIT_EXCEEDED', `more than ${max} ${what} entries`, { offset }) : undefined;
  };
  const kv = lie(kvs, kRaw, x.v1 ? 9 : 13, MAX_KV, 'metadata', kAt);
  const tensorLie = lie(tensors, tRaw, x.v1 ? 16 : 24, MAX_TENSORS, 'tensor', tAt);
  return { ...(kv ? { kv } : {}), ...(tensorLie ? { tensors: tensorLie } : {}) };
}

/**
 * Read `n` entries one by one. Under a count lie, entries are read until the file (or the cap) runs
 * out and then the lie is thrown, not the read error it caused: the lie is the cause.
 */
async function readEntries(x: Ctx, n: number, max: number, lie: MlvetError | undefined, what: string, one: () => Promise<void>): Promise<void> {
  const upTo = Math.min(n, max);
  for (let i = 0; i < upTo; i++) {
    if ((i & 0xfff) === 0 && Date.now() > x.lim.deadline) throw new MlvetError('LIMIT_EXCEEDED', `time budget exhausted in GGUF ${what}`, { offset: x.c.pos });
    try {
      await one();
    } catch (e) {
      if (lie?.code !== 'PARSE_ERROR') throw e; // a cap that was not reached is not the cause
      throw new MlvetError(lie.code, `${lie.message} (${i} read before the file ran out)`, { ...lie.details }, { cause: e });
    }
  }
  if (lie) throw lie;
}

async function readVersion(c: HeadCursor): Promise<number> {
  const magic = await c.bytes(4, 'magic');
  if (String.fromCharCode(...magic) !== 'GGUF') throw new MlvetError('PARSE_ERROR', 'not a GGUF file', { offset: 0 });
  let v = await c.u32('version');
  if (v > 0xffff && (v & 0xffff) === 0) {
    c.littleEndian = false; // a big-endian file: its version reads byte-swapped
    v = ((v >>> 24) | ((v >>> 8) & 0xff00)) >>> 0;
  }
  if (v < 1 || v > 3) throw new MlvetError('UNSUPPORTED', `GGUF version ${v}`, { offset: 4 });
  return v;
}

export function emptyGgufHeader(): GgufHeader {
  return {
    version: 0, littleEndian: true, kvCount: 0, tensorCount: 0, alignment: 32, dataStart: 0,
    strings: {}, templates: [], oversizedTemplates: [], tensors: [], problems: [],
  };
}

/**
 * Parse into `h` (pass your own to keep what was read before an error: a template found before the
 * file breaks off is still analysed).
 */
export async function readGguf(reader: RandomAccessReader, lim: GgufLimits, h: GgufHeader = emptyGgufHeader()): Promise<GgufHeader> {
  const c = new HeadCursor(reader, lim.maxHeadBytes);
  h.version = await readVersion(c);
  h.littleEndian = c.littleEndian;
  const x: Ctx = { c, h, lim, v1: h.version === 1 };
  const lies = await readCounts(x);
  await readEntries(x, h.kvCount, MAX_KV, lies.kv, 'metadata', () => readKv(x));
  await readEntries(x, h.tensorCount, MAX_TENSORS, lies.tensors, 'tensor infos', async () => void h.tensors.push(await readTensorInfo(x)));
  if (h.alignment === 0 || (h.alignment & (h.alignment - 1)) !== 0) {
    h.problems.push({ problem: 'bad-alignment', detail: `general.alignment ${h.alignment} is not a power of two`, offset: 0 });
    h.alignment = 32;
  }
  h.dataStart = Math.ceil(c.pos / h.alignment) * h.alignment;
  h.problems.push(...checkTensors(h.tensors, h.alignment, h.dataStart, reader.size));
  return h;
}
