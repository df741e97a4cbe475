/**
 * Realistic multi-GB model files as sparse files: real layouts, tensor bytes mostly holes.
 * - `writeTorchCheckpoint`: torch.save's zip of a TinyLlama-1.1B state dict (201 fp16 tensors,
 *   2.2 GB): `archive/data.pkl` (an OrderedDict of `_rebuild_tensor_v2` calls on persistent storage
 *   ids, as torch.save writes it), `byteorder`, `data/0..200` aligned to 64 bytes by an extra field,
 *   `version`, `.data/serialization_id`. Each storage gets fp16 noise at both ends; the rest is a hole,
 *   and its CRC is computed without reading the hole (crcZeros). `evil` adds a posix.system call.
 * - `writeSafetensors`: one file of many F16 tensors; `shardedSafetensors` splits a model into shards.
 * Used by test/sources/byte-budget.test.ts and bench/remote.bench.mjs.
 */
import { closeSync, openSync, readFileSync, renameSync, statSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { asm, P } from '../helpers/pickle-asm.js';
import { prng } from '../helpers/prng.js';
import type { S3Server } from './helpers.js';

export interface Tensor {
  name: string;
  shape: number[];
}

export interface LlamaShape {
  layers: number;
  hidden: number;
  ffn: number;
  /** key/value width (grouped-query attention) */
  kv: number;
  vocab: number;
  /** q/k/v biases (Qwen2-style) */
  bias?: boolean;
  /** a saved rotary `inv_freq` buffer */
  rotary?: boolean;
}

/** A LlamaForCausalLM state dict, in the order transformers saves it. */
export function llamaLike(o: LlamaShape): Tensor[] {
  const { hidden: h, ffn: f, kv, vocab } = o;
  const out: Tensor[] = [{ name: 'model.embed_tokens.weight', shape: [vocab, h] }];
  for (let i = 0; i < o.layers; i++) {
    const l = `model.layers.${i}`;
    for (const [p, rows] of [['q', h], ['k', kv], ['v', kv]] as const) {
      out.push({ name: `${l}.self_attn.${p}_proj.weight`, shape: [rows, h] });
      if (o.bias) out.push({ name: `${l}.self_attn.${p}_proj.bias`, shape: [rows] });
    }
    out.push(
      { name: `${l}.self_attn.o_proj.weight`, shape: [h, h] },
      { name: `${l}.mlp.gate_proj.weight`, shape: [f, h] },
      { name: `${l}.mlp.up_proj.weight`, shape: [f, h] },
      { name: `${l}.mlp.down_proj.weight`, shape: [h, f] },
      { name: `${l}.input_layernorm.weight`, shape: [h] },
      { name: `${l}.post_attention_layernorm.weight`, shape: [h] },
    );
  }
  if (o.rotary) out.push({ name: 'model.rotary_emb.inv_freq', shape: [64] });
  out.push({ name: 'model.norm.weight', shape: [h] }, { name: 'lm_head.weight', shape: [vocab, h] });
  return out;
}

/** TinyLlama-1.1B: 22 layers, 201 tensors, 2.2 GB in fp16; `scale` divides every width. */
export const tinyLlama = (scale = 1): Tensor[] => llamaLike({ layers: 22, hidden: 2048 / scale, ffn: 5632 / scale, kv: 256 / scale, vocab: 32000 / scale });

/** 32 layers with q/k/v biases: 388 tensors, 2.1 GB in fp16 (the safetensors case). */
export const biasedLlama = (): Tensor[] => llamaLike({ layers: 32, hidden: 2048, ffn: 3200, kv: 256, vocab: 32000, bias: true, rotary: true });

export const numel = (t: Tensor): number => t.shape.reduce((a, b) => a * b, 1);
const tuple = (xs: number[]): number[] => [...P.MARK, ...xs.flatMap((x) => P.binint(x)), 0x74];

/** torch.save's data.pkl for a state dict of fp16 tensors, storage keys '0', '1', … */
export function statePickle(tensors: Tensor[], evil = false): Uint8Array {
  const od = [...P.global('collections', 'OrderedDict'), 0x29, 0x52]; // EMPTY_TUPLE, REDUCE
  const items = tensors.flatMap((t, i) => {
    const stride = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    const storage = [...P.MARK, ...P.binunicode('storage'), ...P.global('torch', 'HalfStorage'), ...P.binunicode(String(i)), ...P.binunicode('cpu'), ...P.binint(numel(t)), 0x74, 0x51];
    const args = [...P.MARK, ...storage, ...P.binint(0), ...tuple(t.shape), ...tuple(stride), 0x89, ...od, 0x74]; // NEWFALSE
    return [...P.binunicode(t.name), ...P.global('torch._utils', '_rebuild_tensor_v2'), ...args, 0x52];
  });
  const payload = evil ? [...P.binunicode('_metadata'), ...P.global('posix', 'system'), ...P.binunicode('id'), 0x85, 0x52] : [];
  return asm(P.proto(2), od, P.MARK, items, payload, [0x75], P.STOP); // SETITEMS
}

/** CRC-32 after `n` more zero bytes, without reading them (zlib's crc32_combine operator). */
export function crcZeros(crc: number, n: number): number {
  const times = (mat: Uint32Array, vec: number): number => {
    let sum = 0;
    for (let i = 0; vec !== 0; vec >>>= 1, i++) if (vec & 1) sum ^= mat[i]!;
    return sum >>> 0;
  };
  const square = (out: Uint32Array, mat: Uint32Array): void => {
    for (let i = 0; i < 32; i++) out[i] = times(mat, mat[i]!);
  };
  const odd = new Uint32Array(32);
  const even = new Uint32Array(32);
  odd[0] = 0xedb88320; // one zero bit
  for (let i = 1; i < 32; i++) odd[i] = (1 << (i - 1)) >>> 0;
  square(even, odd); // two bits
  square(odd, even); // four bits
  let r = ~crc >>> 0;
  let len = n;
  while (len > 0) {
    square(even, odd); // 1, 4, 16… bytes
    if (len % 2) r = times(even, r);
    len = Math.floor(len / 2);
    if (len === 0) break;
    square(odd, even);
    if (len % 2) r = times(odd, r);
    len = Math.floor(len / 2);
  }
  return ~r >>> 0;
}

const u16 = (n: number): Buffer => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

interface Entry {
  name: string;
  size: number;
  crc: number;
  /** written pieces: [offset within the member, bytes]; everything else is a hole */
  pieces: Array<[number, Uint8Array]>;
}

/** A member holding `bytes`. */
const whole = (name: string, bytes: Uint8Array): Entry => ({ name, size: bytes.length, crc: crc32(bytes), pieces: [[0, bytes]] });

/** A storage of `size` bytes: `edge` bytes of fp16-looking noise at each end, a hole between. */
function storage(name: string, size: number, rnd: () => number, edge = 512): Entry {
  const e = Math.min(edge, Math.floor(size / 2));
  const noise = (): Uint8Array => Uint8Array.from({ length: e }, (_, i) => (i % 2 ? 0x20 + Math.floor(rnd() * 24) : Math.floor(rnd() * 256)));
  const [head, tail] = [noise(), noise()];
  const crc = crc32(tail, crcZeros(crc32(head), size - 2 * e));
  return { name, size, crc, pieces: [[0, head], [size - e, tail]] };
}

/** Write a stored zip whose data starts at 64-byte boundaries (PyTorch pads with an extra field). */
function writeZip(path: string, entries: Entry[]): number {
  const fd = openSync(path, 'w');
  const central: Buffer[] = [];
  let pos = 0;
  for (const m of entries) {
    const name = Buffer.from(m.name);
    const pad = (64 - ((pos + 30 + name.length + 4) % 64)) % 64;
    const extra = Buffer.concat([u16(0x4246), u16(pad), Buffer.alloc(pad)]); // 'FB' padding, as torch writes
    const fixed = [u16(0), u16(0x800), u16(0), u16(0), u16(0), u32(m.crc), u32(m.size), u32(m.size), u16(name.length)];
    const local = Buffer.concat([u32(0x04034b50), ...fixed, u16(extra.length), name, extra]);
    central.push(Buffer.concat([u32(0x02014b50), u16(0x31e), ...fixed, u16(0), u16(0), u16(0), u16(0), u32(0), u32(pos), name]));
    writeSync(fd, local, 0, local.length, pos);
    pos += local.length;
    for (const [at, b] of m.pieces) writeSync(fd, b, 0, b.length, pos + at);
    pos += m.size;
  }
  const cd = Buffer.concat(central);
  const tail = Buffer.concat([cd, u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(pos), u16(0)]);
  writeSync(fd, tail, 0, tail.length, pos);
  closeSync(fd);
  return pos + tail.length;
}

/** torch.save of `tensors` (fp16) as a sparse zip; returns its size. */
export function writeTorchCheckpoint(path: string, tensors: Tensor[], o: { evil?: boolean; seed?: number } = {}): number {
  const rnd = prng(o.seed ?? 11);
  const text = (s: string): Uint8Array => Buffer.from(s);
  return writeZip(path, [
    whole('archive/data.pkl', statePickle(tensors, o.evil)),
    whole('archive/byteorder', text('little')),
    ...tensors.map((t, i) => storage(`archive/data/${i}`, numel(t) * 2, rnd)),
    whole('archive/version', text('3\n')),
    whole('archive/.data/serialization_id', text('1234567890123456789012345678901234567890')),
  ]);
}

/** A safetensors file of F16 tensors, data a hole; returns its size. */
export function writeSafetensors(path: string, tensors: Tensor[]): number {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let at = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F16', shape: t.shape, data_offsets: [at, at + numel(t) * 2] };
    at += numel(t) * 2;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.concat([len, Buffer.from(json)]), 0, 8 + json.length, 0);
  if (at > 0) writeSync(fd, Buffer.alloc(1), 0, 1, 8 + json.length + at - 1);
  closeSync(fd);
  return 8 + json.length + at;
}

