/**
 * 7z, Keras .h5, GGUF, ONNX and TensorFlow graphs (issue 3, part 2): broken inputs end in the right
 * inconclusive code (findings read before the break are kept), budgets hold, and the pieces (GGUF
 * value types, the protobuf wire reader, ONNX location and tensor checks) behave on edge cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { readGguf } from '../../src/formats/gguf/header.js';
import { locationRisk } from '../../src/formats/onnx/external.js';
import { tensorProblem, type TensorInfo } from '../../src/formats/onnx/tensor.js';
import { sniffProto } from '../../src/formats/protobuf/sniff.js';
import { ProtoWalker } from '../../src/formats/protobuf/walker.js';
import { fieldAt, varint } from '../../src/formats/protobuf/wire.js';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';
import { scanBuffer } from '../helpers/scan-bytes.js';

const F = (p: string): string => join(FIXTURES, 'formats', p);
const codes = (r: { inconclusive: Array<{ code: string }> }): string[] => r.inconclusive.map((i) => i.code);

describe('broken inputs are inconclusive, never clean', () => {
  it.each([
    ['truncated-gguf-in-metadata.gguf', 'TRUNCATED', []],
    ['truncated-gguf-after-template.gguf', 'TRUNCATED', ['template/ssti']],
    ['absurd-gguf-kv-count.gguf', 'PARSE_ERROR', []],
    ['truncated-keras.h5', 'TRUNCATED', []],
    ['truncated-model.onnx', 'TRUNCATED', []],
    ['truncated-saved_model.pb', 'TRUNCATED', []],
    ['truncated.7z', 'TRUNCATED', []],
    ['encrypted-header.7z', 'ENCRYPTED', []],
    ['encrypted-member.7z', 'ENCRYPTED', []],
    ['bomb-64mib-zeros.7z', 'LIMIT_EXCEEDED', []],
  ] as const)('%s → %s', async (name, code, rules) => {
    const r = await scan({ targets: [F(`broken/${name}`)] });
    expect(codes(r)).toContain(code);
    expect(r.findings.map((f) => f.ruleId).filter((id) => !id.startsWith('gguf/'))).toEqual(rules);
  });

  const dir = 'malicious';
  const files = ['e13-7z-broken-pickle.7z', 'e16-h5-lambda-safe-mode-bypass.h5', 'e16-gguf-chat-template-ssti.gguf', 'e16-onnx-custom-domain.onnx', 'e16-tf-pyfunc-saved_model.pb', 'e16-tf-readfile.pb'];
  const neutral = new Set(['gguf.header', 'onnx.model', 'tf.graph', 'keras.h5']);
  it.each(files)('%s cut at 60 %% and 95 %% is never clean', async (name) => {
    const bytes = readFileSync(F(`${dir}/${name}`));
    for (const frac of [0.6, 0.95]) {
      const r = await scanBuffer(bytes.subarray(0, Math.floor(bytes.length * frac) | 1));
      const anything = r.inconclusive.length + r.facts.filter((f) => !neutral.has(f.kind)).length;
      expect(anything, `${name} at ${frac}`).toBeGreaterThan(0);
    }
  });
});

describe('budgets and bounded reads', () => {
  const sevenZip = readFileSync(F('benign/torch-state-dict.7z'));
  it.each([
    ['decompressed bytes', { maxDecompressedBytes: 100 }],
    ['archive entries', { maxArchiveEntries: 0 }],
    ['archive held in memory', { maxNestedBytes: 100 }],
  ] as const)('7z over the %s budget → LIMIT_EXCEEDED', async (_n, budgets) => {
    expect(codes(await scanBuffer(sevenZip, budgets))).toContain('LIMIT_EXCEEDED');
  });
  it('7z members are scanned one level deeper (7z → zip → pickle), member paths chained', async () => {
    const r = await scanBuffer(sevenZip);
    expect(r.formats.map((f) => `${(f as { member?: string }).member ?? ''}:${f.format}`)).toEqual(expect.arrayContaining(['torch-state-dict.pt:zip', 'torch-state-dict.pt!torch-state-dict/data.pkl:pickle']));
    expect(r.inconclusive).toEqual([]);
  });
  it('a Keras .h5 followed by 64 MiB of weights costs its metadata only (lazy HDF5 image)', async () => {
    const h5 = readFileSync(F('malicious/e16-h5-lambda-safe-mode-bypass.h5'));
    const r = await scanBuffer(Buffer.concat([h5, Buffer.alloc(64 << 20)]));
    const fact = r.facts.find((f) => f.kind === 'keras.h5');
    expect(fact?.data.lambdaLayers).toEqual(['lambda']);
    expect(Number(fact?.data.bytesLoaded)).toBeLessThanOrEqual(2 << 20);
    expect(r.bytesRead).toBeLessThan(4 << 20);
  });
  it('GGUF reads its head only, not the tensor data after it', async () => {
    const g = readFileSync(F('benign/model.gguf'));
    const r = await scanBuffer(Buffer.concat([g, Buffer.alloc(64 << 20)]));
    expect(r.facts.find((f) => f.kind === 'gguf.header')?.data.version).toBe(3);
    expect(r.bytesRead).toBeLessThan(2 << 20);
  });
});

/** A GGUF v3 writer for edge cases the fixtures do not cover. */
function gguf(kvs: Buffer[], opts: { version?: number; tensors?: Buffer[]; kvCount?: bigint } = {}): Buffer {
  const u32 = (n: number): Buffer => Buffer.from(new Uint32Array([n]).buffer);
  const u64 = (n: bigint): Buffer => Buffer.from(new BigUint64Array([n]).buffer);
  const t = opts.tensors ?? [];
  return Buffer.concat([Buffer.from('GGUF'), u32(opts.version ?? 3), u64(BigInt(t.length)), u64(opts.kvCount ?? BigInt(kvs.length)), ...kvs, ...t, Buffer.alloc(64)]);
}
const s64 = (s: string): Buffer => Buffer.concat([Buffer.from(new BigUint64Array([BigInt(Buffer.byteLength(s))]).buffer), Buffer.from(s)]);
const kv = (key: string, type: number, value: Buffer): Buffer => Buffer.concat([s64(key), Buffer.from(new Uint32Array([type]).buffer), value]);
const tensorInfo = (name: string, dims: bigint[], type: number, offset: bigint): Buffer =>
  Buffer.concat([s64(name), Buffer.from(new Uint32Array([dims.length]).buffer), Buffer.from(new BigUint64Array(dims).buffer), Buffer.from(new Uint32Array([type]).buffer), Buffer.from(new BigUint64Array([offset]).buffer)]);

