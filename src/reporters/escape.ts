/**
 * Escaping for markup outputs. Everything that came from a scanned file (paths, messages, evidence) is
 * attacker-controlled, so every interpolation goes through one of these.
 */
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * XML 1.0 text and attribute values. Characters XML cannot carry at all (C0 controls other than tab,
 * newline and CR, lone surrogates, U+FFFE/U+FFFF) are shown as `\uXXXX` instead of breaking the file.
 */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- finding the control characters XML cannot carry is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(s: unknown): string {
  return String(s)
    .replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (c) => (c === "'" ? '&apos;' : HTML[c]!))
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
