/**
 * Decoders for protocol-0 text arguments, matching what CPython's C unpickler accepts. Each throws a
 * `TextError` on input the unpickler would reject, so a malformed stream is never read as clean.
 */
export class TextError extends Error {}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export function decodeLatin1(b: Uint8Array): string {
  // TextDecoder('latin1') is windows-1252 per WHATWG; map bytes 1:1 instead
  let s = '';
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  }
  return s;
}

export function decodeUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}

/** Python's `codecs.escape_decode`, as `load_string` applies it to a quoted STRING argument. */
export function escapeDecode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= s.length) throw new TextError('trailing \\ in string');
    const e = s[i]!;
    switch (e) {
      case '\n':
        break;
      case '\\':
      case "'":
      case '"':
        out += e;
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x': {
        const h = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new TextError(`invalid \\x escape at position ${i - 1}`);
        out += String.fromCharCode(parseInt(h, 16));
        i += 2;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          let j = i;
          while (j < s.length && j < i + 3 && s[j]! >= '0' && s[j]! <= '7') j++;
          out += String.fromCharCode(parseInt(s.slice(i, j), 8) & 0xff);
          i = j - 1;
        } else {
          out += '\\' + e; // unknown escapes are kept verbatim
        }
    }
  }
  return out;
}

/** `load_string`: strip the newline, require matching outer quotes, then escape-decode. */
export function decodeStringArg(line: string): string {
  let s = line;
  while (s.length > 0 && (s.endsWith(' ') || s.endsWith('\t') || s.endsWith('\r'))) s = s.slice(0, -1);
  if (s.length < 2 || s[0] !== s[s.length - 1] || (s[0] !== "'" && s[0] !== '"')) {
    throw new TextError('the STRING opcode argument must be quoted');
  }
  return escapeDecode(s.slice(1, -1));
}

/** `raw-unicode-escape` as UNICODE (`V`) applies it: only \uXXXX and \UXXXXXXXX are escapes. */
export function rawUnicodeEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && (s[i + 1] === 'u' || s[i + 1] === 'U')) {
      // an escape only if preceded by an even number of backslashes
      let bs = 0;
      for (let k = i - 1; k >= 0 && s[k] === '\\'; k--) bs++;
      if (bs % 2 === 0) {
        const n = s[i + 1] === 'u' ? 4 : 8;
        const h = s.slice(i + 2, i + 2 + n);
        if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new TextError('truncated \\uXXXX escape');
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff) throw new TextError('\\Uxxxxxxxx out of range');
        out += String.fromCodePoint(cp);
        i += 1 + n;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * INT / LONG / GET / PUT arguments. The C unpickler tries `strtol(s, 0)` (so `0x1f` and `017` parse)
 * and falls back to Python's `int(s, 0)` (which allows `_` between digits).
 */
export function parsePyInt(s0: string, base0 = true): bigint {
  const s = s0.trim();
  const m = /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[0-9](?:_?[0-9])*)$/.exec(s);
  if (!m) throw new TextError(`invalid literal for int(): ${JSON.stringify(s0.slice(0, 40))}`);
  const sign = m[1] === '-' ? -1n : 1n;
  let body = m[2]!.replace(/_/g, '');
  if (!base0) {
    if (!/^[0-9]+$/.test(body)) throw new TextError('invalid literal for int() with base 10');
    return sign * BigInt(body);
  }
  if (/^0[oO]/.test(body)) body = '0o' + body.slice(2);
  else if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1); // strtol octal
  else if (/^0[0-9]+$/.test(body)) throw new TextError('invalid literal for int(): leading zeros');
  return sign * BigInt(body);
}

/** Python float() syntax as PyOS_string_to_double accepts it. */
export function parsePyFloat(s0: string): number {
  const s = s0.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(s)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) throw new TextError('could not convert string to float');
  return Number(s);
}

/** Little-endian two's complement integer of n bytes (LONG1 / LONG4). */
export function decodeLong(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

export { latin1 as _latin1Decoder };
