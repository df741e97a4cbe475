/**
 * The verifier's trust: public keys from `--trusted-key FILE` (repeatable) or a trust file
 * (`mlvet-trust.json`). A file holding a certificate makes it a trust anchor for certificate-mode
 * bundles. Nothing in a bundle ever adds to this set.
 */
import { readRegularFile } from '../files.js';
import { X509Certificate, type KeyObject } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { MlvetError } from '../errors.js';
import { keyAlgOf, keyIds, loadPublicKeyPem, type KeyAlg, type KeyIds } from './keys.js';
import { validatorFor } from '../schemas.js';

export interface TrustedKey {
  name: string;
  key: KeyObject;
  alg: KeyAlg;
  ids: KeyIds;
  validFrom?: Date;
  validUntil?: Date;
}

export interface TrustAnchor {
  name: string;
  cert: X509Certificate;
}

/** Keyless (Fulcio + Rekor) trust: a Sigstore trusted root and the identity that must have signed. */
export interface SigstoreTrust {
  /** trusted_root.json content */
  root: unknown;
  identity: string;
  issuer: string;
}

export interface Trust {
  keys: TrustedKey[];
  anchors: TrustAnchor[];
  sigstore?: SigstoreTrust;
}

interface TrustFile {
  keys: Array<{ name: string; pem: string; validFrom?: string; validUntil?: string }>;
}

export interface TrustOptions {
  trustedKeys?: string[];
  trustFile?: string;
  /** Sigstore trusted_root.json, for keyless bundles; needs identity and issuer */
  sigstoreRoot?: string;
  identity?: string;
  issuer?: string;
  /** directory the file paths are relative to (default: the process's cwd) */
  cwd?: string;
}

export function loadTrust(opts: TrustOptions): Trust {
  const trust: Trust = { keys: [], anchors: [] };
  const readText = (file: string): string => readTextIn(opts.cwd, file);
  if (opts.sigstoreRoot) {
    if (!opts.identity || !opts.issuer) throw new MlvetError('USAGE', '--sigstore-root needs --identity (certificate SAN) and --issuer (OIDC issuer)');
    trust.sigstore = { root: JSON.parse(readText(opts.sigstoreRoot)) as unknown, identity: opts.identity, issuer: opts.issuer };
  }
  for (const file of opts.trustedKeys ?? []) addPem(trust, readText(file), basename(file).replace(/\.(pub|pem|crt)$/, ''), file);
  if (opts.trustFile) {
    const doc = JSON.parse(readText(opts.trustFile)) as unknown;
    const validate = validatorFor('lineage-trust');
    if (!validate(doc)) throw new MlvetError('USAGE', `${opts.trustFile}: not a valid trust file: ${validate.errorText}`, { path: opts.trustFile });
    for (const k of (doc as TrustFile).keys) {
      addPem(trust, k.pem, k.name, `${opts.trustFile}#${k.name}`, {
        ...(k.validFrom ? { validFrom: new Date(k.validFrom) } : {}),
        ...(k.validUntil ? { validUntil: new Date(k.validUntil) } : {}),
      });
    }
  }
  if (trust.keys.length === 0 && trust.anchors.length === 0 && !trust.sigstore) {
    throw new MlvetError('USAGE', 'no trust given: pass --trusted-key FILE.pub (repeatable) or --trust mlvet-trust.json');
  }
  return trust;
}

function readTextIn(cwd: string | undefined, file: string): string {
  return readRegularFile(cwd ? resolve(cwd, file) : file, 'trust file', 64 * 1024 * 1024);
}

function addPem(trust: Trust, pem: string, name: string, label: string, window: Pick<TrustedKey, 'validFrom' | 'validUntil'> = {}): void {
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (certs) {
    for (const c of certs) {
      try {
        trust.anchors.push({ name, cert: new X509Certificate(c) });
      } catch {
        throw new MlvetError('KEY_INVALID', `${label}: unreadable certificate`, { path: label });
      }
    }
    return;
  }
  const key = loadPublicKeyPem(pem, label);
  trust.keys.push({ name, key, alg: keyAlgOf(key)!, ids: keyIds(key), ...window });
}