describe('GGUF reader', () => {
  const lim = { maxHeadBytes: 1 << 20, maxTemplateBytes: 1 << 16, deadline: Date.now() + 60_000 };
  const read = (b: Buffer) => readGguf(new BufferReader(b), lim);
  it('reads every value type, nested arrays and named templates', async () => {
    const scalars = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12].map((t) => kv(`k${t}`, t, Buffer.alloc([1, 1, 2, 2, 4, 4, 4, 1, 8, 8, 8][[0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12].indexOf(t)]!)));
    const nested = kv('arr', 9, Buffer.concat([Buffer.from(new Uint32Array([9]).buffer), Buffer.from(new BigUint64Array([1n]).buffer), Buffer.from(new Uint32Array([8]).buffer), Buffer.from(new BigUint64Array([1n]).buffer), s64('x')]));
    const h = await read(gguf([...scalars, nested, kv('tokenizer.chat_template.tool_use', 8, s64('{{ x }}'))]));
    expect(h.kvCount).toBe(13);
    expect(h.templates.map((t) => t.key)).toEqual(['tokenizer.chat_template.tool_use']);
  });
  it.each([
    ['version 4', gguf([], { version: 4 }), 'UNSUPPORTED'],
    ['unknown value type', gguf([kv('a', 13, Buffer.alloc(8))]), 'PARSE_ERROR'],
    ['string longer than the file', gguf([kv('a', 8, Buffer.from(new BigUint64Array([1n << 40n]).buffer))]), 'TRUNCATED'],
    ['array count that cannot fit', gguf([kv('a', 9, Buffer.concat([Buffer.from(new Uint32Array([10]).buffer), Buffer.from(new BigUint64Array([1n << 50n]).buffer)]))]), 'PARSE_ERROR'],
    ['metadata count that cannot fit', gguf([], { kvCount: 1n << 40n }), 'PARSE_ERROR'],
  ] as const)('%s → %s', async (_n, bytes, code) => {
    await expect(read(bytes)).rejects.toMatchObject({ code });
  });
  it.each([
    ['misaligned', tensorInfo('t', [4n], 0, 4n)],
    ['unknown-type', tensorInfo('t', [4n], 4, 0n)],
    ['bad-shape', tensorInfo('t', [33n], 2, 0n)],
    ['out-of-bounds', tensorInfo('t', [1n << 20n], 0, 0n)],
  ])('tensor layout problem %s', async (problem, info) => {
    const h = await read(gguf([], { tensors: [info] }));
    expect(h.problems.map((p) => p.problem)).toContain(problem);
  });
});

