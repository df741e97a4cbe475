/**
 * Suite parameters: `{"$PARAMETER": "name"}` takes `suite_parameters.name`; otherwise the text is
 * GX's small expression language (`now()`, `datetime(2003, 1, 1)`, `now() - timedelta(weeks=52)`, arithmetic).
 * URNs that point at other validation runs (0.x) cannot be resolved from a file and are rejected.
 */
import { MlvetError } from '../../errors.js';

const UNIT_MS: Record<string, number> = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };

type Val = number | Date;

function evalExpr(src: string, params: Record<string, unknown>): unknown {
  const toks = src.match(/\d+(?:\.\d+)?|[A-Za-z_]\w*|[()+\-*/,=]/g) ?? [];
  let p = 0;
  const peek = (): string | undefined => toks[p];
  const eat = (t?: string): string => {
    const x = toks[p++];
    if (x === undefined || (t && x !== t)) throw new Error(`expected ${t ?? 'a token'}`);
    return x;
  };
  const args = (): Array<[string | null, Val]> => {
    const out: Array<[string | null, Val]> = [];
    eat('(');
    while (peek() !== ')') {
      let key: string | null = null;
      if (/^[A-Za-z_]/.test(peek() ?? '') && toks[p + 1] === '=') {
        key = eat();
        eat('=');
      }
      out.push([key, sum()]);
      if (peek() === ',') eat(',');
    }
    eat(')');
    return out;
  };
  const atom = (): Val => {
    const t = eat();
    if (t === '(') {
      const v = sum();
      eat(')');
      return v;
    }
    if (t === '-') return -(atom() as number);
    if (/^\d/.test(t)) return Number(t);
    if (t === 'now') return args(), new Date();
    if (t === 'datetime') {
      const a = args().map(([, v]) => v as number);
      return new Date(Date.UTC(a[0] ?? 1970, (a[1] ?? 1) - 1, a[2] ?? 1, a[3] ?? 0, a[4] ?? 0, a[5] ?? 0));
    }
    if (t === 'timedelta') return args().reduce((ms, [k, v]) => ms + (v as number) * (UNIT_MS[k ?? 'days'] ?? NaN), 0);
    if (t in params && (typeof params[t] === 'number')) return params[t];
    throw new Error(`unknown name "${t}"`);
  };
  const prod = (): Val => {
    let v = atom();
    while (peek() === '*' || peek() === '/') {
      const op = eat();
      const r = atom() as number;
      v = op === '*' ? (v as number) * r : (v as number) / r;
    }
    return v;
  };
  const sum = (): Val => {
    let v = prod();
    while (peek() === '+' || peek() === '-') {
      const op = eat();
      const r = prod();
      const sign = op === '+' ? 1 : -1;
      if (v instanceof Date) v = new Date(v.getTime() + sign * (r as number));
      else v = v + sign * (r as number);
    }
    return v;
  };
  const v = sum();
  if (p !== toks.length) throw new Error('trailing text');
  return v instanceof Date ? v.toISOString().replace(/\.\d{3}Z$/, '') : v;
}

export function resolveParams(kwargs: Record<string, unknown>, params: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && '$PARAMETER' in v) {
      const name = String((v as Record<string, unknown>).$PARAMETER);
      if (name.startsWith('urn:great_expectations:')) {
        throw new MlvetError('SUITE_INVALID', `${where}: kwarg "${k}" refers to another validation run (${name}); mlvet cannot resolve URN parameters`);
      }
      if (name in params) out[k] = params[name];
      else {
        try {
          out[k] = evalExpr(name, params);
        } catch (e) {
          throw new MlvetError('SUITE_INVALID', `${where}: kwarg "${k}": suite parameter "${name}" is not set and is not an expression (${(e as Error).message})`);
        }
      }
    } else out[k] = v;
  }
  return out;
}
