/**
 * Calls and their arguments, read from the token stream: `a.b.c(x, key=value, *rest, **kw)` with the
 * position of the callee, each argument's tokens, and the literal value when an argument is a plain
 * string, a constant, or a module-level name bound once to a string (`MODEL = "org/x"`).
 * `from m import f as g` aliases are undone so `g(...)` reads as `m.f(...)`.
 */
import type { Token } from './tokenize.js';

export interface PyArg {
  /** keyword name; absent for positional arguments */
  name?: string;
  /** `*` or `**` unpacking */
  star?: '*' | '**';
  /** the value when it is known statically */
  literal?: string | boolean | null;
  /** the argument is an expression we do not evaluate */
  dynamic: boolean;
  line: number;
  column: number;
}

export interface PyCall {
  /** dotted callee, aliases resolved (`transformers.AutoModel.from_pretrained`) */
  callee: string;
  line: number;
  column: number;
  args: PyArg[];
}

const CONSTS: Record<string, boolean | null> = { True: true, False: false, None: null };

/** Tokens without comments and NL (layout inside brackets). */
function code(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type !== 'COMMENT' && t.type !== 'NL');
}

/** `from m import a as b` → b ↦ m.a; `import m as n` → n ↦ m. */
export function importAliases(toks: Token[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const atStart = i === 0 || toks[i - 1]!.type === 'NEWLINE' || toks[i - 1]!.text === ';';
    if (!atStart || t.type !== 'NAME' || (t.text !== 'from' && t.text !== 'import')) continue;
    let j = i + 1;
    let mod = '';
    if (t.text === 'from') {
      while (j < toks.length && toks[j]!.text !== 'import') mod += toks[j++]!.text;
      j++;
    }
    while (j < toks.length && toks[j]!.type !== 'NEWLINE' && toks[j]!.text !== ';') {
      if (toks[j]!.text === '(' || toks[j]!.text === ')' || toks[j]!.text === ',') {
        j++;
        continue;
      }
      let name = '';
      while (j < toks.length && (toks[j]!.type === 'NAME' || toks[j]!.text === '.') && toks[j]!.text !== 'as') name += toks[j++]!.text;
      let alias = t.text === 'from' ? name : name.split('.')[0]!;
      let full = t.text === 'from' ? `${mod}.${name}` : name.split('.')[0]!;
      if (toks[j]?.text === 'as') {
        alias = toks[j + 1]?.text ?? alias;
        full = t.text === 'from' ? `${mod}.${name}` : name;
        j += 2;
      }
      if (alias && name) out.set(alias, full);
      if (!name) j++;
    }
  }
  return out;
}

/** Module-level `NAME = "string"` bindings that are assigned exactly once. */
export function stringConstants(toks: Token[]): Map<string, string> {
  const seen = new Map<string, string | undefined>();
  for (let i = 0; i + 3 < toks.length; i++) {
    const atStart = i === 0 || toks[i - 1]!.type === 'NEWLINE';
    const [n, eq, v, end] = [toks[i]!, toks[i + 1]!, toks[i + 2]!, toks[i + 3]!];
    if (!atStart || n.type !== 'NAME' || eq.text !== '=') continue;
    const plain = v.type === 'STRING' && v.value !== undefined && (end.type === 'NEWLINE' || end.text === ';');
    seen.set(n.text, seen.has(n.text) || !plain ? undefined : v.value);
  }
  const out = new Map<string, string>();
  for (const [k, v] of seen) if (v !== undefined) out.set(k, v);
  return out;
}

function argOf(ts: Token[], consts: Map<string, string>): PyArg {
  let k = 0;
  const arg: PyArg = { dynamic: true, line: ts[0]?.line ?? 0, column: ts[0]?.column ?? 0 };
  if (ts[0]?.text === '*' || ts[0]?.text === '**') {
    arg.star = ts[0].text;
    k = 1;
  } else if (ts[0]?.type === 'NAME' && ts[1]?.text === '=') {
    arg.name = ts[0].text;
    k = 2;
  }
  const v = ts.slice(k);
  if (v.length > 0 && v.every((t) => t.type === 'STRING' && t.value !== undefined)) {
    arg.literal = v.map((t) => t.value).join(''); // implicit concatenation
    arg.dynamic = false;
  } else if (v.length === 1 && v[0]!.type === 'NAME' && v[0]!.text in CONSTS) {
    arg.literal = CONSTS[v[0]!.text]!;
    arg.dynamic = false;
  } else if (v.length === 1 && v[0]!.type === 'NAME' && consts.has(v[0]!.text)) {
    arg.literal = consts.get(v[0]!.text)!;
    arg.dynamic = false;
  }
  return arg;
}

/** Split the tokens between `(` at `open` and its `)` into arguments; returns them and the index after `)`. */
function splitArgs(toks: Token[], open: number, consts: Map<string, string>): { args: PyArg[]; end: number } {
  const args: PyArg[] = [];
  let depth = 0;
  let cur: Token[] = [];
  let j = open + 1;
  for (; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.type === 'OP' && '([{'.includes(t.text)) depth++;
    if (t.type === 'OP' && ')]}'.includes(t.text)) {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && t.text === ',') {
      if (cur.length) args.push(argOf(cur, consts));
      cur = [];
    } else cur.push(t);
  }
  if (cur.length) args.push(argOf(cur, consts));
  return { args, end: j + 1 };
}

/** Every call in the source whose last callee component is in `names`. */
export function findCalls(tokens: Token[], names: ReadonlySet<string>): PyCall[] {
  const toks = code(tokens);
  const aliases = importAliases(toks);
  const consts = stringConstants(toks);
  const out: PyCall[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.type !== 'NAME' || toks[i + 1]?.text !== '(' || toks[i - 1]?.text === 'def' || toks[i - 1]?.text === 'class') continue;
    // walk back over `a.b.` so `torch.hub.load(` reads as one callee; `f().g(` keeps just `g`
    let k = i;
    const parts = [t.text];
    while (toks[k - 1]?.text === '.' && toks[k - 2]?.type === 'NAME') {
      parts.unshift(toks[k - 2]!.text);
      k -= 2;
    }
    const head = aliases.get(parts[0]!);
    const callee = (head ? [head, ...parts.slice(1)] : parts).join('.');
    const tail = callee.split('.');
    if (!names.has(tail[tail.length - 1]!) && !names.has(callee) && !names.has(tail.slice(-2).join('.'))) continue;
    const { args } = splitArgs(toks, i + 1, consts);
    out.push({ callee, line: toks[k]!.line, column: toks[k]!.column, args });
  }
  return out;
}

/** The argument bound to a parameter: by keyword, else by position. */
export function argFor(call: PyCall, keyword: string, position?: number): PyArg | undefined {
  const kw = call.args.find((a) => a.name === keyword);
  if (kw) return kw;
  if (position === undefined) return undefined;
  const positional = call.args.filter((a) => !a.name && !a.star);
  return positional[position];
}
