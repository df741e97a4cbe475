/**
 * Sign then verify, for each key type and format, on a tree with nested folders, empty files,
 * non-ASCII names and `data.bin` next to `data/`; through the CLI as a user runs it.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli.js';
import { sign } from '../../src/lineage/sign.js';
import { loadTrust } from '../../src/lineage/trust.js';
import { verifyManifest } from '../../src/lineage/verify.js';
import { makeKey, tempDir } from './helpers.js';

function makeTree(root: string): string {
  const files: Record<string, string | Buffer> = {
    'config.json': '{"a":1}\n',
    'data.bin': Buffer.from([0, 1, 2, 3]),
    'data/part-0.bin': 'part zero',
    'data/deeper/nested/part-1.bin': Buffer.alloc(5000, 7),
    'empty.txt': '',
    'data/empty-too': '',
    'données/café.txt': 'accents',
    '日本語/モデル.bin': 'cjk',
    'emoji-🙂.txt': 'astral plane name',
  };
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

const MATRIX: Array<['ed25519' | 'p256' | 'p384', 'mlvet' | 'model-signing']> = [
  ['ed25519', 'mlvet'],
  ['p256', 'mlvet'],
  ['p384', 'mlvet'],
  ['p256', 'model-signing'],
  ['p384', 'model-signing'],
];

describe('round trips (library)', () => {
  it.each(MATRIX)('%s key, %s format: sign, verify clean, tamper, verify fails', async (alg, format) => {
    const dir = tempDir();
    const model = makeTree(join(dir, 'model'));
    const key = makeKey(dir, alg);
    // the manifest inside the signed directory is ignored by both formats
    const out = join(model, 'model.sigstore.json');
    const signed = await sign({ targets: [model], key: key.priv, out, format });
    writeFileSync(out, signed.bundle);
    expect(signed.files).toBe(9);
    const bundle = JSON.parse(signed.bundle) as { dsseEnvelope: { signatures: Array<{ keyid: string }>; payload: string } };
    const stmt = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as { predicateType: string; predicate: Record<string, unknown> };
    expect(stmt.predicateType).toBe(format === 'mlvet' ? 'https://mlvet.dev/lineage/v0.1' : 'https://model_signing/signature/v1.0');
    if (format === 'model-signing') {
      // as model_signing writes it: empty keyid, Python component order, empty files listed
      expect(bundle.dsseEnvelope.signatures[0]!.keyid).toBe('');
      const names = (stmt.predicate.resources as Array<{ name: string }>).map((r) => r.name);
      expect(names.indexOf('data/part-0.bin')).toBeLessThan(names.indexOf('data.bin'));
      expect(names).toContain('empty.txt');
    } else {
      const files = (stmt.predicate.sets as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
      expect(files.indexOf('data.bin')).toBeLessThan(files.indexOf('data/part-0.bin'));
      expect(files.indexOf('données/café.txt')).toBeLessThan(files.indexOf('emoji-🙂.txt'));
    }
    const trust = loadTrust({ trustedKeys: [key.pubFile] });
    const ok = await verifyManifest({ target: model, manifest: out, trust });
    expect([ok.status, ok.format, ok.problems]).toEqual(['verified', format, []]);
    writeFileSync(join(model, '日本語/モデル.bin'), 'CJK');
    const bad = await verifyManifest({ target: model, manifest: out, trust });
    expect(bad.problems.map((p) => [p.code, p.path])).toEqual([['DIGEST_MISMATCH', '日本語/モデル.bin']]);
  });
});

describe('through the CLI', () => {
  it('keygen, sign, verify, tamper: exit codes and JSON report', async () => {
    const dir = tempDir();
    const model = makeTree(join(dir, 'model'));
    const kg = await runCli(['keygen', '--alg', 'p256', '--out', join(dir, 'release')]);
    expect(kg.code).toBe(0);
    expect(kg.stdout).toMatch(/key id .*:\s+[0-9a-f]{64}/);
    expect(kg.stdout).not.toContain('PRIVATE KEY');
    expect(statSync(join(dir, 'release.key')).mode & 0o777).toBe(0o600);
    const out = join(dir, 'model.sigstore.json');
    const s = await runCli(['sign', model, '--key', join(dir, 'release.key'), '--out', out, '--no-progress']);
    expect([s.code, s.stderr]).toEqual([0, '']);
    const ok = await runCliJson(['verify', model, '--manifest', out, '--trusted-key', join(dir, 'release.pub')]);
    expect([ok.code, ok.report.findings, (ok.report.lineage as { status: string }).status]).toEqual([0, [], 'verified']);
    writeFileSync(join(model, 'data.bin'), 'changed');
    const bad = await runCliJson(['verify', model, '--manifest', out, '--trusted-key', join(dir, 'release.pub')]);
    expect(bad.code).toBe(1);
    expect((bad.report.findings as Array<{ ruleId: string; location: { path: string } }>).map((f) => [f.ruleId, f.location.path])).toEqual([
      ['lineage/size-mismatch', 'data.bin'],
    ]);
  });

  it('an encrypted key needs MLVET_KEY_PASSPHRASE, and a readable key file is refused', async () => {
    const dir = tempDir();
    const model = makeTree(join(dir, 'm'));
    const env = { MLVET_KEY_PASSPHRASE: 'correct horse' };
    expect((await runCli(['keygen', '--out', join(dir, 'k')], { env })).stdout).toContain('encrypted');
    expect(readFileSync(join(dir, 'k.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    const noPass = await runCli(['sign', model, '--key', join(dir, 'k.key'), '--out', join(dir, 'm.json')], { env: { MLVET_KEY_PASSPHRASE: '' } });
    expect([noPass.code, noPass.stderr]).toEqual([3, expect.stringContaining('KEY_INVALID')]);
    expect((await runCli(['sign', model, '--key', join(dir, 'k.key'), '--out', join(dir, 'm.json')], { env })).code).toBe(0);
    writeFileSync(join(dir, 'loose.key'), readFileSync(join(dir, 'k.key')), { mode: 0o644 });
    const loose = await runCli(['sign', model, '--key', join(dir, 'loose.key'), '--out', join(dir, 'm2.json')], { env });
    expect(loose.code).toBe(3);
    expect(loose.stderr).toContain('KEY_INVALID');
    expect(loose.stderr + loose.stdout).not.toContain('PRIVATE KEY-----');
  });

  it('MLVET_SIGNING_KEY supplies the key; model-signing format refuses Ed25519 as the reference does', async () => {
    const dir = tempDir();
    const model = makeTree(join(dir, 'm'));
    await runCli(['keygen', '--out', join(dir, 'e')]);
    const pem = readFileSync(join(dir, 'e.key'), 'utf8');
    const a = await runCli(['sign', model, '--out', join(dir, 'a.json')], { env: { MLVET_SIGNING_KEY: pem } });
    expect([a.code, a.stderr]).toEqual([0, '']);
    const ms = await runCli(['sign', model, '--out', join(dir, 'b.json'), '--format', 'model-signing'], { env: { MLVET_SIGNING_KEY: pem } });
    expect(ms.code).toBe(3);
    expect(ms.stderr).toContain('KEY_INVALID');
    expect(ms.stderr).not.toContain('PRIVATE KEY-----');
  });

  it('scan --manifest adds the verification to the scan report', async () => {
    const dir = tempDir();
    const model = makeTree(join(dir, 'model'));
    await runCli(['keygen', '--out', join(dir, 'k')]);
    const out = join(dir, 'm.sigstore.json');
    expect((await runCli(['sign', model, '--key', join(dir, 'k.key'), '--out', out])).code).toBe(0);
    const clean = await runCliJson(['scan', model, '--manifest', out, '--trusted-key', join(dir, 'k.pub')]);
    expect((clean.report.lineage as { status: string }).status).toBe('verified');
    writeFileSync(join(model, 'added.txt'), 'x');
    const bad = await runCliJson(['scan', model, '--manifest', out, '--trusted-key', join(dir, 'k.pub')]);
    expect(bad.code).toBe(1);
    expect((bad.report.findings as Array<{ ruleId: string }>).map((f) => f.ruleId)).toContain('lineage/file-extra');
  });
});
