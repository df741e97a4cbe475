/**
 * 2 GiB checkpoints without 2 GiB of disk or memory: sparse files whose tensor data is a hole.
 * - a PyTorch zip: `archive/data.pkl` (a real pickle), a 2 GiB stored `archive/data/0`, `archive/version`
 * - a safetensors file: header + one 2 GiB F32 tensor
 * Used by the byte-count test and by bench/remote.bench.mjs.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { crcZeros } from './checkpoints.js';

export const BIG = 2 * 1024 ** 3;

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

interface Member {
  name: string;
  size: number;
  crc: number;
  data?: Buffer;
}

function localHeader(m: Member): Buffer {
  const name = Buffer.from(m.name);
  return Buffer.concat([u32(0x04034b50), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(m.crc), u32(m.size), u32(m.size), u16(name.length), u16(0), name]);
}

function centralHeader(m: Member, offset: number): Buffer {
  const name = Buffer.from(m.name);
  return Buffer.concat([
    u32(0x02014b50), u16(20), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(m.crc), u32(m.size), u32(m.size),
    u16(name.length), u16(0), u16(0), u16(0), u16(0), u32(0), u32(offset), name,
  ]);
}

/** A stored (uncompressed) zip laid out like torch.save's, with the big member left as a hole. */
export function writeBigTorchZip(path: string, pickle: Buffer, bigSize = BIG): void {
  const members: Member[] = [
    { name: 'archive/data.pkl', size: pickle.length, crc: crc32(pickle), data: pickle },
    { name: 'archive/data/0', size: bigSize, crc: crcZeros(0, bigSize) },
    { name: 'archive/version', size: 2, crc: crc32(Buffer.from('3\n')), data: Buffer.from('3\n') },
  ];
  const fd = openSync(path, 'w');
  let pos = 0;
  const offsets: number[] = [];
  for (const m of members) {
    offsets.push(pos);
    const h = localHeader(m);
    writeSync(fd, h, 0, h.length, pos);
    pos += h.length;
    if (m.data) writeSync(fd, m.data, 0, m.data.length, pos);
    pos += m.size; // the big member's bytes are a hole: zeros on read, no blocks on disk
  }
  const cd = Buffer.concat(members.map((m, i) => centralHeader(m, offsets[i]!)));
  const eocd = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(members.length), u16(members.length), u32(cd.length), u32(pos), u16(0)]);
  const tail = Buffer.concat([cd, eocd]);
  writeSync(fd, tail, 0, tail.length, pos);
  closeSync(fd);
}

/** A safetensors file with one F32 tensor of `bigSize` bytes, data left as a hole. */
export function writeBigSafetensors(path: string, bigSize = BIG): void {
  let header = JSON.stringify({ __metadata__: { format: 'pt' }, weight: { dtype: 'F32', shape: [bigSize / 4], data_offsets: [0, bigSize] } });
  header += ' '.repeat((8 - (header.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.concat([len, Buffer.from(header)]), 0, 8 + header.length, 0);
  // extend to the full size: one zero byte at the very end makes the rest a hole
  writeSync(fd, Buffer.alloc(1), 0, 1, 8 + header.length + bigSize - 1);
  closeSync(fd);
}
