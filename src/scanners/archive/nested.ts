/**
 * Shared plumbing for container scanners: member locations (`outer!inner`), the per-file budget that
 * all nested containers draw from (entries and decompressed bytes, so a 42.zip-style bomb runs dry no
 * matter how it is nested), and the hand-off of a member to the dispatcher.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import type { MlvetErrorCode } from '../../errors.js';
import type { DecompressLimits, DecompressResult } from '../../formats/compress/decompress.js';
import type { Location } from '../../model/facts.js';
import type { ScanContext, ScanInput } from '../types.js';

interface FileBudget {
  entries: number;
  decompressed: number;
}

const perFile = new WeakMap<ScanContext, FileBudget>();

function budgetOf(ctx: ScanContext): FileBudget {
  let b = perFile.get(ctx);
  if (!b) perFile.set(ctx, (b = { entries: 0, decompressed: 0 }));
  return b;
}

export function memberLocation(loc: Location, name: string): Location {
  return { ...(loc.target ? { target: loc.target } : {}), path: loc.path, member: loc.member ? `${loc.member}!${name}` : name };
}

/** Record an inconclusive entry for this input (or one of its members). */
export function giveUp(ctx: ScanContext, loc: Location, scanner: string, code: MlvetErrorCode, message: string, offset?: number): void {
  ctx.inconclusive({
    path: loc.path,
    ...(loc.member ? { member: loc.member } : {}),
    ...(offset !== undefined ? { offset } : {}),
    code,
    message,
    scanner,
  });
}

/** Decompression limits for the next member: what is left of the file's budget. */
export function decompressLimits(ctx: ScanContext): DecompressLimits {
  const b = budgetOf(ctx);
  return {
    maxOutput: Math.max(0, ctx.budgets.maxDecompressedBytes - b.decompressed),
    maxRatio: ctx.budgets.maxCompressionRatio,
    maxInMemoryInput: ctx.budgets.maxNestedBytes,
    deadline: ctx.deadline,
  };
}

export function chargeDecompressed(ctx: ScanContext, bytes: number): void {
  budgetOf(ctx).decompressed += bytes;
}

/**
 * When a budget stopped a stream, say which one as a fact: a ratio stop is evidence of a bomb (the
 * `archive/decompression-bomb` rule), a size or time stop is only a limit of this scan.
 */
export function emitBudgetStop(ctx: ScanContext, loc: Location, container: string, codec: string, d: DecompressResult): void {
  if (!d.budget) return;
  ctx.emit({
    kind: 'archive.decompression-budget',
    location: loc,
    data: {
      container,
      codec,
      budget: d.budget,
      outBytes: d.outBytes,
      consumed: d.consumed,
      ratio: Math.round(d.outBytes / Math.max(1, d.consumed)),
      key: `budget:${codec}`,
    },
  });
}

/**
 * Count one more archive entry against the file's budget. Returns false (after recording the
 * inconclusive entry once per container) when the budget or the deadline is exhausted.
 */
export function takeEntry(ctx: ScanContext, input: ScanInput, scanner: string): boolean {
  const b = budgetOf(ctx);
  if (Date.now() > ctx.deadline) {
    giveUp(ctx, input.location, scanner, 'LIMIT_EXCEEDED', 'time budget exhausted before every member was scanned');
    return false;
  }
  if (++b.entries > ctx.budgets.maxArchiveEntries) {
    giveUp(ctx, input.location, scanner, 'LIMIT_EXCEEDED', `more than ${ctx.budgets.maxArchiveEntries} archive entries in this file (all levels)`);
    return false;
  }
  return true;
}

/** Scan a member's bytes as a file of its own, one level deeper. Closes the reader. */
export async function scanMember(
  ctx: ScanContext,
  input: ScanInput,
  scanner: string,
  name: string,
  reader: RandomAccessReader,
): Promise<void> {
  const loc = memberLocation(input.location, name);
  try {
    if (input.depth + 1 > ctx.budgets.maxNestingDepth) {
      giveUp(ctx, loc, scanner, 'LIMIT_EXCEEDED', `containers nested deeper than ${ctx.budgets.maxNestingDepth} levels`);
      return;
    }
    await ctx.scanNested(reader, loc, input.depth + 1, input.quiet ? { quiet: true } : undefined);
  } finally {
    await reader.close();
  }
}
