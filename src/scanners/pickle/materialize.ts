/**
 * Rebuild the bytes a pickle hands to a loader, from the symbolic value: literal bytes, payload
 * references read back from the stream, and the encoders attackers wrap them in (`_codecs.encode`,
 * base64, hex, zlib, gzip, bz2, BytesIO). Anything else is opaque and reported as such.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { calleeName } from '../../formats/pickle/evaluate.js';
import type { Value } from '../../formats/pickle/values.js';
import type { Window } from '../../formats/pickle/window.js';
import { decodeLatin1, decodeUtf8 } from '../../formats/pickle/text.js';

export class Opaque extends Error {}

export interface MaterializeEnv {
  win: Window;
  maxBytes: number;
}

async function payload(env: MaterializeEnv, ref: { offset: number; length: number }): Promise<Uint8Array> {
  if (ref.length > env.maxBytes) throw new Opaque(`payload of ${ref.length} bytes exceeds the nested-pickle budget`);
  return env.win.slice(ref.offset, ref.length);
}

export async function materializeStr(v: Value | undefined, env: MaterializeEnv): Promise<string> {
  if (v?.t !== 'str') {
    if (v?.t === 'bytes') return decodeLatin1(await materializeBytes(v, env));
    throw new Opaque(`expected a string, got ${v?.t ?? 'nothing'}`);
  }
  if (!v.truncated) return v.v;
  if (!v.ref) throw new Opaque('string too long to rebuild');
  const b = await payload(env, v.ref);
  return v.ref.encoding === 'utf8' ? decodeUtf8(b) : decodeLatin1(b);
}

function str(v: Value | undefined): string | undefined {
  return v?.t === 'str' && !v.truncated ? v.v : undefined;
}

function encodeStr(s: string, encoding: string): Uint8Array {
  const enc = encoding.toLowerCase().replace(/[-_]/g, '');
  if (['latin1', 'iso88591', 'l1', 'latin'].includes(enc)) {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) throw new Opaque('latin-1 encode of a non-latin-1 string');
      out[i] = c;
    }
    return out;
  }
  if (['utf8', 'u8', 'utf'].includes(enc) || enc === 'ascii') return Buffer.from(s, 'utf8');
  throw new Opaque(`unsupported encoding ${encoding}`);
}

export async function materializeBytes(v: Value | undefined, env: MaterializeEnv, depth = 0): Promise<Uint8Array> {
  if (!v) throw new Opaque('missing argument');
  if (depth > 16) throw new Opaque('encoding chain too deep');
  if (v.t === 'bytes') return v.v ?? payload(env, v.ref!);
  if (v.t !== 'call') throw new Opaque(`cannot rebuild bytes from ${v.t}`);
  const name = calleeName(v.fn);
  const a0 = v.args[0];
  const cap = (b: Uint8Array): Uint8Array => {
    if (b.length > env.maxBytes) throw new Opaque('decoded payload exceeds the nested-pickle budget');
    return b;
  };
  switch (name) {
    case 'codecs.encode':
      return cap(encodeStr(await materializeStr(a0, env), str(v.args[1]) ?? 'utf-8'));
    case 'builtins.bytes':
    case 'builtins.bytearray':
    case 'io.BytesIO':
      return a0?.t === 'str' ? cap(encodeStr(await materializeStr(a0, env), str(v.args[1]) ?? 'utf-8')) : materializeBytes(a0, env, depth + 1);
    case 'builtins.bytes.fromhex':
    case 'binascii.unhexlify':
    case 'binascii.a2b_hex':
    case 'base64.b16decode':
      return cap(Buffer.from((await stringish(a0, env, depth)).replace(/\s+/g, ''), 'hex'));
    case 'base64.b64decode':
    case 'base64.standard_b64decode':
    case 'base64.decodebytes':
    case 'base64.decodestring':
    case 'binascii.a2b_base64':
      return cap(Buffer.from(await stringish(a0, env, depth), 'base64'));
    case 'base64.urlsafe_b64decode':
      return cap(Buffer.from((await stringish(a0, env, depth)).replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    case 'zlib.decompress':
      return inflateSync(await materializeBytes(a0, env, depth + 1), { maxOutputLength: env.maxBytes });
    case 'gzip.decompress':
      return gunzipSync(await materializeBytes(a0, env, depth + 1), { maxOutputLength: env.maxBytes });
    case 'bz2.decompress': {
      const { default: Bunzip } = (await import('seek-bzip'));
      return cap(Bunzip.decode(Buffer.from(await materializeBytes(a0, env, depth + 1))));
    }
    default:
      throw new Opaque(`cannot rebuild bytes returned by ${name ?? 'an indirect call'}`);
  }
}

async function stringish(v: Value | undefined, env: MaterializeEnv, depth: number): Promise<string> {
  if (v?.t === 'str') return materializeStr(v, env);
  return decodeLatin1(await materializeBytes(v, env, depth + 1));
}
