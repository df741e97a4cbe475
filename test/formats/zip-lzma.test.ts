/**
 * Issue 10, item 2 (LZMA half): ZIP method 14 members (raw LZMA1) are decoded by our own bounded
 * decoder (src/formats/compress/lzma.ts) under the streamed budgets and scanned, and keep the note
 * that PyTorch cannot load them. Fixtures: Python zipfile / liblzma output (make_zip_lzma.py).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { decompress } from '../../src/formats/compress/decompress.js';
import { parseProps } from '../../src/formats/compress/lzma.js';
import { codes, ruleIds, scanBytes } from '../helpers/scan-bytes.js';

const dir = new URL('../../fixtures/formats/zip-lzma/', import.meta.url);
const fx = (name: string): Buffer => readFileSync(new URL(name, dir));
const NOTE = 'zip/method-not-loadable-by-torch';
const LIM = { maxOutput: 1 << 24, maxRatio: 1000, maxInMemoryInput: 1 << 24, deadline: Date.now() + 60_000 };

describe('zipfile-written LZMA members', () => {
  it.each<[string, string[], string[]]>([
    ['benign-lzma.zip', [NOTE], []],
    ['benign-lzma-no-eos.zip', [NOTE], []],
    ['malicious-lzma.zip', ['pickle/code-execution', NOTE], []],
    ['malicious-lzma-no-eos.zip', ['pickle/code-execution', NOTE], []],
    ['truncated-lzma.zip', [NOTE], ['TRUNCATED']],
    ['corrupt-lzma.zip', [NOTE], ['PARSE_ERROR']],
    ['hostile-dict-lzma.zip', [NOTE], ['LIMIT_EXCEEDED']],
    ['hostile-props-lzma.zip', [NOTE], ['PARSE_ERROR']],
    ['bomb-lzma.zip', ['archive/decompression-bomb', NOTE], ['LIMIT_EXCEEDED']],
  ])(
    '%s → rules %j, inconclusive %j',
    async (name, rules, want) => {
      const r = await scanBytes(fx(name), name);
      expect([ruleIds(r), codes(r)]).toEqual([rules, want]);
      expect(r.findings.filter((f) => f.ruleId === NOTE).map((f) => [f.severity, f.location.member])).toEqual(
        [['info', 'model.pkl']],
      );
      // a parse error names the member and the file offset; a budget stop names the budget
      for (const i of r.inconclusive)
        expect(i.message).toMatch(
          i.code === 'LIMIT_EXCEEDED' && name.startsWith('bomb')
            ? /^model\.pkl: compression ratio/
            : /^model\.pkl: .*offset \d+/,
        );
    },
    10_000,
  );

  it('the payload is found inside the member', async () => {
    const r = await scanBytes(fx('malicious-lzma.zip'), 'bundle.zip');
    expect(r.findings.find((f) => f.ruleId === 'pickle/code-execution')?.location.member).toBe('model.pkl');
  });
});

interface Stream {
  file: string;
  lc: number;
  lp: number;
  pb: number;
  dictSize: number;
  size: number;
  sha256: string;
  /** written without an end marker: only the size ends it */
  noMarker?: boolean;
}
const manifest = JSON.parse(readFileSync(new URL('streams/manifest.json', dir), 'utf8')) as Stream[];

async function decode(
  s: Stream,
  eos: boolean,
  lim = LIM,
): Promise<{ bytes: Uint8Array; error?: string; budget?: string }> {
  const raw = fx(`streams/${s.file}`);
  const props = { lc: s.lc, lp: s.lp, pb: s.pb, dictSize: s.dictSize };
  const d = await decompress(new BufferReader(raw), 0, raw.length, 'lzma', lim, {
    props,
    eos,
    size: s.size,
    base: 0,
  });
  const bytes = await d.reader.read(0, d.reader.size);
  return { bytes, ...(d.error ? { error: d.error.code } : {}), ...(d.budget ? { budget: d.budget } : {}) };
}

describe('raw LZMA1 streams made by liblzma decode to the original bytes', () => {
  it.each(manifest.map((s) => [s.file, s] as const))('%s, with the end marker and by size', async (_f, s) => {
    for (const eos of s.noMarker ? [false] : [true, false]) {
      const d = await decode(s, eos);
      const hash = createHash('sha256').update(d.bytes).digest('hex');
      expect([d.error, d.bytes.length, hash]).toEqual([undefined, s.size, s.sha256]);
    }
    // with no marker, a decoder told to expect one runs off the end
    if (s.noMarker) expect((await decode(s, true)).error).toMatch(/^(TRUNCATED|PARSE_ERROR)$/);
  });

  it('output past the size budget stops as LIMIT_EXCEEDED with the partial output', async () => {
    const s = manifest.find((m) => m.file.startsWith('patterned-200k'))!;
    const d = await decode(s, true, { ...LIM, maxOutput: 100_000 });
    expect([d.error, d.budget, d.bytes.length]).toEqual(['LIMIT_EXCEEDED', 'size', 100_000]);
  });

  it('mutated streams end (decoded or with a coded error), never throw or hang', async () => {
    const s = manifest.find((m) => m.file.startsWith('patterned-1k'))!;
    const raw = fx(`streams/${s.file}`);
    const props = { lc: s.lc, lp: s.lp, pb: s.pb, dictSize: s.dictSize };
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const b = Uint8Array.from(raw);
      const at = 5 + ((i * 7919) % (b.length - 5));
      b[at] = b[at]! ^ (1 + (i % 255));
      for (const eos of [true, false]) {
        const d = await decompress(new BufferReader(b), 0, b.length, 'lzma', LIM, {
          props,
          eos,
          size: s.size,
          base: 0,
        });
        seen.add(d.error?.code ?? 'ok');
        expect(d.outBytes).toBeLessThanOrEqual(s.size);
      }
    }
    expect([...seen].every((c) => ['ok', 'PARSE_ERROR', 'TRUNCATED'].includes(c))).toBe(true);
    expect(seen.has('PARSE_ERROR')).toBe(true);
  });

  it.each<[string, number, number, string | undefined]>([
    ['lc=3 lp=0 pb=2, 64 KiB', 0x5d, 1 << 16, undefined],
    ['lc=8 lp=4 pb=4 (largest legal)', 224, 1 << 16, undefined],
    ['props byte 225', 225, 1 << 16, 'PARSE_ERROR'],
    ['64 MiB dictionary', 0x5d, 64 << 20, undefined],
    ['64 MiB + 1 dictionary', 0x5d, (64 << 20) + 1, 'LIMIT_EXCEEDED'],
    ['4 GiB - 1 dictionary', 0x5d, 0xffffffff, 'LIMIT_EXCEEDED'],
  ])('properties %s', (_n, byte, dict, code) => {
    const b = new Uint8Array(5);
    b[0] = byte;
    new DataView(b.buffer).setUint32(1, dict >>> 0, true);
    const p = parseProps(b, 0, 100);
    expect('code' in p ? p.code : undefined).toBe(code);
  });
});
