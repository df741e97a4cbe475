/**
 * Shared helpers for the lineage suites: where the model_signing vectors live (vendored in
 * fixtures/vectors/model-signing so a lone clone passes), writable temp copies, and a signer for hand-made (adversarial) statements.
 */
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { buildBundle } from '../../src/lineage/bundle.js';
import { canonicalize } from '../../src/lineage/canonical.js';
import { pae } from '../../src/lineage/dsse.js';
import { generateKey, keyIds, signBytes } from '../../src/lineage/keys.js';
import { INTOTO_PAYLOAD_TYPE } from '../../src/lineage/types.js';

/** `fixtures/vectors/model-signing`; fails loudly when absent (see fixtures/vectors/README.md). */
export function vectorsDir(): string {
  const dir = join(FIXTURES, 'vectors', 'model-signing');
  if (!existsSync(join(dir, 'expected', 'outcomes.json'))) {
    throw new Error(`model_signing vectors not found at ${dir}: fixtures/vectors/refresh.sh restores them`);
  }
  return dir;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

export function tempDir(prefix = 'mlvet-lineage-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** A writable copy (the vectors are read-only). */
export function writableCopy(src: string, dest: string): string {
  cpSync(src, dest, { recursive: true });
  const fix = (p: string): void => {
    const st = statSync(p);
    chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const n of readdirSync(p)) fix(join(p, n));
  };
  fix(dest);
  return dest;
}

export function readJson<T = Record<string, unknown>>(p: string): T {
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

export interface TestKey {
  priv: KeyObject;
  pub: KeyObject;
  pubFile: string;
  keyFile: string;
}

export function makeKey(dir: string, alg: 'ed25519' | 'p256' | 'p384', name: string = alg): TestKey {
  const g = generateKey(alg);
  const keyFile = join(dir, `${name}.key`);
  const pubFile = join(dir, `${name}.pub`);
  writeFileSync(keyFile, g.privatePem, { mode: 0o600 });
  writeFileSync(pubFile, g.publicPem);
  return { priv: createPrivateKey(g.privatePem), pub: createPublicKey(g.publicPem), pubFile, keyFile };
}

/** Sign any statement (even a malformed one) the way mlvet does, to test what verify makes of it. */
export function signStatement(key: KeyObject, statement: unknown, raw?: Buffer): string {
  const payload = raw ?? Buffer.from(canonicalize(statement), 'utf8');
  const ids = keyIds(createPublicKey(key));
  return buildBundle(payload, signBytes(key, pae(INTOTO_PAYLOAD_TYPE, payload)), ids.der, ids.der);
}
