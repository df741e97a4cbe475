/**
 * The lineage half of a manifest: sources (pinned or not), transforms, DVC import, several sets,
 * and the graph checks (dangling references, cycles).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineageProblems } from '../../src/lineage/native/graph.js';
import { parseSourceFlag, pinningProblems } from '../../src/lineage/native/sources.js';
import type { LineagePredicate, LineageStatement } from '../../src/lineage/native/statement.js';
import { sign } from '../../src/lineage/sign.js';
import { loadTrust } from '../../src/lineage/trust.js';
import { verifyManifest } from '../../src/lineage/verify.js';
import { makeKey, tempDir } from './helpers.js';

const C40 = '0123456789abcdef0123456789abcdef01234567';
const H64 = 'ab'.repeat(32);

describe('source pinning: a source must name a commit or a digest', () => {
  it.each([
    [`hf=hf://org/model@${C40}`, []],
    ['hf=hf://org/model@main', ['SOURCE_UNPINNED']],
    [`ds=hf://datasets/org/data@${C40}`, []],
    [`s3=s3://bucket/key.parquet?versionId=3HL4kqtJ#sha256=${H64}`, []],
    ['s3=s3://bucket/key.parquet?versionId=3HL4kqtJ', ['SOURCE_WEAK_DIGEST']],
    ['s3=s3://bucket/key.parquet', ['SOURCE_UNPINNED']],
    [`url=https://example.org/stop.txt#sha256=${H64}`, []],
    ['url=https://example.org/stop.txt', ['SOURCE_UNPINNED']],
    [`url=https://example.org/stop.txt#md5=${'0'.repeat(32)}`, ['SOURCE_WEAK_DIGEST']],
    [`git=git+https://github.com/acme/prep@${C40}#tokenize.py`, []],
    ['git=git+https://github.com/acme/prep@main#tokenize.py', ['SOURCE_UNPINNED']],
  ])('%s → %j', (flag, codes) => {
    expect(pinningProblems(parseSourceFlag(flag)).map((p) => p.code)).toEqual(codes);
  });
});

const base = (over: Partial<LineagePredicate>): LineagePredicate => ({
  spec: '0.1',
  createdOn: '2026-01-01T00:00:00Z',
  tool: { name: 'mlvet', version: 't' },
  sets: [
    { name: 'raw', root: 'raw', complete: true, hash: 'sha256', files: [] },
    { name: 'clean', root: 'clean', complete: true, hash: 'sha256', files: [], producedBy: 'dedup' },
  ],
  sources: [{ name: 'crawl', uri: 'https://x', digest: { sha256: H64 } }],
  ...over,
});

describe('lineage graph', () => {
  it.each([
    ['consistent', base({ transforms: [{ id: 'dedup', resolvedDependencies: [{ name: 'raw' }, { name: 'crawl' }], outputs: ['clean'] }] }), []],
    ['unknown input', base({ transforms: [{ id: 'dedup', resolvedDependencies: [{ name: 'nope' }], outputs: ['clean'] }] }), ['LINEAGE_DANGLING']],
    ['unknown output', base({ transforms: [{ id: 'dedup', resolvedDependencies: [], outputs: ['ghost'] }] }), ['LINEAGE_DANGLING']],
    ['producedBy names no transform', base({ transforms: [] }), ['LINEAGE_DANGLING']],
    [
      'two transforms feeding each other',
      base({
        transforms: [
          { id: 'dedup', resolvedDependencies: [{ name: 'raw' }], outputs: ['clean'] },
          { id: 'back', resolvedDependencies: [{ name: 'clean' }], outputs: ['raw'] },
        ],
      }),
      ['LINEAGE_CYCLE'],
    ],
  ])('%s', (_n, p, codes) => {
    expect(lineageProblems(p).map((x) => x.code)).toEqual(codes);
  });
});

function project(dir: string): void {
  for (const [p, c] of Object.entries({
    'data/raw/a.csv': 'x,y\n1,2\n',
    'data/raw/b.csv': 'x,y\n3,4\n',
    'data/clean/train.csv': 'x,y\n1,2\n',
    'models/m1/weights.bin': 'w',
    'prep.py': 'print(1)\n',
  })) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
}

describe('signing lineage', () => {
  it('several sets, sources and a transform spec round-trip; unpinned sources warn', async () => {
    const dir = tempDir();
    project(dir);
    const key = makeKey(dir, 'ed25519');
    writeFileSync(join(dir, 't.json'), JSON.stringify({ id: 'train', command: 'python train.py', resolvedDependencies: [{ name: 'data/clean' }, { name: 'base' }], outputs: ['models/m1'] }));
    const out = join(dir, 'lineage.sigstore.json');
    const r = await sign({
      targets: [join(dir, 'data/clean'), join(dir, 'models/m1')],
      key: key.priv,
      out,
      sources: ['base=hf://org/base@main'],
      transformFiles: [join(dir, 't.json')],
      base: dir,
    });
    writeFileSync(out, r.bundle);
    expect(r.warnings.map((w) => w.code)).toEqual(['SOURCE_UNPINNED']);
    const st = r.statement as LineageStatement;
    expect(st.subject.map((s) => s.name)).toEqual(['data/clean', 'models/m1']);
    const v = await verifyManifest({ target: dir, manifest: out, trust: loadTrust({ trustedKeys: [key.pubFile] }) });
    expect(v.status).toBe('verified');
    expect(v.problems.map((p) => p.code)).toEqual(['SOURCE_UNPINNED']);
    expect(v.sets.map((s) => [s.name, s.verified])).toEqual([
      ['data/clean', 1],
      ['models/m1', 1],
    ]);
  });

  it('a transform that references nothing known is refused at signing', async () => {
    const dir = tempDir();
    project(dir);
    const key = makeKey(dir, 'ed25519');
    writeFileSync(join(dir, 't.json'), JSON.stringify([{ id: 'x', resolvedDependencies: [{ name: 'nowhere' }], outputs: [] }]));
    await expect(sign({ targets: [join(dir, 'data/clean')], key: key.priv, out: join(dir, 'o.json'), transformFiles: [join(dir, 't.json')], base: dir })).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it('--from-dvc: stages become transforms, outputs sets (MD5 as weak extra), inputs pinned by SHA-256', async () => {
    const dir = tempDir();
    project(dir);
    writeFileSync(
      join(dir, 'dvc.lock'),
      [
        'schema: "2.0"',
        'stages:',
        '  clean:',
        '    cmd: python prep.py data/raw data/clean/train.csv',
        '    deps:',
        '    - path: data/raw',
        '      md5: 0e5e6f7e2c4c1b2a3d4e5f60718293a4.dir',
        '    - path: prep.py',
        '      hash: md5',
        '      md5: 5a7b0ea7d4c1b8d7b0a1c2d3e4f50617',
        '    params:',
        '      params.yaml:',
        '        min_len: 20',
        '    outs:',
        '    - path: data/clean/train.csv',
        '      hash: md5',
        '      md5: 9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e',
        '  train:',
        '    cmd: python train.py',
        '    deps:',
        '    - path: data/clean/train.csv',
        '      md5: 9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e',
        '    - path: remote.bin',
        '      md5: 00112233445566778899aabbccddeeff',
        '    outs:',
        '    - path: models/m1',
        '      md5: 1234.dir',
        '',
      ].join('\n'),
    );
    const key = makeKey(dir, 'p256');
    const out = join(dir, 'dvc.sigstore.json');
    const r = await sign({ targets: [], key: key.priv, out, fromDvc: join(dir, 'dvc.lock') });
    writeFileSync(out, r.bundle);
    const p = (r.statement as LineageStatement).predicate;
    expect(p.transforms!.map((t) => [t.id, t.externalParameters?.command, t.outputs])).toEqual([
      ['clean', 'python prep.py data/raw data/clean/train.csv', ['data/clean/train.csv']],
      ['train', 'python train.py', ['models/m1']],
    ]);
    const trainCsv = p.sets.find((s) => s.name === 'data/clean/train.csv')!;
    expect(Object.keys(trainCsv.files[0]!.digest).sort()).toEqual(['md5', 'sha256']);
    expect(trainCsv.producedBy).toBe('clean');
    const src = Object.fromEntries(p.sources!.map((s) => [s.name, Object.keys(s.digest ?? {}).sort()]));
    expect(src).toEqual({ 'data/raw': ['dirHash'], 'prep.py': ['md5', 'sha256'], 'remote.bin': ['md5'] });
    const v = await verifyManifest({ target: dir, manifest: out, trust: loadTrust({ trustedKeys: [key.pubFile] }) });
    expect(v.problems.map((x) => [x.code, x.source ?? x.path])).toEqual([['SOURCE_WEAK_DIGEST', 'remote.bin']]);
    writeFileSync(join(dir, 'data/clean/train.csv'), 'x,y\n9,9\n');
    const bad = await verifyManifest({ target: dir, manifest: out, trust: loadTrust({ trustedKeys: [key.pubFile] }) });
    expect(bad.problems.map((x) => x.code)).toContain('DIGEST_MISMATCH');
    expect(readFileSync(out, 'utf8')).not.toContain('PRIVATE');
  });
});
