/**
 * Symbolic values of the pickle machine. Only what matters for security is kept concretely: short
 * strings (module and attribute names), globals, calls and their arguments, and references to large
 * payloads by offset (read lazily if a loader is handed them). Containers keep a bounded prefix of
 * their items, so memory stays bounded on dense benign pickles.
 */

export interface GlobalRef {
  /** module as written in the stream */
  module: string;
  /** attribute path as written (may be dotted) */
  name: string;
  /** offset of the opcode that produced the reference */
  offset: number;
  /** GLOBAL, STACK_GLOBAL, INST, EXT, or a resolver like builtins.getattr */
  via: string;
}

export type Value =
  | { t: 'none' }
  | { t: 'bool' }
  | { t: 'int'; v: number | bigint }
  | { t: 'float' }
  | { t: 'str'; v: string; truncated?: true; ref?: PayloadRef; computed?: true }
  | { t: 'bytes'; v?: Uint8Array; ref?: PayloadRef; mutable?: true }
  | { t: 'list' | 'tuple' | 'set' | 'frozenset'; items: Value[]; n: number }
  | { t: 'dict'; items: Value[]; n: number }
  | { t: 'global'; g: GlobalRef }
  | { t: 'module'; name: string; offset: number }
  | { t: 'call'; fn: Value; args: Value[]; kwargs?: Value; offset: number; kind: CallKind; id: number; state?: Value }
  | { t: 'persid'; pid: Value; offset: number }
  | { t: 'buffer'; offset: number }
  | { t: 'unknown'; why: string };

export type CallKind = 'REDUCE' | 'NEWOBJ' | 'NEWOBJ_EX' | 'OBJ' | 'INST';

/** A payload too large to keep inline: a slice of the stream's reader. */
export interface PayloadRef {
  offset: number;
  length: number;
  /** BINUNICODE* payloads are UTF-8; STRING-family ones are latin-1 bytes */
  encoding: 'utf8' | 'latin1' | 'bytes';
}

/** Items kept per container; beyond this only the count is tracked. */
export const CONTAINER_KEEP = 32;
/** Strings longer than this are kept as a head plus a payload reference. */
export const STR_KEEP = 4096;

export const NONE: Value = { t: 'none' };
export const BOOL: Value = { t: 'bool' };
export const FLOAT: Value = { t: 'float' };

const SMALL_INTS: Value[] = Array.from({ length: 1281 }, (_, i) => ({ t: 'int', v: i - 256 }));

export function intValue(v: number | bigint): Value {
  if (typeof v === 'number' && Number.isInteger(v) && v >= -256 && v <= 1024) return SMALL_INTS[v + 256]!;
  return { t: 'int', v };
}

/** Human-readable preview for evidence (bounded). */
export function preview(v: Value | undefined, depth = 0): string {
  if (v === undefined) return '?';
  if (depth > 3) return '…';
  switch (v.t) {
    case 'none':
      return 'None';
    case 'bool':
      return 'bool';
    case 'int':
      return String(v.v);
    case 'float':
      return 'float';
    case 'str': {
      const s = v.v.length > 120 ? v.v.slice(0, 120) + '…' : v.v;
      return JSON.stringify(s) + (v.truncated ? '…' : '');
    }
    case 'bytes': {
      const n = v.v ? v.v.length : (v.ref?.length ?? 0);
      return `<${n} bytes>`;
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset': {
      const inner = v.items.slice(0, 6).map((x) => preview(x, depth + 1));
      if (v.n > 6) inner.push('…');
      const [open, close] = v.t === 'list' ? ['[', ']'] : v.t === 'tuple' ? ['(', ')'] : ['{', '}'];
      return open + inner.join(', ') + (v.t === 'tuple' && v.n === 1 ? ',' : '') + close;
    }
    case 'dict': {
      const parts: string[] = [];
      for (let i = 0; i + 1 < v.items.length && parts.length < 4; i += 2) {
        parts.push(`${preview(v.items[i], depth + 1)}: ${preview(v.items[i + 1], depth + 1)}`);
      }
      if (v.n > parts.length) parts.push('…');
      return '{' + parts.join(', ') + '}';
    }
    case 'global':
      return qualName(v.g);
    case 'module':
      return `<module ${v.name}>`;
    case 'call':
      return `${preview(v.fn, depth + 1)}(${v.args
        .slice(0, 4)
        .map((a) => preview(a, depth + 1))
        .join(', ')}${v.args.length > 4 ? ', …' : ''})`;
    case 'persid':
      return `persistent_load(${preview(v.pid, depth + 1)})`;
    case 'buffer':
      return '<buffer>';
    case 'unknown':
      return `<${v.why}>`;
  }
}

export function qualName(g: { module: string; name: string }): string {
  return `${g.module}.${g.name}`;
}
