/**
 * Sigstore bundle v0.3 holding one DSSE envelope: parse (step 1 of verification: structure only,
 * nothing from the payload is read) and build. Tolerates model_signing's quirks: an empty DSSE
 * `keyid`, a missing `tlogEntries`, extra fields under `publicKey`.
 */
import { decodeBase64 } from './dsse.js';
import { ACCEPTED_BUNDLE_MEDIA_TYPES, BUNDLE_MEDIA_TYPE, INTOTO_PAYLOAD_TYPE, type Problem } from './types.js';

export type Material =
  | { kind: 'publicKey'; hint?: string }
  | { kind: 'x509CertificateChain'; certs: Buffer[] }
  | { kind: 'certificate'; cert: Buffer };

export interface ParsedBundle {
  mediaType: string;
  material: Material;
  tlogEntries: unknown[];
  payloadType: string;
  /** the exact payload bytes that were signed; never re-serialised */
  payload: Buffer;
  sig: Buffer;
  keyid: string;
  /** the parsed JSON, for keyless verification by @sigstore/verify */
  json: Record<string, unknown>;
}

export type BundleParse = { ok: true; bundle: ParsedBundle } | { ok: false; problem: Problem };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(reason: string, detail: string, code: Problem['code'] = 'BUNDLE_INVALID'): BundleParse {
  return { ok: false, problem: { code, reason, detail } };
}

export function parseBundle(text: string): BundleParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return bad('not-json', `manifest is not valid JSON (truncated?): ${(e as Error).message}`);
  }
  if (!isObj(json)) return bad('not-object', 'manifest is not a JSON object');
  const mediaType = json.mediaType;
  if (typeof mediaType !== 'string' || !ACCEPTED_BUNDLE_MEDIA_TYPES.has(mediaType)) {
    return bad('media-type', `mediaType ${JSON.stringify(mediaType)} is not a Sigstore bundle (expected ${BUNDLE_MEDIA_TYPE})`);
  }
  const material = parseMaterial(json.verificationMaterial);
  if (typeof material === 'string') return bad('verification-material', material);
  const env = json.dsseEnvelope;
  if (!isObj(env)) return bad('no-dsse', json.messageSignature ? 'message-signature bundles are not manifests (no DSSE envelope)' : 'dsseEnvelope is missing');
  const payload = decodeBase64(env.payload);
  if (!payload) return bad('payload-base64', 'dsseEnvelope.payload is not base64');
  const sigs = env.signatures;
  if (!Array.isArray(sigs) || sigs.length !== 1) {
    return bad('signature-count', `a bundle's DSSE envelope must carry exactly one signature, found ${Array.isArray(sigs) ? sigs.length : 'none'}`);
  }
  const s0: unknown = sigs[0];
  const sig = isObj(s0) ? decodeBase64(s0.sig) : undefined;
  if (!isObj(s0) || !sig || sig.length === 0) return bad('signature-base64', 'dsseEnvelope.signatures[0].sig is not base64');
  if (env.payloadType !== INTOTO_PAYLOAD_TYPE) {
    return bad('payload-type', `payloadType ${JSON.stringify(env.payloadType)} is not ${INTOTO_PAYLOAD_TYPE}`, 'PAYLOAD_UNSUPPORTED');
  }
  const tlog = json.verificationMaterial && isObj(json.verificationMaterial) ? json.verificationMaterial.tlogEntries : undefined;
  return {
    ok: true,
    bundle: {
      mediaType,
      material,
      tlogEntries: Array.isArray(tlog) ? tlog : [],
      payloadType: INTOTO_PAYLOAD_TYPE,
      payload,
      sig,
      keyid: typeof s0.keyid === 'string' ? s0.keyid : '',
      json,
    },
  };
}

function parseMaterial(vm: unknown): Material | string {
  if (!isObj(vm)) return 'verificationMaterial is missing';
  if (isObj(vm.publicKey)) {
    const hint = vm.publicKey.hint;
    if (hint !== undefined && typeof hint !== 'string') return 'verificationMaterial.publicKey.hint is not a string';
    return hint ? { kind: 'publicKey', hint: hint.toLowerCase() } : { kind: 'publicKey' };
  }
  if (isObj(vm.x509CertificateChain)) {
    const list = vm.x509CertificateChain.certificates;
    const certs = Array.isArray(list) ? list.map((c) => (isObj(c) ? decodeBase64(c.rawBytes) : undefined)) : [];
    if (certs.length === 0 || certs.some((c) => !c)) return 'verificationMaterial.x509CertificateChain has no readable certificates';
    return { kind: 'x509CertificateChain', certs: certs as Buffer[] };
  }
  if (isObj(vm.certificate)) {
    const cert = decodeBase64(vm.certificate.rawBytes);
    return cert ? { kind: 'certificate', cert } : 'verificationMaterial.certificate.rawBytes is not base64';
  }
  return 'verificationMaterial has no publicKey, certificate or x509CertificateChain';
}

/** A v0.3 bundle with an out-of-band public key, as model_signing `sign key` writes it. */
export function buildBundle(payload: Buffer, sig: Buffer, hint: string, keyid: string): string {
  const bundle = {
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint }, tlogEntries: [] },
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType: INTOTO_PAYLOAD_TYPE,
      signatures: [{ sig: sig.toString('base64'), keyid }],
    },
  };
  return JSON.stringify(bundle, null, 2) + '\n';
}
