/**
 * JSON Lines reader. Each line is one object; nested objects are flattened to dotted column names.
 * A bad line is reported with its line number and skipped (the dataset then ends inconclusive).
 */
import { MlvetError } from '../../errors.js';
import type { Batch, DataFile, ReaderOptions } from '../types.js';
import { RowBatcher } from './batcher.js';
import { fileChunks, lines } from './bytes.js';

/**
 * Python's json stops near 1,000 levels (its recursion limit); mlvet stops at 512, before flattening,
 * hashing or printing a value could overflow the call stack.
 */
export const MAX_JSON_DEPTH = 512;

/** Deepest bracket nesting outside strings; stops counting once past the limit. */
export function jsonDepth(line: string, limit = MAX_JSON_DEPTH): number {
  // a line shorter than the limit cannot nest deeper than it
  if (line.length <= limit) return 0;
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

const FLOAT_LITERAL = /"((?:[^"\\]|\\.)*)"\s*:\s*-?\d+(?:\.\d+[eE][+-]?\d+|\.\d+|[eE][+-]?\d+)\s*[,}]/g;

function flatten(obj: Record<string, unknown>, prefix: string, names: string[], values: unknown[]): void {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, name, names, values);
    else {
      names.push(name);
      values.push(v);
    }
  }
}

export async function* readJsonl(file: DataFile, rowStart: number, opts: ReaderOptions): AsyncGenerator<Batch> {
  const batchRows = opts.batchRows ?? 8192;
  const maxBad = opts.maxBadRows ?? 1000;
  const batcher = new RowBatcher(file.display, rowStart);
  let bad = 0;
  for await (const [line, lineNo] of lines(fileChunks(file), file.display)) {
    if (line.trim() === '') continue;
    const obj = parseLine(line);
    if (typeof obj === 'string') {
      if (++bad > maxBad) throw new MlvetError('PARSE_ERROR', `${file.display}: line ${lineNo}: too many bad rows (${bad})`, { path: file.display, row: lineNo });
      opts.onProblem?.({ file: file.display, row: lineNo, message: obj });
      continue;
    }
    const names: string[] = [];
    const values: unknown[] = [];
    flatten(obj, '', names, values);
    batcher.push(names, values);
    markFloats(line, names, values, batcher);
    if (batcher.size >= batchRows) yield batcher.flush()!;
  }
  const last = batcher.flush();
  if (last) yield last;
}

/** The line's object, or why it is a bad row. */
function parseLine(line: string): Record<string, unknown> | string {
  if (jsonDepth(line) > MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    return `not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return 'line is not a JSON object';
  return obj as Record<string, unknown>;
}

/** JSON.parse loses `1.0` vs `1`; pandas does not. Look at the raw text only when it matters. */
function markFloats(line: string, names: string[], values: unknown[], batcher: RowBatcher): void {
  let needed = false;
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (typeof v === 'number' && Number.isInteger(v) && !batcher.isFloat(names[j]!)) needed = true;
  }
  if (!needed || !/[.eE]/.test(line)) return;
  for (const m of line.matchAll(FLOAT_LITERAL)) {
    try {
      batcher.markFloat(JSON.parse(`"${m[1]!}"`) as string);
    } catch {
      /* a key we cannot decode cannot be a column either */
    }
  }
}
