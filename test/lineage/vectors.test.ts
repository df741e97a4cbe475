/**
 * Every model_signing vector is a test, and so are tampered copies of it: mlvet must reach the
 * reference tool's outcome (expected/outcomes.json) and name the reason with a code.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/lineage/bundle.js';
import { keyIds, loadPublicKeyPem } from '../../src/lineage/keys.js';
import { parseMsStatement } from '../../src/lineage/ms/statement.js';
import { loadTrust } from '../../src/lineage/trust.js';
import { verifyManifest, type VerifyResult } from '../../src/lineage/verify.js';
import { ROOT } from '../helpers/cli.js';
import { readJson, tempDir, vectorsDir, writableCopy } from './helpers.js';

const V = vectorsDir();
interface Vector {
  key: string;
  kind: string;
  'publicKey.hint': string | null;
  payload_sha256: string;
  payload_file: string;
  resources_in_listed_order: Array<[string, string, string]>;
  cli_verify_key?: { exit_code: number; last_line: string };
  cli_verify_certificate?: { exit_code: number; last_line: string };
  serialization: { method: string; hash_type: string; shard_size?: number };
}
const outcomes = readJson<{ vectors: Record<string, Vector> }>(join(V, 'expected', 'outcomes.json'));
const vectors = Object.entries(outcomes.vectors);

const codes = (r: VerifyResult): string[] => [...new Set(r.problems.map((p) => p.code))].sort();
const trustFor = (v: Vector, key = v.key) => loadTrust({ trustedKeys: [join(V, key)] });

/** What the reference CLI's last line says, as mlvet codes. */
function referenceCodes(line: string): string[] {
  const out: string[] = [];
  if (line.includes('Extra files')) out.push('FILE_EXTRA');
  if (line.includes('Missing files')) out.push('FILE_MISSING');
  if (line.includes('Hash mismatch')) out.push('DIGEST_MISMATCH');
  return out.sort();
}

/** Files per folder of the vendored vectors (fixtures/vectors/README.md), hidden files included. */
const FILES_PER_FOLDER: Array<[string, number]> = [
  ['.', 2],
  ['expected', 9],
  ['keys', 11],
  ['sigs', 7],
  ['tiny-model', 9],
  ['upstream-v1.1.0-sigstore', 4],
];
const filesUnder = (dir: string): number => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

describe('vendored model_signing vectors', () => {
  it.each(FILES_PER_FOLDER)('are complete: %s holds %i files', (folder, count) => {
    const n = folder === '.' ? readdirSync(V, { withFileTypes: true }).filter((e) => e.isFile()).length : filesUnder(join(V, folder));
    expect(n).toBe(count);
  });
});

