/**
 * Bombs built at test time without ever materialising their output. A raw-deflate block of 16 MiB of
 * zeros, ended with a full flush, is byte-aligned, non-final and needs no earlier history, so N copies
 * followed by an empty final block inflate to N × 16 MiB (about 1028:1, what zlib -9 reaches on zeros).
 * A 1 GiB bomb costs one 16 MiB deflate and a 1 MB concat.
 */
import { constants, deflateRawSync } from 'node:zlib';

const KERNEL_BYTES = 16 << 20;
let kernel: Buffer | undefined;
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/** Raw deflate of `bytes` zeros (rounded up to 16 MiB). */
export function deflateZeros(bytes: number): Buffer {
  kernel ??= deflateRawSync(Buffer.alloc(KERNEL_BYTES), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const n = Math.ceil(bytes / KERNEL_BYTES);
  return Buffer.concat([...Array.from({ length: n }, () => kernel!), FINAL_EMPTY_BLOCK]);
}

/** A gzip member around a raw deflate stream. Pass the CRC only for streams meant to finish: bombs are refused long before the trailer. */
export function gzipWrap(raw: Buffer, size: number, crc = 0): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), raw, trailer]);
}

const u16 = (n: number): Buffer => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(Math.min(n, 0xffffffff) >>> 0);
  return b;
};

export interface RawMember {
  name: string;
  /** the bytes as stored (already compressed for method 8) */
  body: Buffer;
  method: 0 | 8;
  size: number;
  crc?: number;
}

/** A local file header followed by the member's stored bytes. */
export function localEntry(m: RawMember): Buffer {
  const n = Buffer.from(m.name);
  return Buffer.concat([u32(0x04034b50), u16(20), u16(0), u16(m.method), u32(0), u32(m.crc ?? 0), u32(m.body.length), u32(m.size), u16(n.length), u16(0), n, m.body]);
}

/**
 * A ZIP whose central directory may point several entries at one local header: `entries[i]` names
 * the member it aliases. `at` moves an entry's local offset by a few bytes (into another member's data); `crc` and `method` override the member's in that entry only.
 */
export function rawZip(members: RawMember[], entries: Array<{ name: string; member: number; at?: number; crc?: number; method?: 0 | 8 }>): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let pos = 0;
  for (const m of members) {
    const entry = localEntry(m);
    offsets.push(pos);
    parts.push(entry);
    pos += entry.length;
  }
  const cd = Buffer.concat(
    entries.map((e) => {
      const m = members[e.member]!;
      const n = Buffer.from(e.name);
      const fields = [u16(20), u16(20), u16(0), u16(e.method ?? m.method), u32(0), u32(e.crc ?? m.crc ?? 0), u32(m.body.length), u32(m.size), u16(n.length)];
      return Buffer.concat([u32(0x02014b50), ...fields, u16(0), u16(0), u16(0), u16(0), u32(0), u32(offsets[e.member]! + (e.at ?? 0)), n]);
    }),
  );
  const eocd = [u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(pos), u16(0)];
  return Buffer.concat([...parts, cd, ...eocd]);
}

/** One member, `fan` central-directory entries over it, all named after the member (no name mismatch for the first). */
export function sharedZip(m: RawMember, fan: number): Buffer {
  return rawZip([m], Array.from({ length: fan }, (_, i) => ({ name: i === 0 ? m.name : `${i}-${m.name}`, member: 0 })));
}

/** 42.zip with shared data: the innermost layer is `inner` zeros; each layer deflates the one below and points `fan` entries at it. */
export function nested42(layers: number, fan: number, inner: number): Buffer {
  let z = sharedZip({ name: 'zeros.bin', body: deflateZeros(inner), method: 8, size: inner }, fan);
  for (let i = 1; i < layers; i++) z = sharedZip({ name: `layer${i}.zip`, body: deflateRawSync(z), method: 8, size: z.length }, fan);
  return z;
}

/**
 * David Fifield's overlapped bomb: entry i's data is a stored deflate block quoting entry i+1's local
 * header, then entry i+1's data, down to one shared kernel. Every entry is a valid deflate stream; the
 * ranges are all distinct, nested, and share the kernel.
 */
export function fifield(entries: number, kernelBytes: number): Buffer {
  const kernel = deflateZeros(kernelBytes);
  const names = Array.from({ length: entries }, (_, i) => Buffer.from(`f${String(i).padStart(5, '0')}`));
  const headLen = (i: number): number => 30 + names[i]!.length;
  // sizes from the last entry back: csize_i = quote(H_{i+1}) + H_{i+1} + csize_{i+1}
  const csize: number[] = new Array<number>(entries);
  const usize: number[] = new Array<number>(entries);
  csize[entries - 1] = kernel.length;
  usize[entries - 1] = Math.ceil(kernelBytes / KERNEL_BYTES) * KERNEL_BYTES;
  for (let i = entries - 2; i >= 0; i--) {
    csize[i] = 5 + headLen(i + 1) + csize[i + 1]!;
    usize[i] = headLen(i + 1) + usize[i + 1]!;
  }
  const header = (i: number): Buffer =>
    Buffer.concat([u32(0x04034b50), u16(20), u16(0), u16(8), u32(0), u32(0), u32(csize[i]!), u32(usize[i]!), u16(names[i]!.length), u16(0), names[i]!]);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let pos = 0;
  for (let i = 0; i < entries; i++) {
    const h = header(i);
    if (i > 0) {
      const q = Buffer.from([0x00, h.length & 0xff, h.length >> 8, ~h.length & 0xff, (~h.length >> 8) & 0xff]);
      parts.push(q);
      pos += q.length;
    }
    offsets.push(pos);
    parts.push(h);
    pos += h.length;
  }
  parts.push(kernel);
  pos += kernel.length;
  const cd = Buffer.concat(
    names.map((n, i) => Buffer.concat([u32(0x02014b50), u16(20), u16(20), u16(0), u16(8), u32(0), u32(0), u32(csize[i]!), u32(usize[i]!), u16(n.length), u16(0), u16(0), u16(0), u16(0), u32(0), u32(offsets[i]!), n])),
  );
  return Buffer.concat([...parts, cd, u32(0x06054b50), u16(0), u16(0), u16(entries), u16(entries), u32(cd.length), u32(pos), u16(0)]);
}

/** A one-member ustar archive (enough for nesting tests). */
export function tarOf(name: string, data: Buffer): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'ascii');
  h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([h, data, pad, Buffer.alloc(1024)]);
}
