/**
 * tar archives (including PyTorch's original tar checkpoint layout: `sys_info`, `pickle`, `storages`,
 * `tensors`, every one of which torch.load unpickles): every regular member is scanned by content;
 * names that escape the extraction directory, links and special files become facts.
 */
import { SliceReader } from '../formats/compress/readers.js';
import { readTar, SparseReader, type SparseMap, type TarEntry } from '../formats/tar/index.js';
import type { RandomAccessReader } from '../artifact/types.js';
import { escapes, pathRisk } from './archive/paths.js';
import { chargeDecompressed, decompressLimits, giveUp, memberLocation, scanMember, takeEntry } from './archive/nested.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

const ID = 'tar';
const LEGACY = ['sys_info', 'pickle', 'storages', 'tensors'];

function entryFacts(ctx: ScanContext, input: ScanInput, e: TarEntry): void {
  const loc = memberLocation(input.location, e.name);
  const risk = pathRisk(e.name);
  if (risk) ctx.emit({ kind: `archive.${risk}`, location: loc, data: { container: 'tar', name: e.name, key: `${risk}:${e.name}` } });
  if (e.type === 'symlink' || e.type === 'hardlink') {
    ctx.emit({
      kind: 'archive.link',
      location: loc,
      data: { container: 'tar', name: e.name, linkType: e.type, target: e.linkname, escapes: escapes(e.name, e.linkname), key: `link:${e.name}` },
    });
  } else if (e.type === 'char' || e.type === 'block' || e.type === 'fifo' || e.type === 'other') {
    ctx.emit({ kind: 'archive.special-file', location: loc, data: { container: 'tar', name: e.name, fileType: e.type, typeflag: e.typeflag, key: `special:${e.name}` } });
  }
}

/**
 * A GNU sparse member as tarfile extracts it. Holes cost nothing to store, so they are charged to the
 * file's decompressed-bytes budget like any other expansion, and a member past it is cut there.
 */
function sparseMember(ctx: ScanContext, input: ScanInput, e: TarEntry, map: SparseMap): RandomAccessReader {
  const loc = memberLocation(input.location, e.name);
  const room = decompressLimits(ctx).maxOutput;
  const size = Math.min(e.size, room + map.stored);
  if (size < e.size) giveUp(ctx, loc, ID, 'LIMIT_EXCEEDED', `sparse member of ${e.size} bytes is larger than what is left of maxDecompressedBytes`, e.offset);
  chargeDecompressed(ctx, Math.max(0, size - map.stored));
  const missing = map.storedOffset + map.stored - input.reader.size;
  if (missing > 0) giveUp(ctx, loc, ID, 'TRUNCATED', `sparse member data ends ${missing} bytes past EOF`, e.offset);
  return new SparseReader(input.reader, map, size);
}

function plainMember(ctx: ScanContext, input: ScanInput, e: TarEntry): RandomAccessReader {
  const avail = Math.max(0, Math.min(e.size, input.reader.size - e.dataOffset));
  if (avail < e.size) giveUp(ctx, memberLocation(input.location, e.name), ID, 'TRUNCATED', `member data ends ${e.size - avail} bytes past EOF`);
  return new SliceReader(input.reader, e.dataOffset, avail);
}

export const tarScanner: Scanner = {
  id: ID,
  formats: ['tar'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const names: string[] = [];
    for await (const e of readTar(input.reader, { maxEntries: ctx.budgets.maxArchiveEntries, maxMetaBytes: 1 << 20 })) {
      names.push(e.name);
      entryFacts(ctx, input, e);
      if (e.type !== 'file') continue;
      if (!takeEntry(ctx, input, ID)) return;
      if (e.sparseError) {
        const offset = typeof e.sparseError.details.offset === 'number' ? e.sparseError.details.offset : e.offset;
        giveUp(ctx, memberLocation(input.location, e.name), ID, e.sparseError.code, `${e.name}: ${e.sparseError.message}`, offset);
        continue;
      }
      await scanMember(ctx, input, ID, e.name, e.sparse ? sparseMember(ctx, input, e, e.sparse) : plainMember(ctx, input, e));
    }
    if (LEGACY.every((n) => names.includes(n))) {
      ctx.emit({ kind: 'torch.legacy-tar', location: { ...input.location }, data: { members: names.length, key: 'legacy-tar' } });
    }
  },
};
