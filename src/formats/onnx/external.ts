/**
 * Where an ONNX `external_data.location` points. onnx resolves it against the model's directory and,
 * before the fixes for CVE-2022-25882 / CVE-2024-27318 (and the incomplete ones after them), followed
 * `../`, `a/../../x` and absolute paths out of it. Both separators count: the Windows build splits on
 * `\` too.
 */

export interface LocationRisk {
  absolute: boolean;
  /** contains a `..` component at all */
  traversal: boolean;
  /** resolves outside the model directory */
  escapes: boolean;
}

export function locationRisk(location: string): LocationRisk {
  const n = location.replace(/\\/g, '/');
  const absolute = n.startsWith('/') || /^[A-Za-z]:/.test(n) || /^[a-z][a-z0-9+.-]*:\/\//i.test(n);
  const parts = n.split('/');
  let depth = 0;
  let escapes = absolute;
  for (const p of parts) {
    if (p === '..') {
      if (--depth < 0) escapes = true;
    } else if (p !== '.' && p !== '') depth++;
  }
  return { absolute, traversal: parts.includes('..'), escapes };
}
