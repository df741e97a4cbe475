/**
 * Small local files are read whole at the size the walk listed (readAll), not opened and stat'ed again:
 * the dispatcher's result must be what reading through a FileReader gives, also when the file changed
 * between the listing and the scan (it grew: opened as usual and read to its new end; it shrank: what is there).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactFile } from '../../src/artifact/types.js';
import { DEFAULT_BUDGETS } from '../../src/model/budgets.js';
import { scanFile } from '../../src/scanners/dispatch.js';
import { localArtifact } from '../../src/sources/local.js';
import { FIXTURES } from '../helpers/cli.js';

const BENIGN = join(FIXTURES, 'pickle', 'benign', 'big-int-p2.pkl'); // 1,294 bytes
const TINY = join(FIXTURES, 'pickle', 'benign', 'none-p2.pkl'); // 4 bytes
const EVIL = join(FIXTURES, 'pickle', 'malicious', 'e1-builtins-exec-p4.pkl'); // 50 bytes
const tmp = mkdtempSync(join(tmpdir(), 'mlvet-small-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function listed(name: string, from: string): Promise<{ file: ArtifactFile; dir: string; close: () => Promise<void>; bytesRead: () => number }> {
  const dir = mkdtempSync(join(tmp, 'd-'));
  copyFileSync(from, join(dir, name));
  const a = localArtifact(dir);
  const files: ArtifactFile[] = [];
  for await (const f of a.files()) files.push(f);
  return { file: files[0]!, dir, close: () => a.close(), bytesRead: () => a.bytesRead() };
}

const globals = (facts: Array<{ kind: string; data?: unknown }>): string[] =>
  facts.filter((f) => f.kind === 'pickle.global').map((f) => { const d = f.data as { module: string; name: string }; return `${d.module}.${d.name}`; });

describe('a small local file scanned at its listed size', () => {
  it.each([
    ['unchanged', BENIGN, BENIGN],
    ['grew after the listing (a 4-byte pickle replaced by a 50-byte malicious one)', TINY, EVIL],
    ['shrank after the listing (a benign pickle replaced by a shorter malicious one)', BENIGN, EVIL],
    ['grew after the listing, past what is read whole', TINY, join(FIXTURES, 'pickle', 'malicious', 'e14-deep-nesting-dict.pkl')],
  ])('%s: the facts of the bytes on disk at scan time, bytesRead as a FileReader counts', async (_name, before, after) => {
    const l = await listed('m.pkl', before);
    writeFileSync(join(l.dir, 'm.pkl'), readFileSync(after));
    const budgets = { ...DEFAULT_BUDGETS, maxSecondsPerFile: 10 };
    const got = await scanFile(l.file, { budgets });
    const viaReader = await scanFile({ path: l.file.path, size: l.file.size, open: () => l.file.open() }, { budgets });
    await l.close();
    const size = readFileSync(after).length;
    expect(got.facts).toEqual(viaReader.facts);
    expect(got.inconclusive).toEqual(viaReader.inconclusive);
    expect(got.formats).toEqual(viaReader.formats);
    expect(got.formats.map((f) => [f.path, f.format, f.scanners[0]])).toEqual([['m.pkl', 'pickle', 'pickle']]);
    expect(globals(got.facts).length > 0).toBe(after !== BENIGN);
    expect(got.bytesRead).toBe(viaReader.bytesRead);
    if (size <= 64 * 1024) expect(got.bytesRead).toBe(size);
  });
});
