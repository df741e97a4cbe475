/** A minimal ZIP writer for tests (stored or deflated members, correct CRCs, no ZIP64). */
import { crc32, deflateRawSync } from 'node:zlib';

const u16 = (n: number): Buffer => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

export function makeZip(entries: Array<[name: string, data: Uint8Array, deflate?: boolean]>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let pos = 0;
  for (const [name, data, deflate] of entries) {
    const n = Buffer.from(name);
    const body = deflate ? deflateRawSync(data) : Buffer.from(data);
    const method = deflate ? 8 : 0;
    const crc = crc32(data);
    const head = Buffer.concat([u32(0x04034b50), u16(20), u16(0), u16(method), u32(0), u32(crc), u32(body.length), u32(data.length), u16(n.length), u16(0), n]);
    central.push(Buffer.concat([u32(0x02014b50), u16(20), u16(20), u16(0), u16(method), u32(0), u32(crc), u32(body.length), u32(data.length),
      u16(n.length), u16(0), u16(0), u16(0), u16(0), u32(0), u32(pos), n]));
    parts.push(head, body);
    pos += head.length + body.length;
  }
  const cd = Buffer.concat(central);
  return Buffer.concat([...parts, cd, u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(pos), u16(0)]);
}
