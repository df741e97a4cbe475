/**
 * tar archives (including PyTorch's original tar checkpoint layout: `sys_info`, `pickle`, `storages`,
 * `tensors`, every one of which torch.load unpickles): every regular member is scanned by content;
 * names that escape the extraction directory, links and special files become facts.
 */
import { SliceReader } from '../formats/compress/readers.js';
import { readTar, type TarEntry } from '../formats/tar/index.js';
import { escapes, pathRisk } from './archive/paths.js';
import { giveUp, memberLocation, scanMember, takeEntry } from './archive/nested.js';
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
      const avail = Math.max(0, Math.min(e.size, input.reader.size - e.dataOffset));
      if (avail < e.size) giveUp(ctx, memberLocation(input.location, e.name), ID, 'TRUNCATED', `member data ends ${e.size - avail} bytes past EOF`);
      await scanMember(ctx, input, ID, e.name, new SliceReader(input.reader, e.dataOffset, avail));
    }
    if (LEGACY.every((n) => names.includes(n))) {
      ctx.emit({ kind: 'torch.legacy-tar', location: { ...input.location }, data: { members: names.length, key: 'legacy-tar' } });
    }
  },
};
