/**
 * Hostile manifests and targets: each gets its own code and the exit code the CLI contract names
 * (3 = manifest unusable, 1 = integrity finding, 2 = could not read). All are validly signed where
 * that matters, so the checks behind the signature are what is tested.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliJson } from '../helpers/cli.js';
import { buildStatement, type LineagePredicate } from '../../src/lineage/native/statement.js';
import { sign } from '../../src/lineage/sign.js';
import { verify } from '../../src/lineage/verify-report.js';
import { makeKey, signStatement, tempDir, type TestKey } from './helpers.js';

let dir: string;
let model: string;
let key: TestKey;
let good: string;

const predicate = (over: Partial<LineagePredicate> = {}): LineagePredicate => ({
  spec: '0.1',
  createdOn: '2026-11-23T12:00:00Z',
  tool: { name: 'mlvet', version: 'test' },
  sets: [
    {
      name: 'model',
      root: '.',
      complete: true,
      hash: 'sha256',
      files: [
        {
          path: 'a.txt',
          size: 2,
          digest: { sha256: 'c0b7a3b0f3a1f1c5a8f0e5a8ab0c8f6a7c3e0a2fe7ea0e8b7b1b5c0f1b9e8a7c' },
        },
      ],
    },
  ],
  ...over,
});

beforeAll(async () => {
  dir = tempDir();
  model = join(dir, 'model');
  mkdirSync(join(model, 'sub'), { recursive: true });
  writeFileSync(join(model, 'a.txt'), 'a\n');
  writeFileSync(join(model, 'sub', 'b.txt'), 'b\n');
  key = makeKey(dir, 'ed25519');
  good = (await sign({ targets: [model], key: key.priv, out: join(dir, 'good.json') })).bundle;
});

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

interface BundleJson {
  mediaType: string;
  dsseEnvelope: { payload: string; payloadType: string; signatures: Array<{ sig: string; keyid: string }> };
}
type Mutate = (bundle: BundleJson) => void;
const mutated = (name: string, m: Mutate): string => {
  const b = JSON.parse(good) as BundleJson;
  m(b);
  return write(name, JSON.stringify(b));
};

async function outcome(
  manifest: string,
  target = model,
): Promise<{ codes: string[]; exit: number; rules: string[] }> {
  const o = await verify({ target, manifest, trustedKeys: [key.pubFile], cwd: dir });
  return {
    codes: o.result.problems.map((p) => p.code),
    exit: o.exitCode('medium'),
    rules: o.report.findings.map((f) => f.ruleId),
  };
}

const CASES: Array<[string, string, number, () => string]> = [
  [
    'truncated bundle',
    'BUNDLE_INVALID',
    3,
    () => write('truncated.json', good.slice(0, Math.floor(good.length / 2))),
  ],
  [
    'wrong media type',
    'BUNDLE_INVALID',
    3,
    () => mutated('media.json', (b) => (b.mediaType = 'application/json')),
  ],
  [
    'two signatures',
    'BUNDLE_INVALID',
    3,
    () => mutated('two.json', (b) => void b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]!)),
  ],
  [
    'payload type swapped',
    'PAYLOAD_UNSUPPORTED',
    3,
    () => mutated('ptype.json', (b) => (b.dsseEnvelope.payloadType = 'text/plain')),
  ],
  [
    'signature not base64',
    'BUNDLE_INVALID',
    3,
    () => mutated('b64.json', (b) => (b.dsseEnvelope.signatures[0]!.sig = '!!notbase64!!')),
  ],
  [
    'payload altered after signing',
    'SIGNATURE_INVALID',
    1,
    () =>
      mutated('alt.json', (b) => (b.dsseEnvelope.payload = Buffer.from('{"_type":"x"}').toString('base64'))),
  ],
  [
    'path with ..',
    'PATH_UNSAFE',
    1,
    () =>
      write(
        'dotdot.json',
        signStatement(
          key.priv,
          buildStatement(
            predicate({
              sets: [
                {
                  ...predicate().sets[0]!,
                  files: [{ path: '../outside.txt', size: 1, digest: { sha256: 'a'.repeat(64) } }],
                  complete: false,
                },
              ],
            }),
          ),
        ),
      ),
  ],
  [
    'schema-invalid predicate',
    'STATEMENT_INVALID',
    3,
    () =>
      write(
        'schema.json',
        signStatement(key.priv, {
          ...buildStatement(predicate()),
          predicate: { ...predicate(), sets: 'nope' },
        }),
      ),
  ],
  [
    'signed payload not JSON',
    'STATEMENT_INVALID',
    3,
    () => write('notjson.json', signStatement(key.priv, null, Buffer.from('not json'))),
  ],
  [
    'unknown predicate type',
    'PAYLOAD_UNSUPPORTED',
    3,
    () =>
      write(
        'ptype2.json',
        signStatement(key.priv, {
          ...buildStatement(predicate()),
          predicateType: 'https://example.com/other',
        }),
      ),
  ],
  [
    'subject digest inconsistent with files',
    'STATEMENT_INVALID',
    3,
    () =>
      write(
        'subj.json',
        signStatement(key.priv, {
          ...buildStatement(predicate()),
          subject: [{ name: 'model', digest: { dirHash: 'b'.repeat(64) } }],
        }),
      ),
  ],
];

describe('adversarial manifests', () => {
  it.each(CASES)('%s → %s, exit %i', async (_name, code, exit, make) => {
    const o = await outcome(make());
    expect(o.codes).toEqual([code]);
    expect(o.exit).toBe(exit);
    expect(o.rules).toEqual([`lineage/${code.toLowerCase().replace(/_/g, '-')}`]);
  });

  it('a symlink in the target is PATH_UNSAFE (not followed), exit 1', async () => {
    const copy = join(dir, 'linked');
    mkdirSync(copy);
    writeFileSync(join(copy, 'a.txt'), 'a\n');
    mkdirSync(join(copy, 'sub'));
    symlinkSync('/etc/hostname', join(copy, 'sub', 'b.txt'));
    const manifest = write('for-link.json', good);
    const o = await outcome(manifest, copy);
    expect(o.codes).toEqual(['PATH_UNSAFE']);
    expect(o.exit).toBe(1);
  });

  it('nothing from the payload is reported when the key is not trusted', async () => {
    const other = makeKey(dir, 'p256', 'other');
    const o = await verify({ target: model, manifest: write('g2.json', good), trustedKeys: [other.pubFile] });
    expect(o.result.problems.map((p) => p.code)).toEqual(['KEY_UNTRUSTED']);
    expect(o.report.lineage).toEqual({
      manifest: join(dir, 'g2.json'),
      status: 'untrusted',
      signature: 'failed',
      problems: { KEY_UNTRUSTED: 1 },
    });
  });

  it('CLI: truncated bundle exits 3 with the finding in the JSON report', async () => {
    const r = await runCliJson([
      'verify',
      model,
      '--manifest',
      write('t2.json', good.slice(0, 100)),
      '--trusted-key',
      key.pubFile,
    ]);
    expect(r.code).toBe(3);
    expect((r.report.findings as Array<{ ruleId: string }>).map((f) => f.ruleId)).toEqual([
      'lineage/bundle-invalid',
    ]);
  });

  it('a file that cannot be read is inconclusive (exit 2), not clean and not tampering', async () => {
    const { lineageInconclusive } = await import('../../src/lineage/report.js');
    const entries = lineageInconclusive({
      manifest: 'm',
      status: 'verified',
      problems: [],
      unreadable: [{ path: 'a.bin', message: 'EACCES' }],
      sets: [],
    });
    expect(entries.map((e) => [e.path, e.code])).toEqual([['a.bin', 'IO_ERROR']]);
    const { exitCodeFor } = await import('../../src/findings/report.js');
    expect(exitCodeFor({ findings: [], inconclusive: entries }, 'medium')).toBe(2);
  });

  it('a trust file with a key outside its validity window does not verify', async () => {
    const trustFile = write(
      'trust.json',
      JSON.stringify({
        keys: [{ name: 'old', pem: readFileSync(key.pubFile, 'utf8'), validUntil: '2020-01-01T00:00:00Z' }],
      }),
    );
    const o = await verify({ target: model, manifest: write('g3.json', good), trustFile });
    expect(o.result.problems.map((p) => [p.code, p.reason])).toEqual([
      ['KEY_UNTRUSTED', 'key-outside-validity'],
    ]);
  });
});
