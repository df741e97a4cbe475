/** GX's comparison rules for its test definitions (as GX's own test runner compares results). */
const RTOL = 1e-7;
const ATOL = 0.05;

function close(a: unknown, b: unknown, rtol = RTOL, atol = ATOL): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i], rtol, atol));
  if (typeof a === 'number' && typeof b === 'number') {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b || (Number.isNaN(a) && Number.isNaN(b));
    return Math.abs(a - b) <= atol + rtol * Math.abs(b);
  }
  return deepEq(a, b);
}

export function deepEq(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEq(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return deepEq(ka, kb) && ka.every((k) => deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

const canon = (x: unknown): unknown => (Array.isArray(x) ? x.map(canon) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, canon((x as Record<string, unknown>)[k])])) : x);
const sortKey = (x: unknown): string => JSON.stringify(canon(x));
const sorted = (xs: unknown[]): unknown[] => [...xs].sort((p, q) => (sortKey(p) < sortKey(q) ? -1 : sortKey(p) > sortKey(q) ? 1 : 0));

function floatLike(v: unknown): boolean {
  return typeof v === 'number' && !Number.isInteger(v);
}

/** returns the first mismatch, or null when the result satisfies `out` */
export function compare(out: Record<string, unknown>, res: Record<string, unknown>, exact: boolean, tolerance?: number): string | null {
  const result = (res.result ?? {}) as Record<string, unknown>;
  if (exact) {
    if (out.success !== undefined && out.success !== res.success) return `success ${JSON.stringify(res.success)} != ${JSON.stringify(out.success)}`;
    for (const [k, v] of Object.entries((out.result ?? {}) as Record<string, unknown>)) {
      if (!(k in result)) return `result.${k} missing`;
      const a = result[k];
      const ok = Array.isArray(v) && k.includes('list') ? deepEq(sorted(a as unknown[]), sorted(v)) : typeof v === 'number' ? close(a, v) : deepEq(a, v);
      if (!ok) return `result.${k} = ${JSON.stringify(a)} != ${JSON.stringify(v)}`;
    }
    return null;
  }
  for (const [k, v] of Object.entries(out)) {
    switch (k) {
      case 'success':
        if (res.success !== v) return `success ${String(res.success)} != ${String(v)}`;
        break;
      case 'observed_value': {
        const a = result.observed_value;
        let ok: boolean;
        if (tolerance !== undefined) {
          if (v && typeof v === 'object' && !Array.isArray(v)) ok = !!a && typeof a === 'object' && deepEq(Object.keys(a).sort(), Object.keys(v).sort()) && Object.keys(v).every((kk) => close((a as Record<string, unknown>)[kk], (v as Record<string, unknown>)[kk], tolerance, 0));
          else ok = close(a, v, tolerance, 0);
        } else if (v && typeof v === 'object' && !Array.isArray(v) && 'values' in v) ok = !!a && close((a as Record<string, unknown>).values, (v as Record<string, unknown>).values);
        else if (floatLike(v)) ok = close(a, v);
        else ok = deepEq(a, v);
        if (!ok) return `observed_value ${JSON.stringify(a)} != ${JSON.stringify(v)}`;
        break;
      }
      case 'observed_value_list':
        if (!(v as unknown[]).some((x) => deepEq(result.observed_value, x))) return `observed_value ${JSON.stringify(result.observed_value)} not in ${JSON.stringify(v)}`;
        break;
      case 'unexpected_list':
      case 'partial_unexpected_list': {
        const a = (result[k] as unknown[] | undefined) ?? null;
        if (!a || !deepEq(sorted(a), sorted(v as unknown[]))) return `${k} ${JSON.stringify(a)} != ${JSON.stringify(v)}`;
        break;
      }
      case 'unexpected_index_list': {
        const a = (result[k] as unknown[] | undefined) ?? null;
        const pk = (xs: unknown[]): unknown[] => sorted(xs.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>).pk_index : x)));
        if (!a || !deepEq(pk(a), pk(v as unknown[]))) return `${k} ${JSON.stringify(a)} != ${JSON.stringify(v)}`;
        break;
      }
      case 'details':
        if (!deepEq(result.details, v)) return `details ${JSON.stringify(result.details)} != ${JSON.stringify(v)}`;
        break;
      case 'value_counts': {
        const vc = ((result.details as Record<string, unknown> | undefined)?.value_counts as unknown[]) ?? [];
        for (const e of v as unknown[]) if (!vc.some((x) => deepEq(x, e))) return `value_counts lacks ${JSON.stringify(e)}`;
        break;
      }
      case 'observed_partition':
      case 'expected_partition': {
        const d = ((result.details as Record<string, unknown> | undefined)?.[k] ?? {}) as Record<string, unknown>;
        for (const kk of ['bins', 'weights', 'tail_weights']) {
          const want = (v as Record<string, unknown>)[kk];
          if (want !== undefined && !close(d[kk], want, RTOL, 1e-8)) return `${k}.${kk} ${JSON.stringify(d[kk])} != ${JSON.stringify(want)}`;
        }
        break;
      }
      case 'traceback_substring': {
        const ei = res.exception_info as Record<string, unknown> | undefined;
        if (!(ei?.raised_exception === true || res.success === false)) return 'expected an exception or a failure';
        break;
      }
      default:
        break;
    }
  }
  return null;
}
