/**
 * Issue 12: a directory of 160,000 files ended "Maximum call stack size exceeded" and the one
 * malicious pickle in it was never reported. The tree is generated here, in a temp dir, and removed.
 * The default run uses 150,000 entries (past the ~125,000 where the old code overflowed); `MLVET_BIG=1` runs the
 * million-entry model-store case (about 80 s to create on the CI box, more to scan). The tree goes to
 * /dev/shm when there is one (test/helpers/scratch.ts): on the loaded CI disk creating it took 5 to 35 s.
 */
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { localArtifact } from '../../src/sources/local.js';
import { scratchDir } from '../helpers/scratch.js';

const BIG = process.env.MLVET_BIG === '1';
const ENTRIES = BIG ? 1_000_000 : 150_000;
const PER_DIR = 1000;
const EVIL_AT = 'shard-0077/deeper/evil.pkl';
let root: string;
let created: number;

function makeTree(dir: string, n: number): void {
  for (let d = 0; d * PER_DIR < n; d++) {
    const sub = join(dir, `shard-${String(d).padStart(4, '0')}`);
    mkdirSync(sub);
    for (let i = 0; i < PER_DIR && d * PER_DIR + i < n; i++) closeSync(openSync(join(sub, `part-${i}.bin`), 'w'));
  }
  mkdirSync(join(dir, 'shard-0077', 'deeper'));
  copyFileSync('fixtures/pickle/malicious/e1-builtin-eval-p0.pkl', join(dir, EVIL_AT));
}

async function paths(target: string): Promise<string[]> {
  const a = localArtifact(target);
  const out: string[] = [];
  for await (const f of a.files()) out.push(f.path);
  return out;
}

describe(`a directory of ${ENTRIES} files`, () => {
  beforeAll(() => {
    root = scratchDir('mlvet-bigdir-');
    const t0 = Date.now();
    makeTree(root, ENTRIES);
    created = Date.now() - t0;
  }, BIG ? 900_000 : 240_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }), 600_000);

  it('streams every file in sorted order', async () => {
    const list = await paths(root);
    expect(list.length).toBe(ENTRIES + 1);
    expect(list.every((p, i) => i === 0 || list[i - 1]! < p)).toBe(true);
    expect(list).toContain(EVIL_AT);
    expect(created).toBeGreaterThan(0);
  }, BIG ? 600_000 : 120_000);

  it('scan() reports the one malicious pickle', async () => {
    const r = await scan({ targets: [root] });
    expect(r.findings.map((f) => [f.ruleId, f.location.path])).toEqual([['pickle/code-execution', EVIL_AT]]);
    expect(r.targets[0]!.files).toBe(ENTRIES + 1);
  }, BIG ? 1_800_000 : 300_000);
});

describe('walk order and problems', () => {
  let small: string;
  beforeAll(() => {
    small = mkdtempSync(join(tmpdir(), 'mlvet-walk-'));
    for (const p of ['a/b', 'a-c', 'a/z/y', 'b', '.git/config', 'x/.git/HEAD', 'é', 'A']) {
      mkdirSync(join(small, p, '..'), { recursive: true });
      writeFileSync(join(small, p), '');
    }
    symlinkSync('/etc/hostname', join(small, 'escape'));
    symlinkSync('b', join(small, 'inlink'));
    symlinkSync('missing', join(small, 'broken'));
  });
  afterAll(() => rmSync(small, { recursive: true, force: true }));

  it.each([
    ['one global path sort, .git skipped, in-root links kept', ['A', 'a-c', 'a/b', 'a/z/y', 'b', 'inlink', 'é']],
  ])('%s', async (_name, want) => {
    expect(await paths(small)).toEqual(want);
  }, 10_000);

  it('reports escaping and broken links once per walk', async () => {
    const a = localArtifact(small);
    for (let k = 0; k < 2; k++) {
      for await (const f of a.files()) void f;
      expect(a.facts.map((f) => [f.kind, f.location.path])).toEqual([
        ['artifact.symlink-broken', 'broken'],
        ['artifact.symlink-escape', 'escape'],
      ]);
    }
  }, 10_000);
});