describe('model_signing vectors as signed', () => {
  it.each(vectors)('%s: payload bytes, hint and listed resources match the reference', (name, v) => {
    const parsed = parseBundle(readFileSync(join(V, name), 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(createHash('sha256').update(parsed.bundle.payload).digest('hex')).toBe(v.payload_sha256);
    expect(parsed.bundle.payload.equals(readFileSync(join(V, v.payload_file)))).toBe(true);
    if (v.kind === 'key') expect(keyIds(loadPublicKeyPem(readFileSync(join(V, v.key), 'utf8'), v.key)).pem).toBe(v['publicKey.hint']);
    const ms = parseMsStatement(JSON.parse(parsed.bundle.payload.toString('utf8')) as Record<string, unknown>);
    expect(ms.ok && ms.manifest.resources.map((r) => r.name)).toEqual(v.resources_in_listed_order.map((r) => r[0]));
  });

  it.each(vectors)('%s: verifies with the hashing it was signed with', async (name, v) => {
    const r = await verifyManifest({ target: join(V, 'tiny-model'), manifest: join(V, name), trust: trustFor(v) });
    expect(codes(r)).toEqual([]);
    expect(r.status).toBe('verified');
    expect(r.format).toBe('model-signing');
    expect(r.serialization?.method).toBe(v.serialization.method);
  });

  it.each(vectors)('%s: re-hashed as the reference CLI does, the outcome equals the CLI\'s', async (name, v) => {
    const cli = (v.cli_verify_key ?? v.cli_verify_certificate)!;
    const r = await verifyManifest({ target: join(V, 'tiny-model'), manifest: join(V, name), trust: trustFor(v), hashing: 'files-sha256' });
    expect(r.status === 'verified' ? 0 : 1).toBe(cli.exit_code);
    expect(codes(r)).toEqual(referenceCodes(cli.last_line));
  });

  describe('upstream keyless Sigstore bundle', () => {
    const dir = join(V, 'upstream-v1.1.0-sigstore');
    const keyless = (identity: string) =>
      loadTrust({ sigstoreRoot: join(ROOT, 'fixtures/lineage/sigstore-public-good-trusted-root.json'), identity, issuer: 'https://sigstore.verify.ibm.com/oauth2' });

    it('verifies offline against the public-good trusted root and the signer identity (ignore-me is ignored)', async () => {
      const r = await verifyManifest({ target: dir, manifest: join(dir, 'model.sig'), trust: keyless('stefanb@us.ibm.com') });
      expect([r.status, codes(r), r.sets[0]?.verified]).toEqual(['verified', [], 2]);
    });
    it('another identity is KEY_UNTRUSTED', async () => {
      const r = await verifyManifest({ target: dir, manifest: join(dir, 'model.sig'), trust: keyless('mallory@example.com') });
      expect(codes(r)).toEqual(['KEY_UNTRUSTED']);
    });
    it('a changed file is DIGEST_MISMATCH', async () => {
      const copy = writableCopy(dir, join(tempDir(), 'upstream'));
      writeFileSync(join(copy, 'signme-1'), 'tampered');
      const r = await verifyManifest({ target: copy, manifest: join(copy, 'model.sig'), trust: keyless('stefanb@us.ibm.com') });
      expect(codes(r)).toEqual(['DIGEST_MISMATCH']);
    });
    it('without a trusted root and identity it is inconclusive, never verified', async () => {
      const r = await verifyManifest({ target: dir, manifest: join(dir, 'model.sig'), trust: loadTrust({ trustedKeys: [join(V, 'keys/p256.pub.pem')] }) });
      expect([r.status, r.signer, r.sets]).toEqual(['unsupported', undefined, []]);
    });
  });
});

type Tamper = 'byte-flipped' | 'file-added' | 'file-removed' | 'wrong-key' | 'signature-corrupted';
const TAMPER: Array<[Tamper, string]> = [
  ['byte-flipped', 'DIGEST_MISMATCH'],
  ['file-added', 'FILE_EXTRA'],
  ['file-removed', 'FILE_MISSING'],
  ['wrong-key', 'KEY_UNTRUSTED'],
  ['signature-corrupted', 'SIGNATURE_INVALID'],
];
const cases = vectors.flatMap(([name, v]) => TAMPER.map(([t, code]) => [name, t, code, v] as const));

describe('tampered copies of every vector', () => {
  it.each(cases)('%s, %s → %s', async (name, tamper, code, v) => {
    const dir = writableCopy(join(V, 'tiny-model'), join(tempDir(), 'tiny-model'));
    let manifest = join(V, name);
    let key = v.key;
    if (tamper === 'byte-flipped') {
      const p = join(dir, 'weights.bin');
      const b = readFileSync(p);
      b[10] = b[10]! ^ 0xff;
      writeFileSync(p, b);
    } else if (tamper === 'file-added') appendFileSync(join(dir, 'extra.txt'), 'added after signing\n');
    else if (tamper === 'file-removed') rmSync(join(dir, 'data', 'part-0.bin'));
    else if (tamper === 'wrong-key') key = v.kind === 'certificate' ? 'keys/p256.pub.pem' : 'keys/other-p256.pub.pem';
    else {
      const b = readJson<{ dsseEnvelope: { signatures: Array<{ sig: string }> } }>(manifest);
      const sig = Buffer.from(b.dsseEnvelope.signatures[0]!.sig, 'base64');
      sig[sig.length - 1] = sig[sig.length - 1]! ^ 0x01;
      b.dsseEnvelope.signatures[0]!.sig = sig.toString('base64');
      manifest = join(dir, '..', 'corrupted.sig');
      writeFileSync(manifest, JSON.stringify(b));
    }
    const r = await verifyManifest({ target: dir, manifest, trust: trustFor(v, key) });
    expect(r.status).not.toBe('verified');
    expect(codes(r)).toEqual([code]);
    if (code === 'KEY_UNTRUSTED' || code === 'SIGNATURE_INVALID') expect(r.sets).toEqual([]);
  });
});

describe('reference CLI negative outcomes for tiny-model/model.sig', () => {
  const name = 'tiny-model/model.sig';
  const v = outcomes.vectors[name]!;
  it('extra file with --ignore-unsigned-files passes, as in the reference', async () => {
    const dir = writableCopy(join(V, 'tiny-model'), join(tempDir(), 'tiny-model'));
    writeFileSync(join(dir, 'extra.txt'), 'x');
    const r = await verifyManifest({ target: dir, manifest: join(dir, 'model.sig'), trust: trustFor(v), ignoreUnsigned: true });
    expect(r.status).toBe('verified');
  });
  it('an Ed25519 public key cannot verify an ECDSA signature: KEY_UNTRUSTED', async () => {
    const r = await verifyManifest({ target: join(V, 'tiny-model'), manifest: join(V, name), trust: trustFor(v, 'keys/ed25519.pub.pem') });
    expect(codes(r)).toEqual(['KEY_UNTRUSTED']);
  });
  it.each([
    ['right key', 'keys/p256.pub.pem', 'verified', []],
    ['wrong key', 'keys/other-p256.pub.pem', 'untrusted', ['SIGNATURE_INVALID']],
  ] as const)('hint removed, %s', async (_label, key, status, want) => {
    const b = readJson<{ verificationMaterial: { publicKey: Record<string, unknown> } }>(join(V, name));
    delete b.verificationMaterial.publicKey.hint;
    const manifest = join(tempDir(), 'nohint.sig');
    writeFileSync(manifest, JSON.stringify(b));
    const r = await verifyManifest({ target: join(V, 'tiny-model'), manifest, trust: trustFor(v, key) });
    expect(r.status).toBe(status);
    expect(codes(r)).toEqual(want);
  });
});
