/**
 * Digest algorithms. node:crypto does SHA-2 and BLAKE2b-512 natively (several times faster here than
 * WASM); hash-wasm supplies BLAKE3, which node lacks. Every hasher is synchronous once prepared, so a
 * file is hashed with plain `readSync` calls into one reused buffer.
 */
import { createHash, type Hash } from 'node:crypto';
import type { IHasher } from 'hash-wasm';

export const HASH_ALGS = ['sha256', 'sha384', 'sha512', 'blake2b', 'blake3'] as const;
export type HashAlg = (typeof HASH_ALGS)[number];

export interface SyncHasher {
  update(b: Uint8Array): void;
  digestHex(): string;
}

let blake3: IHasher | undefined;

/** Load the WASM module an algorithm needs (once per thread). */
export async function prepareAlg(alg: HashAlg): Promise<void> {
  // loaded on demand: parsing hash-wasm costs every worker start, and SHA-256 never needs it
  if (alg === 'blake3' && !blake3) blake3 = await (await import('hash-wasm')).createBLAKE3();
}

export function isHashAlg(s: unknown): s is HashAlg {
  return typeof s === 'string' && (HASH_ALGS as readonly string[]).includes(s);
}

/** Hex digest length per algorithm, to reject malformed manifest digests early. */
export const HEX_LENGTH: Record<HashAlg, number> = { sha256: 64, sha384: 96, sha512: 128, blake2b: 128, blake3: 64 };

export function newHasher(alg: HashAlg): SyncHasher {
  if (alg === 'blake3') {
    if (!blake3) throw new Error('blake3 not prepared: call prepareAlg first');
    const h = blake3.init();
    return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') };
  }
  // model_signing's "blake2b" is hashlib.blake2b with its default 64-byte digest
  const h: Hash = createHash(alg === 'blake2b' ? 'blake2b512' : alg);
  return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') };
}
