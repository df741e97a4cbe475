/**
 * Issue 10, item 1: a name that claims a serialization format, over bytes no scanner parsed, is
 * inconclusive (UNRECOGNIZED_FORMAT, exit 2), never "✓ clean, no format". Routing stays by content.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claimedFormat } from '../../src/scanners/claims.js';
import { asm, evilP4, P } from '../helpers/pickle-asm.js';
import { prng } from '../helpers/prng.js';
import { codes, ruleIds, scanBytes } from '../helpers/scan-bytes.js';
import { makeZip } from './zip-writer.js';

const rnd = prng(10);
const noise = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => 0x20 + Math.floor(rnd() * 0x50) * 2); // no magic, no pickle
const text = Buffer.from('this is not a model\n');
const REAL_PT = readFileSync(new URL('../../fixtures/pickle/benign/torch-state-dict.pt', import.meta.url));

describe('claimedFormat', () => {
  it.each<[string, string | undefined]>([
    ['model.pt', 'PyTorch'],
    ['MODEL.PTH', 'PyTorch'],
    ['pytorch_model-00001-of-00002.bin', 'PyTorch/binary weights'],
    ['weights.SafeTensors', 'safetensors'],
    ['model.safetensors.index.json', undefined],
    ['model.pkl', 'pickle'],
    ['x.joblib', 'joblib'],
    ['tokenizer.model', 'serialized model'],
    ['saved_model.pb', 'TensorFlow protobuf'],
    ['flax_model.msgpack', 'Flax msgpack'],
    ['README.md', undefined],
    ['.bin', undefined],
    ['blob.bin', undefined],
    ['adapter_model.bin', 'PyTorch/binary weights'],
    ['optimizer.bin', 'PyTorch/binary weights'],
    ['training_args.bin', 'PyTorch/binary weights'],
    ['Makefile', undefined],
  ])('%s → %s', (name, want) => expect(claimedFormat(name)).toBe(want));
});

describe('claimed but unrecognised', () => {
  const cases: Array<[string, string, Uint8Array, string[]]> = [
    ['model.pt of text', 'model.pt', text, ['UNRECOGNIZED_FORMAT']],
    ['weights.safetensors of noise', 'weights.safetensors', noise(512), ['UNRECOGNIZED_FORMAT']],
    ['model.pkl of noise', 'model.pkl', noise(300), ['UNRECOGNIZED_FORMAT']],
    ['pytorch_model.bin of noise', 'pytorch_model.bin', noise(4096), ['UNRECOGNIZED_FORMAT']],
    ['upper-case MODEL.CKPT', 'MODEL.CKPT', text, ['UNRECOGNIZED_FORMAT']],
    ['empty model.onnx (nothing to load)', 'model.onnx', new Uint8Array(0), []],
    ['notes.txt (no claim)', 'notes.txt', text, []],
    ['blob without extension', 'blob', text, []],
    ['model.safetensors.index.json that is JSON', 'model.safetensors.index.json', Buffer.from('{"weight_map": {}}'), []],
    ['real torch.save zip named .bin', 'pytorch_model.bin', REAL_PT, []],
  ];
  it.each(cases)('%s', async (_n, name, bytes, want) => {
    const r = await scanBytes(bytes, name);
    expect(codes(r)).toEqual(want);
    expect(ruleIds(r)).toEqual([]);
  }, 10_000);

  // protobuf-named files of message types mlvet does not model stay as before
  const pb = (no: number, body: Uint8Array): Uint8Array => Uint8Array.from([(no << 3) | 2, body.length, ...body]);
  const piece = (s: string): Uint8Array => pb(1, Uint8Array.from([...pb(1, Buffer.from(s)), 0x15, 0, 0, 0x60, 0xc0, 0x18, 1]));
  it.each<[string, string, Uint8Array, string[]]>([
    ['sentencepiece tokenizer.model', 'tokenizer.model', Buffer.concat([piece('<unk>'), piece('▁the'), piece('ing')]), []],
    ['keras_metadata.pb', 'keras_metadata.pb', pb(1, Uint8Array.from([...pb(1, Uint8Array.from([8, 1])), 0x10, 3])), []],
    ['a .pb of text', 'notes.pb', Buffer.from('hello world\n'), ['UNRECOGNIZED_FORMAT']],
    ['a .model of text', 'weights.model', text, ['UNRECOGNIZED_FORMAT']],
  ])('%s', async (_n, name, bytes, want) => {
    const r = await scanBytes(bytes, name);
    expect(codes(r)).toEqual(want);
  }, 10_000);

  it('a member of an archive is judged by its own name', async () => {
    const zip = makeZip([['pkg/model.pt', text], ['pkg/readme.txt', text]]);
    const r = await scanBytes(zip, 'bundle.zip');
    expect(r.inconclusive.map((i) => [i.code, i.member])).toEqual([['UNRECOGNIZED_FORMAT', 'pkg/model.pt']]);
  });

  it('content wins over the name: a pickle named .safetensors is scanned as a pickle', async () => {
    const r = await scanBytes(evilP4(), 'model.safetensors');
    expect([ruleIds(r), codes(r)]).toEqual([['pickle/code-execution'], []]);
  });

  // a protocol-0 pickle whose first line is longer than the 64 KiB head probe: recognised by that line and
  // scanned to the end, whatever it is named (fixtures/pickle/benign/long-string-p0.pkl passed as "unknown")
  const longP0 = (tail: Uint8Array): Uint8Array => asm(P.unicode('x'.repeat(70_000)), P.POP, tail);
  it.each<[string, string, Uint8Array, string[], string[]]>([
    ['benign, named .pkl', 'long.pkl', longP0(asm(P.NONE, P.STOP)), [], []],
    ['malicious, named .pt', 'model.pt', longP0(asm(P.global('posix', 'system'), P.string('echo mlvet'), P.TUPLE1, P.REDUCE, P.STOP)), ['pickle/code-execution'], []],
    ['malicious, named .txt', 'notes.txt', longP0(asm(P.global('posix', 'system'), P.string('echo mlvet'), P.TUPLE1, P.REDUCE, P.STOP)), ['pickle/code-execution'], []],
    ['named .safetensors', 'w.safetensors', longP0(asm(P.NONE, P.STOP)), [], []],
    ['cut before STOP, named .pkl', 'long.pkl', longP0(asm(P.NONE)), [], ['TRUNCATED']],
  ])('long protocol-0 pickle, %s', async (_n, name, bytes, rules, want) => {
    const r = await scanBytes(bytes, name);
    expect([ruleIds(r), codes(r)]).toEqual([rules, want]);
  }, 10_000);

  it('a benign pickle named .npy is scanned, not inconclusive', async () => {
    const r = await scanBytes(asm(P.proto(2), P.EMPTY_DICT, P.STOP), 'arr.npy');
    expect([ruleIds(r), codes(r)]).toEqual([[], []]);
  });
});
