/**
 * Issue 10, item 2: ZIP members compressed with bzip2 or LZMA are decompressed (same budgets as deflate)
 * and scanned (LZMA in detail: zip-lzma.test.ts). Both get the info fact that PyTorch cannot load the member. Fixtures are Python zipfile output (make_zip_methods.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codes, ruleIds, scanBytes } from '../helpers/scan-bytes.js';

const fx = (name: string): Buffer => readFileSync(new URL(`../../fixtures/formats/zip-methods/${name}`, import.meta.url));
const NOTE = 'zip/method-not-loadable-by-torch';

describe('zipfile-written bzip2 and LZMA members', () => {
  it.each<[string, string[], string[]]>([
    ['benign-bzip2.zip', [NOTE], []],
    ['malicious-bzip2.zip', ['pickle/code-execution', NOTE], []],
    ['benign-lzma.zip', [NOTE], []],
    ['malicious-lzma.zip', ['pickle/code-execution', NOTE], []],
  ])('%s → rules %j, inconclusive %j', async (name, rules, want) => {
    const r = await scanBytes(fx(name), name);
    expect(ruleIds(r)).toEqual(rules);
    expect(codes(r)).toEqual(want);
    const note = r.findings.filter((f) => f.ruleId === NOTE);
    expect(note.every((f) => f.severity === 'info')).toBe(true);
  }, 10_000);

  it('the bzip2 payload is found inside the member', async () => {
    const r = await scanBytes(fx('malicious-bzip2.zip'), 'bundle.zip');
    const hit = r.findings.find((f) => f.ruleId === 'pickle/code-execution');
    expect(hit?.location.member).toBe('model.pkl');
  });
});

describe('bzip2 variants', () => {
  it.each<[string, string[]]>([
    ['malicious-bzip2-p2.zip', ['pickle/code-execution', NOTE]],
    ['benign-bzip2-nested-checkpoint.zip', [NOTE]],
  ])('%s → %j, nothing inconclusive', async (name, rules) => {
    const r = await scanBytes(fx(name), name);
    expect([ruleIds(r), codes(r)]).toEqual([rules, []]);
  }, 10_000);

  it('a corrupt bzip2 member is inconclusive, never clean', async () => {
    const zip = Buffer.from(fx('malicious-bzip2.zip'));
    const data = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
    zip.fill(0, data + 10, data + 40);
    const r = await scanBytes(zip, 'bundle.zip');
    expect(codes(r)).toEqual(['PARSE_ERROR']);
  }, 10_000);
});
