/**
 * FileReader.read, the reader every local file is opened with (and readSmallFile, which reads a small one whole): the bytes at any offset and length, cut
 * at the end of the file, each read a Uint8Array of its own (not zero-filled before the read, so the
 * table checks that nothing but file bytes is ever handed out, also when the file shrinks under it).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReader, readSmallFile } from '../../src/artifact/file-reader.js';
import { FIXTURES } from '../helpers/cli.js';

const FILE = join(FIXTURES, 'pickle', 'benign', 'big-int-p2.pkl');
const BYTES = readFileSync(FILE);
const SIZE = BYTES.length;
const tmp = mkdtempSync(join(tmpdir(), 'mlvet-file-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('FileReader.read', () => {
  it.each([
    ['the whole file', 0, SIZE, SIZE],
    ['the first byte', 0, 1, 1],
    ['a middle range', 7, 100, 100],
    ['past the end: cut', SIZE - 3, 64, 3],
    ['at the end: empty', SIZE, 10, 0],
    ['beyond the end: empty', SIZE + 5, 10, 0],
    ['zero bytes', 5, 0, 0],
  ])('%s (offset %i, length %i) gives %i bytes of the file', async (_name, offset, length, got) => {
    const r = FileReader.open(FILE);
    try {
      const b = await r.read(offset, length);
      expect(b.constructor).toBe(Uint8Array); // not a Buffer: slice() copies, as callers expect
      expect(b.length).toBe(got);
      expect(Buffer.from(b).equals(BYTES.subarray(offset, offset + got))).toBe(true);
      expect(r.bytesRead).toBe(got);
    } finally {
      await r.close();
    }
  });

  it('two reads of the same range are independent copies', async () => {
    const r = FileReader.open(FILE);
    const a = await r.read(0, 32);
    const b = await r.read(0, 32);
    a.fill(0xff);
    expect(Buffer.from(b).equals(BYTES.subarray(0, 32))).toBe(true);
    await r.close();
  });

  it('a file that shrank after open: the read is cut to what is there and no unread byte is behind it', async () => {
    const path = join(tmp, 'shrinks.pkl');
    copyFileSync(FILE, path);
    const r = FileReader.open(path);
    truncateSync(path, 40);
    const b = await r.read(0, SIZE);
    expect(Buffer.from(b).equals(BYTES.subarray(0, 40))).toBe(true);
    const behind = new Uint8Array(b.buffer, b.byteOffset + b.length, b.buffer.byteLength - b.byteOffset - b.length);
    expect(behind.length).toBe(SIZE - 40);
    expect(behind.every((x) => x === 0)).toBe(true);
    await r.close();
  });
});

describe('readSmallFile (a small local file read whole, at the size its listing saw)', () => {
  const at = (name: string, bytes: Uint8Array): string => {
    const p = join(tmp, name);
    writeFileSync(p, bytes);
    return p;
  };
  it.each([
    ['the size listed', SIZE, BYTES, SIZE],
    ['shrank since it was listed: what is there', SIZE + 100, BYTES, SIZE],
    ['empty', 0, new Uint8Array(0), 0],
  ])('%s', (name, listed, content, got) => {
    const r = readSmallFile(at(`whole-${got}-${listed}.pkl`, content), listed);
    expect(r.bytesRead).toBe(got);
    expect(r.bytes!.constructor).toBe(Uint8Array);
    expect(Buffer.from(r.bytes!).equals(content.subarray(0, got))).toBe(true);
    // nothing but file bytes behind the view, also the byte past the listed size
    const behind = new Uint8Array(r.bytes!.buffer, r.bytes!.byteOffset + r.bytes!.length);
    expect(behind.length).toBe(listed + 1 - got);
    expect(behind.every((x) => x === 0)).toBe(true);
  });

  it('a file that grew since it was listed is not taken as whole (the caller opens it)', () => {
    const r = readSmallFile(at('grew.pkl', BYTES), SIZE - 10);
    expect(r.bytes).toBeUndefined();
    expect(r.bytesRead).toBe(SIZE - 9);
  });

  it('a missing file is IO_ERROR naming it', () => {
    const p = join(tmp, 'gone.pkl');
    let err: unknown;
    try {
      readSmallFile(p, 10);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining(p) as string });
  });
});
