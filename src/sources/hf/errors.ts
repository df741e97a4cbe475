/**
 * Hub API failures → mlvet errors. 401/403 (private, gated, bad token) is a usage error (exit 3) with a
 * hint, never the token; 404 is NOT_FOUND; anything else that survived the retries is REMOTE_ERROR.
 */
import { HubApiError } from '@huggingface/hub';
import { isMlvetError, MlvetError } from '../../errors.js';

export function hubError(e: unknown, uri: string, hasToken: boolean): MlvetError {
  if (isMlvetError(e)) return e;
  if (e instanceof HubApiError) {
    const st = e.statusCode;
    if (st === 401 || st === 403) {
      const why = hasToken
        ? 'the token in use has no access to it (gated: accept the terms on the repo page; private: use a token of a member)'
        : 'it is private or gated, or does not exist, and no token was found (set HF_TOKEN or run `hf auth login`)';
      return new MlvetError('AUTH', `${uri}: access denied (HTTP ${st}): ${why}`, { path: uri, status: st });
    }
    if (st === 404) return new MlvetError('NOT_FOUND', `${uri}: repository, revision or path not found (HTTP 404)`, { path: uri, status: st });
    return new MlvetError('REMOTE_ERROR', `${uri}: Hub API error HTTP ${st}`, { path: uri, status: st });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new MlvetError('REMOTE_ERROR', `${uri}: ${msg}`, { path: uri }, { cause: e });
}
