/**
 * Keyless Sigstore bundles (Fulcio certificate + Rekor entry, as `model_signing sign sigstore`
 * makes): checked offline by @sigstore/verify against a trusted root the verifier supplies, with an
 * identity policy (certificate SAN + OIDC issuer). Without a policy any Sigstore user could sign, so
 * one is required. Loaded only when such a bundle is met.
 */
import type { SignatureOutcome } from './signature.js';
import type { SigstoreTrust } from './trust.js';

/** @sigstore/verify error codes that mean "signed, but not by whom you trust" */
const UNTRUSTED = new Set(['UNTRUSTED_SIGNER_ERROR', 'CERTIFICATE_ERROR', 'TLOG_INCLUSION_PROOF_ERROR', 'TLOG_INCLUSION_PROMISE_ERROR', 'TIMESTAMP_ERROR', 'TLOG_BODY_ERROR']);

export async function verifyKeyless(json: Record<string, unknown>, t: SigstoreTrust): Promise<SignatureOutcome> {
  const [{ Verifier, toSignedEntity, toTrustMaterial }, { bundleFromJSON }, { TrustedRoot }] = await Promise.all([
    import('@sigstore/verify'),
    import('@sigstore/bundle'),
    import('@sigstore/protobuf-specs'),
  ]);
  let entity;
  try {
    entity = toSignedEntity(bundleFromJSON(json));
  } catch (e) {
    return { ok: false, problem: { code: 'BUNDLE_INVALID', reason: 'sigstore-bundle', detail: `not a valid Sigstore bundle: ${(e as Error).message}` } };
  }
  try {
    const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(t.root)));
    const signer = verifier.verify(entity, { subjectAlternativeName: t.identity, extensions: { issuer: t.issuer } });
    return { ok: true, signer: { name: `${t.identity} (${t.issuer})`, keyId: signer.identity?.subjectAlternativeName ?? t.identity, alg: 'sigstore-keyless', via: 'certificate' } };
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'ERROR';
    const untrusted = UNTRUSTED.has(code);
    return {
      ok: false,
      problem: {
        code: untrusted ? 'KEY_UNTRUSTED' : 'SIGNATURE_INVALID',
        reason: `sigstore-${code.toLowerCase().replace(/_/g, '-')}`,
        detail: untrusted
          ? `keyless signature not from ${t.identity} via ${t.issuer}, or not anchored in the trusted root (${code}: ${(e as Error).message})`
          : `keyless signature does not verify (${code}: ${(e as Error).message})`,
      },
    };
  }
}
