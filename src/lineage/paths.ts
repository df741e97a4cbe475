/**
 * Path rules for manifests: relative, `/`-separated, no `.`/`..`/empty segments, no NUL or newline.
 * Two orders: bytewise UTF-8 (mlvet, dirHash) and Python's component-wise PurePosixPath order
 * (what model_signing emits: `data/part-0.bin` sorts before `data.bin`).
 */

/** Why a manifest path is unsafe, or undefined when it is fine. */
export function unsafeReason(p: string): string | undefined {
  if (p.length === 0) return 'empty';
  if (p.includes('\0') || p.includes('\n') || p.includes('\r')) return 'control-character';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute';
  if (p.includes('\\')) return 'backslash';
  for (const seg of p.split('/')) {
    if (seg === '..') return 'dotdot';
    if (seg === '' || seg === '.') return 'empty-segment';
  }
  return undefined;
}

/**
 * Bytewise UTF-8 order, which equals code-point order (not JavaScript's UTF-16 `sort()`); -1, 0 or 1.
 * UTF-16 code units agree with it until a surrogate meets a unit at or above one, so the strings are
 * compared unit by unit, without encoding them, up to the first difference below U+D800; a difference
 * involving a surrogate or U+E000–U+FFFF is settled on the UTF-8 bytes (lone surrogates as U+FFFD).
 */
export function compareBytewise(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Python PurePosixPath order: component by component, each by code point. */
export function comparePython(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const c = compareBytewise(pa[i]!, pb[i]!);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/** "equal to, or inside": compared by path components, never by string prefix. */
export function isIgnored(path: string, ignores: readonly string[]): boolean {
  return ignores.some((ig) => path === ig || path.startsWith(ig.endsWith('/') ? ig : ig + '/'));
}

/** `a/b` relative to the POSIX root `r` ('.' = the root itself). */
export function joinPosix(root: string, p: string): string {
  return root === '.' || root === '' ? p : `${root}/${p}`;
}