/** Split `tensors` into `n` shards of about equal bytes, named as transformers names them. */
export function shards(tensors: Tensor[], n: number): Array<{ file: string; tensors: Tensor[] }> {
  const total = tensors.reduce((a, t) => a + numel(t), 0);
  const out = Array.from({ length: n }, (_, i) => ({ file: `model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`, tensors: [] as Tensor[] }));
  let acc = 0;
  for (const t of tensors) {
    out[Math.min(n - 1, Math.floor((acc * n) / total))]!.tensors.push(t);
    acc += numel(t);
  }
  return out;
}

/** model.safetensors.index.json for `parts` */
export function shardIndex(parts: Array<{ file: string; tensors: Tensor[] }>): string {
  const weight_map: Record<string, string> = {};
  for (const p of parts) for (const t of p.tensors) weight_map[t.name] = p.file;
  return JSON.stringify({ metadata: { total_size: parts.reduce((a, p) => a + p.tensors.reduce((b, t) => b + numel(t) * 2, 0), 0) }, weight_map }, null, 2);
}

/**
 * Swap an s3rver object's content file for a sparse one (s3rver keeps objects as plain files). `src`
 * is moved; when it sits on another file system than the store (the store is on /dev/shm, see
 * test/helpers/scratch.ts), the object is a symlink to it instead of a multi-GB copy.
 */
export async function putSparse(s: S3Server, bucket: string, key: string, src: string): Promise<void> {
  await s.put(bucket, key, Buffer.from('x'));
  const base = join(s.dir, bucket, `${key}._S3rver_`);
  try {
    renameSync(src, `${base}object`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    unlinkSync(`${base}object`);
    symlinkSync(src, `${base}object`);
  }
  const meta = JSON.parse(readFileSync(`${base}metadata.json`, 'utf8')) as Record<string, string>;
  meta['content-length'] = String(statSync(`${base}object`).size);
  writeFileSync(`${base}metadata.json`, JSON.stringify(meta));
  writeFileSync(`${base}object.md5`, '0'.repeat(32));
}
