/**
 * DSSE: the pre-authentication encoding that is actually signed, and strict base64 (standard or
 * URL-safe, as DSSE requires; Node's decoder would silently skip junk, so the text is checked first).
 */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

const STD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decoded bytes, or undefined when the text is not clean base64. */
export function decodeBase64(s: unknown): Buffer | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  if (STD.test(t)) {
    if (t.length % 4 !== 0) return undefined;
    return Buffer.from(t, 'base64');
  }
  if (URL_SAFE.test(t)) return Buffer.from(t, 'base64url');
  return undefined;
}
