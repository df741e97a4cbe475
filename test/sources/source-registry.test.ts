/**
 * The source registry (src/sources/index.ts) is a list of records; everything that asks "which
 * scheme is this" (openTarget, verify, validate, lineage `--source`) derives from it. These tables
 * check every record, the routing of each prefix, and what each record's provenance writes and judges.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { isRemote, openTarget, provenanceOf, RESOLVERS, SOURCES, sourceFor } from '../../src/sources/index.js';
import { parseSourceFlag, pinningProblems } from '../../src/lineage/native/sources.js';
import { MlvetError } from '../../src/errors.js';

const C40 = '0123456789abcdef0123456789abcdef01234567';
const H64 = 'ab'.repeat(32);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e: unknown) {
    return e instanceof MlvetError ? String(e.code) : `not an MlvetError: ${String(e)}`;
  }
}

describe('source registry', () => {
  it('lists hf, s3 and https, each kind, prefix and provenance kind once', () => {
    expect(SOURCES.map((s) => s.kind)).toEqual(['hf', 's3', 'https']);
    const prefixes = SOURCES.flatMap((s) => s.prefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    const provenance = SOURCES.map((s) => s.provenance.kind);
    expect(provenance).toEqual(['huggingface', 's3', 'url']);
    // lineage judges these itself; a source must not take their names
    expect(provenance.filter((k) => ['git', 'other', 'dvc', 'local'].includes(k))).toEqual([]);
    expect(RESOLVERS.map((r) => [r.prefix, r.resolve])).toEqual(SOURCES.flatMap((s) => s.prefixes.map((p) => [p, s.open])));
    expect(Object.isFrozen(RESOLVERS)).toBe(true);
  });

  it.each(SOURCES.map((s) => [s.kind, s] as const))('%s is well-formed and lives in src/sources/<kind>/', (kind, s) => {
    expect(kind).toMatch(/^[a-z0-9]+$/);
    expect(existsSync(join(ROOT, 'src', 'sources', kind, 'index.ts'))).toBe(true);
    expect(s.prefixes.length).toBeGreaterThan(0);
    for (const p of s.prefixes) expect(p).toMatch(/^[a-z][a-z0-9+.-]*:\/\/$/);
    expect(typeof s.open).toBe('function');
    expect(provenanceOf(s.provenance.kind)).toBe(s.provenance);
  });

  it.each(SOURCES.flatMap((s) => s.prefixes.map((p) => [p, s.kind] as const)))('%s routes to %s, and --offline refuses it before any request', async (prefix, kind) => {
    expect(sourceFor(`${prefix}org/name`)?.kind).toBe(kind);
    expect(isRemote(`${prefix}org/name`)).toBe(true);
    expect(await codeOf(openTarget(`${prefix}org/name`, { offline: true }))).toBe('OFFLINE');
  });

  it.each([
    ['gs://bucket/key', true, 'USAGE'],
    ['HF://org/name', true, 'USAGE'],
    ['file:///tmp/x', true, 'USAGE'],
    ['no-such-dir/model.bin', false, 'NOT_FOUND'],
    ['/no/such/abs/path', false, 'NOT_FOUND'],
  ])('%s: remote %s, openTarget fails with %s', async (target, remote, code) => {
    expect(sourceFor(target)).toBeUndefined();
    expect(isRemote(target)).toBe(remote);
    expect(await codeOf(openTarget(target, { offline: true, cwd: ROOT }))).toBe(code);
  });
});

describe('source provenance: what `--source name=uri` records and how it is judged', () => {
  it.each([
    [`hf://org/model@${C40}`, { mlvetKind: 'huggingface', repoType: 'model', revision: C40 }, { gitCommit: C40 }, []],
    ['hf://datasets/org/data@main', { mlvetKind: 'huggingface', repoType: 'dataset', revision: 'main' }, undefined, ['SOURCE_UNPINNED:mutable-revision']],
    ['hf://spaces/org/app', { mlvetKind: 'huggingface', repoType: 'space', revision: 'main' }, undefined, ['SOURCE_UNPINNED:mutable-revision']],
    // a path inside the repo is not the documented form: recorded as `other`, pinned only by a digest
    [`hf://org/model@${C40}/config.json`, { mlvetKind: 'other' }, undefined, ['SOURCE_UNPINNED:no-digest']],
    [`s3://bucket/key?versionId=v1#sha256=${H64}`, { mlvetKind: 's3', versionId: 'v1' }, { sha256: H64 }, []],
    ['s3://bucket/key?versionId=v1', { mlvetKind: 's3', versionId: 'v1' }, undefined, ['SOURCE_WEAK_DIGEST:weak-digest']],
    ['s3://bucket/key', { mlvetKind: 's3' }, undefined, ['SOURCE_UNPINNED:no-version']],
    [`http://example.org/a.txt#md5=${'0'.repeat(32)}`, { mlvetKind: 'url' }, { md5: '0'.repeat(32) }, ['SOURCE_WEAK_DIGEST:weak-digest']],
    [`git+https://github.com/acme/prep@${C40}`, { mlvetKind: 'git' }, { gitCommit: C40 }, []],
    ['ftp://example.org/a.txt', { mlvetKind: 'other' }, undefined, ['SOURCE_UNPINNED:no-digest']],
  ])('%s', (uri, annotations, digest, problems) => {
    const s = parseSourceFlag(`src=${uri}`);
    expect(s.annotations).toEqual(annotations);
    expect(s.digest).toEqual(digest);
    expect(pinningProblems(s).map((p) => `${p.code}:${p.reason}`)).toEqual(problems);
  });

  it.each([
    // recorded without annotations (older statements): the kind comes from the URI's source
    [{ name: 'a', uri: 'hf://org/model@main' }, ['SOURCE_UNPINNED:mutable-revision']],
    [{ name: 'a', uri: 's3://bucket/key' }, ['SOURCE_UNPINNED:no-version']],
    [{ name: 'a', uri: 'https://example.org/a', digest: { sha256: H64 } }, []],
    [{ name: 'a', uri: 'git+https://h/r@main' }, ['SOURCE_UNPINNED:mutable-ref']],
  ])('%j without annotations', (s, problems) => {
    expect(pinningProblems(s).map((p) => `${p.code}:${p.reason}`)).toEqual(problems);
  });
});
