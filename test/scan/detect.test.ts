/**
 * detect() picks magic numbers by first byte and skips the text checks for heads whose first byte
 * cannot start UTF-8 text; these heads sit on the edges of both shortcuts (a magic's prefix, text led
 * by a multi-byte space or a BOM, PROTO pickles, a torch legacy head), and `detectSync` + `detectRest`
 * give the same label as `detect`.
 */
import { describe, expect, it } from 'vitest';
import { detect, detectRest, detectSync } from '../../src/scanners/detect.js';

const b = (...x: number[]): Uint8Array => Uint8Array.from(x);
const t = (s: string): Uint8Array => new TextEncoder().encode(s);
const LEGACY = b(0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e, 0x80, 0x02);

describe('detect', () => {
  it.each<[string, Uint8Array, number | undefined, string]>([
    ['zip local header', b(0x50, 0x4b, 0x03, 0x04, 0, 0), undefined, 'zip'],
    ['zip end record', b(0x50, 0x4b, 0x05, 0x06, 0, 0), undefined, 'zip'],
    ['a whole 2-byte file inside the zip magic', b(0x50, 0x4b), undefined, 'zip'],
    ['2 bytes of a longer file: no magic', b(0x50, 0x4b), 100, 'unknown'],
    ['a whole 1-byte 7z prefix', b(0x37), undefined, '7z'],
    ['xz', b(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1), undefined, 'xz'],
    ['a whole 3-byte xz prefix', b(0xfd, 0x37, 0x7a), undefined, 'xz'],
    ['0xfd then other bytes', b(0xfd, 0x37, 0x7b, 0x58), undefined, 'unknown'],
    ['PROTO 4 pickle', b(0x80, 0x04, 0x4e, 0x2e), undefined, 'pickle'],
    ['PROTO cut before its protocol', b(0x80), undefined, 'pickle'],
    ['torch legacy head', LEGACY, undefined, 'torch-legacy'],
    ['zlib', b(0x78, 0x9c, 0x03, 0x00), undefined, 'zlib'],
    ['JSON after a BOM', t('\uFEFF{"a": 1}'), undefined, 'json'],
    ['JSON after a no-break space', t('\u00a0{"a": 1}'), undefined, 'json'],
    ['JSON after an ideographic space', t('\u3000{}'), undefined, 'json'],
    ['Python after a line separator', t('\u2028\nimport os\n'), undefined, 'python'],
    ['a continuation byte before JSON', b(0x80, ...t('{"a": 1}')), undefined, 'unknown'],
    ['Jinja after a no-break space', t('\u00a0{{ x }}'), undefined, 'jinja'],
    ['empty', b(), 0, 'unknown'],
  ])('%s', async (_name, head, size, label) => {
    const n = size ?? head.length;
    expect(await detect(head, n)).toBe(label);
    expect(detectSync(head, n) ?? (await detectRest(head, n))).toBe(label);
  });
});
