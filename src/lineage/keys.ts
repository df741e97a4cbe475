/**
 * Keys: generate, load, identify, sign and verify. Ed25519 is the default; ECDSA P-256 (required for
 * model_signing) and P-384 take their hash from the curve, never from a caller, and always use DER
 * signatures (model_signing rejects IEEE P1363 r||s).
 */
import { readRegularFile } from '../files.js';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { MlvetError } from '../errors.js';

export const KEY_ALGS = ['ed25519', 'p256', 'p384'] as const;
export type KeyAlg = (typeof KEY_ALGS)[number] | 'p521';

const CURVES: Record<string, KeyAlg> = { prime256v1: 'p256', secp384r1: 'p384', secp521r1: 'p521' };
const HASH_OF: Record<KeyAlg, 'sha256' | 'sha384' | 'sha512' | null> = { ed25519: null, p256: 'sha256', p384: 'sha384', p521: 'sha512' };
const NODE_CURVE: Record<string, string> = { p256: 'prime256v1', p384: 'secp384r1' };

export function keyAlgOf(k: KeyObject): KeyAlg | undefined {
  if (k.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (k.asymmetricKeyType === 'ec') return CURVES[k.asymmetricKeyDetails?.namedCurve ?? ''];
  return undefined;
}

export interface KeyIds {
  /** hex SHA-256 of the DER SubjectPublicKeyInfo (RFC 6962 style; mlvet's key id) */
  der: string;
  /** hex SHA-256 of the SPKI PEM text (model_signing's `publicKey.hint`) */
  pem: string;
}

export function keyIds(pub: KeyObject): KeyIds {
  const der = pub.export({ type: 'spki', format: 'der' });
  const pem = pub.export({ type: 'spki', format: 'pem' });
  return { der: createHash('sha256').update(der).digest('hex'), pem: createHash('sha256').update(pem).digest('hex') };
}

export interface GeneratedKey {
  privatePem: string;
  publicPem: string;
  ids: KeyIds;
}

export function generateKey(alg: (typeof KEY_ALGS)[number], passphrase?: string): GeneratedKey {
  const enc = passphrase ? { cipher: 'aes-256-cbc', passphrase } : {};
  const privateKeyEncoding = { type: 'pkcs8' as const, format: 'pem' as const, ...enc };
  const publicKeyEncoding = { type: 'spki' as const, format: 'pem' as const };
  const pair =
    alg === 'ed25519'
      ? generateKeyPairSync('ed25519', { privateKeyEncoding, publicKeyEncoding })
      : generateKeyPairSync('ec', { namedCurve: NODE_CURVE[alg]!, privateKeyEncoding, publicKeyEncoding });
  return { privatePem: pair.privateKey, publicPem: pair.publicKey, ids: keyIds(createPublicKey(pair.publicKey)) };
}

export interface PrivateKeySource {
  /** PEM file; refused when group- or world-accessible */
  file?: string;
  /** PEM text (from MLVET_SIGNING_KEY) */
  pem?: string;
  passphrase?: string;
  insecurePerms?: boolean;
}

export function loadPrivateKey(src: PrivateKeySource): KeyObject {
  let pem = src.pem;
  const label = src.file ?? 'MLVET_SIGNING_KEY';
  const file = src.file;
  if (file) {
    pem = readRegularFile(file, 'signing key', 1024 * 1024, ({ mode }) => {
      if ((mode & 0o077) !== 0 && !src.insecurePerms && process.platform !== 'win32') {
        throw new MlvetError('KEY_INVALID', `refusing ${file}: mode ${(mode & 0o777).toString(8)} lets group or others read it; run chmod 600`, { path: file });
      }
    });
  }
  if (!pem) throw new MlvetError('USAGE', 'no signing key: pass --key FILE or set MLVET_SIGNING_KEY');
  if (/ENCRYPTED/.test(pem) && !src.passphrase) {
    throw new MlvetError('KEY_INVALID', `${label} is encrypted: set MLVET_KEY_PASSPHRASE`, { path: label });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(src.passphrase ? { key: pem, passphrase: src.passphrase } : pem);
  } catch {
    // the library's message may quote input; say only what the user can act on
    throw new MlvetError('KEY_INVALID', `${label} is not a readable PKCS#8/SEC1 private key (or the passphrase is wrong)`, { path: label });
  }
  if (!keyAlgOf(key)) throw new MlvetError('KEY_INVALID', `${label}: only Ed25519 and ECDSA P-256/P-384/P-521 keys are supported`, { path: label });
  return key;
}

/** A public key or certificate PEM. */
export function loadPublicKeyPem(pem: string, label: string): KeyObject {
  try {
    const k = createPublicKey(pem);
    if (!keyAlgOf(k)) throw new Error('unsupported');
    return k;
  } catch {
    throw new MlvetError('KEY_INVALID', `${label}: not an Ed25519 or ECDSA P-256/P-384/P-521 public key`, { path: label });
  }
}

export function signBytes(key: KeyObject, data: Buffer): Buffer {
  const alg = keyAlgOf(key)!;
  return sign(HASH_OF[alg], data, alg === 'ed25519' ? key : { key, dsaEncoding: 'der' });
}

export function verifyBytes(pub: KeyObject, data: Buffer, sig: Buffer): boolean {
  const alg = keyAlgOf(pub);
  if (!alg) return false;
  try {
    return verify(HASH_OF[alg], data, alg === 'ed25519' ? pub : { key: pub, dsaEncoding: 'der' }, sig);
  } catch {
    return false;
  }
}