describe('protobuf wire reader', () => {
  it.each([
    [[0x01], 1n, 1],
    [[0xac, 0x02], 300n, 2],
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 2n ** 64n - 1n, 10],
  ])('varint %j', (bytes, value, used) => {
    expect(varint(Uint8Array.from(bytes), 0)).toEqual([value, used]);
  });
  it.each([
    ['eleven-byte varint', [0x08, ...Array<number>(10).fill(0x80), 0x01]],
    ['group wire type', [0x0b]],
    ['field number 0', [0x02, 0x00]],
    ['cut varint', [0x08, 0x80]],
  ])('%s is rejected', (_n, bytes) => {
    expect(fieldAt(Uint8Array.from(bytes), 0)).toBeUndefined();
  });
  const walk = async (bytes: readonly number[], maxFields = 100): Promise<void> => {
    const w = new ProtoWalker(new BufferReader(Uint8Array.from(bytes)), { maxFields, maxBytes: 1024, maxDepth: 4, deadline: Date.now() + 10_000 });
    for await (const f of w.fields(0, bytes.length)) void f;
  };
  it.each([
    ['LEN past the end of the file', [0x0a, 0x10, 0x01], 'TRUNCATED'],
    ['bad wire type', [0x0f, 0x00], 'PARSE_ERROR'],
    ['too many fields', [0x08, 0x01, 0x08, 0x01, 0x08, 0x01], 'LIMIT_EXCEEDED'],
  ] as const)('walker: %s → %s', async (_n, bytes, code) => {
    await expect(walk(bytes, 2)).rejects.toMatchObject({ code });
  });
  it.each([
    ['onnx', [0x08, 0x08, 0x12, 0x01, 0x61, 0x3a, 0x00]],
    ['tf-savedmodel', [0x08, 0x01, 0x12, 0xc8, 0x01]],
    ['tf-graphdef', [0x0a, 0x09, 0x0a, 0x01, 0x61, 0x12, 0x04, 0x43, 0x6f, 0x6e, 0x73]],
    [undefined, [...Buffer.from('{"a": 1}')]],
    [undefined, [0x80, 0x04, 0x95]],
    [undefined, [0x0a, 0x0a, 0x68, 0x65, 0x6c, 0x6c, 0x6f]],
  ])('sniff → %s', (label, bytes) => {
    expect(sniffProto(Uint8Array.from(bytes))).toBe(label);
  });
});

describe('ONNX checks', () => {
  it.each([
    ['weights.bin', false],
    ['sub/dir/w.bin', false],
    ['a/../w.bin', false],
    ['../w.bin', true],
    ['a/../../x', true],
    ['/etc/passwd', true],
    ['C:\\Windows\\win.ini', true],
    ['..\\..\\secret', true],
    ['file:///etc/passwd', true],
  ])('external location %s escapes: %s', (loc, escapes) => {
    expect(locationRisk(loc).escapes).toBe(escapes);
  });
  const t = (p: Partial<TensorInfo>): TensorInfo => ({ name: 't', dataType: 1, dims: [2n, 2n], external: {}, dataLocation: 0, segmented: false, offset: 0, ...p });
  it.each([
    ['raw matches', t({ raw: 16 }), false],
    ['raw short', t({ raw: 15 }), true],
    ['typed count off', t({ typed: 3 }), true],
    ['negative dim', t({ dims: [-1n] }), true],
    ['2^50 elements', t({ dims: [1n << 25n, 1n << 25n] }), true],
    ['int4 packs two per byte', t({ dataType: 22, dims: [3n], raw: 2 }), false],
    ['external length off', t({ external: { location: 'w', length: '8' } }), true],
    ['segmented is not judged', t({ raw: 1, segmented: true }), false],
  ])('tensor: %s', (_n, info, bad) => {
    expect(tensorProblem(info) !== undefined).toBe(bad);
  });
});
