/**
 * The storage sniff reads 264 head bytes and the last byte of a torch storage, where it read 4 KiB.
 * `plainByHead` may only say "skip" when the old 4 KiB rule (detect() unknown, or pickle but not one
 * complete pickle) skips the member too; here it is checked against that rule on crafted storages of
 * every format detect() knows, and on thousands of noise storages of several shapes.
 */
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { DEFAULT_BUDGETS } from '../../src/model/budgets.js';
import { isCompletePickle } from '../../src/formats/torch/storage.js';
import { detect } from '../../src/scanners/detect.js';
import { plainByHead, STORAGE_HEAD } from '../../src/scanners/archive/storage-sniff.js';
import { evilP4 } from '../helpers/pickle-asm.js';
import { prng } from '../helpers/prng.js';
import { makeZip } from './zip-writer.js';

const SIZE = 8 * 1024;
const RUNS = 80;

async function oldRuleSkips(b: Uint8Array): Promise<boolean> {
  const label = await detect(b.subarray(0, 4096), b.length);
  if (label === 'unknown') return true;
  if (label !== 'pickle') return false;
  return !(await isCompletePickle(new BufferReader(b), DEFAULT_BUDGETS, Date.now() + 5000));
}

const byHead = (b: Uint8Array): Promise<boolean> => plainByHead(b.subarray(0, STORAGE_HEAD), b[b.length - 1]!, b.length);

/** `head` followed by filler up to SIZE bytes (zeros unless given) */
function storage(head: Uint8Array | string, fill = 0, size = SIZE): Uint8Array {
  const h = typeof head === 'string' ? Buffer.from(head, 'latin1') : head;
  const b = new Uint8Array(Math.max(size, h.length)).fill(fill);
  b.set(h);
  return b;
}

function fp16Noise(rnd: () => number, n: number, scale: number): Uint8Array {
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  for (let i = 0; i + 2 <= n; i += 2) {
    // a normal value, rounded into half precision's bit layout by hand (sign, exponent, 10-bit mantissa)
    const v = scale * Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    const a = Math.abs(v);
    const e = a === 0 ? 0 : Math.max(-15, Math.min(15, Math.floor(Math.log2(a))));
    const bits = e === -15 ? 0 : ((e + 15) << 10) | Math.floor((a / 2 ** e - 1) * 1024);
    dv.setUint16(i, (v < 0 ? 0x8000 : 0) | bits, true);
  }
  return out;
}

const ustar = (): Uint8Array => {
  const b = storage('member.txt');
  b.set(Buffer.from('ustar\x0000'), 257);
  return b;
};
const stHeader = (pad: number): Uint8Array => {
  const json = `${' '.repeat(pad)}{"w":{"dtype":"F16","shape":[8],"data_offsets":[0,16]}}`;
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return storage(Buffer.concat([len, Buffer.from(json)]));
};
const completePickle = (): Uint8Array => {
  const p = evilP4();
  const b = new Uint8Array(SIZE);
  b.set(p.subarray(0, -1));
  b[SIZE - 1] = 0x2e;
  return b; // PROTO … STOP at the last byte: the full check must run, whatever it then says
};

const mustLook: Array<[string, () => Uint8Array]> = [
  ['a nested zip', () => storage(makeZip([['x.pkl', evilP4()]]))],
  ['gzip', () => storage('\x1f\x8b\x08\x00')],
  ['numpy', () => storage('\x93NUMPY\x01\x00')],
  ['tar (ustar at 257)', ustar],
  ['safetensors', () => stHeader(0)],
  ['safetensors after 300 blanks', () => stHeader(300)],
  ['legacy torch head', () => storage(Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]))],
  ['zlib', () => storage('\x78\x9c')],
  ['JSON text', () => storage('{"a": 1}', 0x20)],
  ['Python source', () => storage('import os\nos.system("id")\n', 0x20)],
  ['Jinja past the small head', () => storage(`${'a'.repeat(3000)}{{ x }}`, 0x20)],
  ['protobuf-looking', () => storage('\x08\x07\x12\x04test')],
  ['PROTO 4 … STOP', completePickle],
];

describe('plainByHead: a storage is skipped from 264 bytes only when 4 KiB would skip it', () => {
  it.each(mustLook)('%s: looked at (4 KiB sniff)', async (_n, make) => {
    expect(await byHead(make())).toBe(false);
  });

  const noise: Array<[string, (rnd: () => number) => Uint8Array]> = [
    ['zeros', () => new Uint8Array(SIZE)],
    ['uniform bytes', (rnd) => Uint8Array.from({ length: SIZE }, () => Math.floor(rnd() * 256))],
    ['fp16 N(0, 0.02) weights', (rnd) => fp16Noise(rnd, SIZE, 0.02)],
    ['fp16 N(1, 0.1) norms', (rnd) => fp16Noise(rnd, SIZE, 1)],
    ['PROTO 2 then noise', (rnd) => Uint8Array.from({ length: SIZE }, (_, i) => (i === 0 ? 0x80 : i === 1 ? 2 : Math.floor(rnd() * 256)))],
    ['ASCII with a few high bytes', (rnd) => Uint8Array.from({ length: SIZE }, () => (rnd() < 0.97 ? 0x20 + Math.floor(rnd() * 95) : 0x80 + Math.floor(rnd() * 128)))],
    ['printable ASCII (text: 4 KiB decides)', (rnd) => Uint8Array.from({ length: SIZE }, () => 0x20 + Math.floor(rnd() * 95))],
  ];
  it.each(noise)('%s: never skipped where 4 KiB looks; how many are settled by the small head', async (name, make) => {
    const rnd = prng(name.length * 7919);
    let settled = 0;
    for (let i = 0; i < RUNS; i++) {
      const b = make(rnd);
      if (await byHead(b)) {
        settled++;
        expect(await oldRuleSkips(b)).toBe(true);
      }
    }
    // binary noise is settled by the small head (a 0x08/0x0a first byte, PROTO … STOP, fall back); text never is
    if (name.startsWith('printable')) expect(settled).toBe(0);
    else expect(settled).toBeGreaterThanOrEqual(0.95 * RUNS);
  });
});
