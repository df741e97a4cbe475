// Deterministic pickle generators for the benchmarks (no Python needed).
import { closeSync, openSync, writeSync } from 'node:fs';

const sbu = (s) => { const b = Buffer.from(s); return Buffer.concat([Buffer.from([0x8c, b.length]), b]); };
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };

/** (a) one dict holding `size` bytes in a BINBYTES8 payload (what big tensors pickled raw look like). */
export function bigBytesPickle(path, size) {
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.concat([Buffer.from([0x80, 4, 0x7d, 0x94]), sbu('data'), Buffer.from([0x94, 0x8e]), u64(size)]));
  const block = Buffer.alloc(1 << 20);
  let x = 0x12345678;
  for (let i = 0; i < block.length; i += 4) { x = (x * 1103515245 + 12345) >>> 0; block.writeUInt32LE(x, i); }
  for (let left = size; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(block.length, left));
  writeSync(fd, Buffer.from([0x94, 0x73, 0x2e])); // MEMOIZE SETITEM STOP
  closeSync(fd);
}

/** (b) opcode-dense: a list of small dicts, as pickle.dump(protocol=4) writes it (minus framing). */
export function densePickle(path, targetBytes) {
  const fd = openSync(path, 'w');
  let memo = 0;
  const keys = new Map();
  const chunks = [];
  let pending = 0;
  const flush = () => { writeSync(fd, Buffer.concat(chunks)); chunks.length = 0; pending = 0; };
  const put = (b) => { chunks.push(b); pending += b.length; if (pending > 1 << 20) flush(); };
  const key = (k) => {
    if (keys.has(k)) { const i = keys.get(k); put(i < 256 ? Buffer.from([0x68, i]) : Buffer.concat([Buffer.from([0x6a]), u32(i)])); }
    else { keys.set(k, memo++); put(Buffer.concat([sbu(k), Buffer.from([0x94])])); }
  };
  put(Buffer.from([0x80, 4, 0x5d, 0x94, 0x28])); memo++;
  let written = 5;
  let i = 0;
  for (; written < targetBytes; i++) {
    const before = pending;
    put(Buffer.from([0x7d, 0x94, 0x28])); memo++;
    key('id'); put(Buffer.concat([Buffer.from([0x4a]), u32(i)]));
    key('score'); const f = Buffer.alloc(9); f[0] = 0x47; f.writeDoubleBE(i * 0.5, 1); put(f);
    key('name'); put(Buffer.concat([sbu('n' + (i % 100000)), Buffer.from([0x94])])); memo++;
    key('tags'); put(Buffer.from([0x5d, 0x94, 0x28, 0x4b, i % 7, 0x4b, i % 11, 0x65])); memo++;
    put(Buffer.from([0x75, ...((i + 1) % 1000 === 0 ? [0x65, 0x28] : [])]));
    written += pending - before > 0 ? pending - before : 40;
  }
  put(Buffer.from([0x65, 0x2e]));
  flush();
  closeSync(fd);
  return i;
}

/** (c) a small pickle (~9 KB): dict of floats, strings and a `blob`-byte field (3 KB); `evil` prefixes os.system. */
export function smallPickle(seed, evil, blob = 3000) {
  const parts = [];
  if (evil) parts.push(Buffer.from('cposix\nsystem\n(S\'echo mlvet\'\ntR0', 'latin1'));
  parts.push(Buffer.from([0x80, 4, 0x7d, 0x94, 0x28]));
  parts.push(sbu('values'), Buffer.from([0x94, 0x5d, 0x94, 0x28]));
  for (let k = 0; k < 400; k++) { const f = Buffer.alloc(9); f[0] = 0x47; f.writeDoubleBE(seed + k / 7, 1); parts.push(f); }
  parts.push(Buffer.from([0x65]));
  parts.push(sbu('names'), Buffer.from([0x94, 0x5d, 0x94, 0x28]));
  for (let k = 0; k < 150; k++) parts.push(sbu(`token_${seed}_${k}`));
  parts.push(Buffer.from([0x65]));
  parts.push(sbu('blob'), Buffer.from([0x94, 0x42]), u32(blob), Buffer.alloc(blob, seed & 0xff));
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}
