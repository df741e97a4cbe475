/**
 * Text formats have no magic, so they are recognised by content shape: JSON objects, Python source
 * and Jinja templates. Every check here is chosen so that no loadable pickle can pass it (a pickle
 * is always tried first, except for Python source, whose first keywords are not valid pickles: `c`
 * would read a module name with a space in it, `i` likewise, `d`/`f`/`#`/`@`/quotes fail at once).
 */

function textHead(head: Uint8Array): string | undefined {
  if (head.length === 0 || head.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(head.length > 4096 ? head.subarray(0, 4096) : head);
  } catch {
    // a multi-byte character cut at the 4 KiB boundary: decode leniently
    const s = new TextDecoder('utf-8').decode(head.subarray(0, 4096));
    return (s.match(/\uFFFD/g) ?? []).length > 1 ? undefined : s;
  }
}

export function isJsonObject(head: Uint8Array): boolean {
  const t = textHead(head);
  return t !== undefined && /^\uFEFF?\s*\{\s*("|\})/.test(t);
}

const PY_START = /^\uFEFF?(?:#!.*python.*\n|#.*\n|\s*\n)*(?:import [\w.]+|from [\w.]+ import |def \w+\s*\(|class \w+\s*[(:]|"""|'''|@\w|if __name__)/;

export function isPythonSource(head: Uint8Array): boolean {
  const t = textHead(head);
  return t !== undefined && PY_START.test(t);
}

export function isJinjaText(head: Uint8Array): boolean {
  const t = textHead(head);
  return t !== undefined && /\{[{%]/.test(t);
}
