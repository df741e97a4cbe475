/**
 * Steps 2 and 3 of verification: find a trusted key, then check the DSSE signature with it. The
 * bundle's hint only picks which trusted keys to try first; it never grants trust. "Wrong key"
 * (KEY_UNTRUSTED) is told apart from "altered" (SIGNATURE_INVALID) where the evidence allows.
 */
import { X509Certificate } from 'node:crypto';
import type { ParsedBundle } from './bundle.js';
import { pae } from './dsse.js';
import { keyIds, verifyBytes } from './keys.js';
import { verifyKeyless } from './keyless.js';
import type { Trust, TrustedKey } from './trust.js';
import type { Problem } from './types.js';

export interface Signer {
  name: string;
  keyId: string;
  alg: string;
  via: 'key' | 'certificate';
}

export type SignatureOutcome =
  | { ok: true; signer: Signer }
  | { ok: false; problem: Problem }
  | { ok: false; unsupported: string };

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

function inWindow(k: TrustedKey, now: Date): boolean {
  return (!k.validFrom || now >= k.validFrom) && (!k.validUntil || now <= k.validUntil);
}

export async function checkSignature(bundle: ParsedBundle, trust: Trust, now = new Date()): Promise<SignatureOutcome> {
  const signed = pae(bundle.payloadType, bundle.payload);
  const m = bundle.material;
  if (m.kind === 'publicKey') return withKeys(bundle, signed, m.hint, trust, now);
  if (m.kind === 'x509CertificateChain') return withChain(m.certs, signed, bundle.sig, trust);
  if (!trust.sigstore) {
    return { ok: false, unsupported: 'keyless Sigstore bundle (Fulcio certificate + Rekor entry): pass --sigstore-root trusted_root.json with --identity and --issuer to verify it' };
  }
  return verifyKeyless(bundle.json, trust.sigstore);
}

function withKeys(bundle: ParsedBundle, signed: Buffer, hint: string | undefined, trust: Trust, now: Date): SignatureOutcome {
  const usable = trust.keys.filter((k) => inWindow(k, now));
  const hinted = hint ? usable.filter((k) => k.ids.der === hint || k.ids.pem === hint) : [];
  // the hint is unauthenticated: hinted keys first, then every other trusted key
  for (const k of [...hinted, ...usable.filter((k) => !hinted.includes(k))]) {
    if (verifyBytes(k.key, signed, bundle.sig)) {
      return { ok: true, signer: { name: k.name, keyId: k.ids.der, alg: k.alg, via: 'key' } };
    }
  }
  const expired = trust.keys.length - usable.length;
  if (hinted.length > 0 || (!hint && usable.length === 1)) {
    return {
      ok: false,
      problem: {
        code: 'SIGNATURE_INVALID',
        reason: hinted.length > 0 ? 'hint-matched' : 'single-key',
        detail: `the signature does not verify with trusted key "${(hinted[0] ?? usable[0])!.name}": the payload or the signature was altered${hint ? '' : ', or it was made with another key'}`,
        expected: (hinted[0] ?? usable[0])!.ids.der,
      },
    };
  }
  return {
    ok: false,
    problem: {
      code: 'KEY_UNTRUSTED',
      reason: expired > 0 && usable.length === 0 ? 'key-outside-validity' : hint ? 'hint-mismatch' : 'no-key-verifies',
      detail: hint
        ? `signed by a key that is not trusted (key hint ${hint} matches none of ${trust.keys.length} trusted key(s), and none verifies the signature)`
        : `no trusted key verifies the signature (${usable.length} tried)`,
      actual: hint,
    },
  };
}

function withChain(der: Buffer[], signed: Buffer, sig: Buffer, trust: Trust): SignatureOutcome {
  let certs: X509Certificate[];
  try {
    certs = der.map((d) => new X509Certificate(d));
  } catch {
    return { ok: false, problem: { code: 'BUNDLE_INVALID', reason: 'certificate', detail: 'a certificate in the bundle cannot be parsed' } };
  }
  const leaf = certs[0]!;
  const anchor = chainTo(leaf, certs.slice(1), trust, new Date(leaf.validFrom));
  const keyId = keyIds(leaf.publicKey).der;
  if (!anchor) {
    return {
      ok: false,
      problem: {
        code: 'KEY_UNTRUSTED',
        reason: 'certificate-untrusted',
        detail: `signing certificate "${leaf.subject.replace(/\n/g, ', ')}" does not chain to a trusted certificate`,
        actual: leaf.fingerprint256,
      },
    };
  }
  if (!(leaf.keyUsage ?? []).includes(CODE_SIGNING)) {
    return { ok: false, problem: { code: 'KEY_UNTRUSTED', reason: 'no-code-signing-eku', detail: 'signing certificate lacks the codeSigning extended key usage' } };
  }
  if (!verifyBytes(leaf.publicKey, signed, sig)) {
    return {
      ok: false,
      problem: { code: 'SIGNATURE_INVALID', reason: 'certificate-key', detail: 'the signature does not verify with the certificate\'s key: the payload or the signature was altered' },
    };
  }
  return { ok: true, signer: { name: anchor, keyId, alg: leaf.publicKey.asymmetricKeyType ?? 'unknown', via: 'certificate' } };
}

/** Name of the trust anchor the leaf chains to (checked at the leaf's notBefore, as model_signing does). */
function chainTo(leaf: X509Certificate, pool: X509Certificate[], trust: Trust, at: Date): string | undefined {
  let cur = leaf;
  for (let depth = 0; depth < 8; depth++) {
    for (const a of trust.anchors) {
      if (a.cert.fingerprint256 === cur.fingerprint256) return a.name;
      if (a.cert.ca && cur.checkIssued(a.cert) && cur.verify(a.cert.publicKey) && within(a.cert, at)) return a.name;
    }
    const up = pool.find((c) => c.ca && cur.checkIssued(c) && cur.verify(c.publicKey) && within(c, at));
    if (!up || up === cur) return undefined;
    cur = up;
  }
  return undefined;
}

function within(c: X509Certificate, at: Date): boolean {
  return at >= new Date(c.validFrom) && at <= new Date(c.validTo);
}
