/**
 * 7z archives (how the nullifAI models were packaged): listed and extracted with 7-Zip itself
 * (7z-wasm), then every member is scanned by content like a ZIP member (`model.7z!archive/data.pkl`).
 * Sizes come from the archive's header, which 7-Zip's decoders honour exactly, so the size and ratio
 * budgets are enforced before anything is decompressed. The archive is held in memory (at most
 * `maxNestedBytes`) and so is what is extracted (at most 512 MiB per archive); beyond either, the
 * rest is inconclusive. Encrypted members or headers are `ENCRYPTED`.
 */
import { BufferReader } from '../artifact/buffer-reader.js';
import { readSevenZipHead } from '../formats/sevenzip/header.js';
import { openSevenZip, parseListing, type SevenZipEntry, type SevenZipSession } from '../formats/sevenzip/wasm.js';
import { emitPathFacts, escapes } from './archive/paths.js';
import { chargeDecompressed, decompressLimits, giveUp, memberLocation, scanMember, takeEntry } from './archive/nested.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

const ID = '7z';
const MAX_OUTPUT = 512 * 1024 * 1024;
const OUT = '/out';

/** Members to extract, in archive order, while the byte and ratio budgets allow. */
function plan(input: ScanInput, ctx: ScanContext, entries: SevenZipEntry[]): { take: SevenZipEntry[]; skipped: number } {
  const lim = decompressLimits(ctx);
  let allowed = Math.min(lim.maxOutput, MAX_OUTPUT);
  const total = entries.reduce((a, e) => a + e.size, 0);
  if (total > 1 << 20 && total > input.reader.size * lim.maxRatio) allowed = Math.min(allowed, input.reader.size * lim.maxRatio);
  const take: SevenZipEntry[] = [];
  let sum = 0;
  for (const e of entries) {
    if (sum + e.size > allowed) break;
    if (!takeEntry(ctx, input, ID)) break;
    take.push(e);
    sum += e.size;
  }
  return { take, skipped: entries.length - take.length };
}

function failure(lines: string[]): { code: 'TRUNCATED' | 'PARSE_ERROR'; message: string } {
  const msg = lines.filter((l) => /ERROR|Error|error|Unexpected|Can not|Cannot/.test(l)).slice(0, 3).join('; ') || 'unreadable archive';
  return { code: /Unexpected end|truncated/i.test(msg) ? 'TRUNCATED' : 'PARSE_ERROR', message: msg };
}

function walkOut(s: SevenZipSession, dir: string, out: Array<{ rel: string; path: string; link: boolean }>): void {
  for (const n of s.fs.readdir(dir)) {
    if (n === '.' || n === '..') continue;
    const p = `${dir}/${n}`;
    const st = s.fs.lstat(p);
    if (s.fs.isDir(st.mode)) walkOut(s, p, out);
    else out.push({ rel: p.slice(OUT.length + 1), path: p, link: s.fs.isLink(st.mode) });
  }
}

async function extractAndScan(input: ScanInput, ctx: ScanContext, s: SevenZipSession, take: SevenZipEntry[], all: boolean): Promise<void> {
  // -spd: names in the list file are literal, not wildcards
  if (!all) s.fs.writeFile('/list.txt', take.map((e) => e.path).join('\n'));
  s.fs.mkdir(OUT);
  const r = s.run(['x', `-o${OUT}`, '-spd', ...(all ? [] : ['-i@/list.txt']), '-snl']);
  if (r.code !== 0) giveUp(ctx, input.location, ID, r.threw ? 'PARSE_ERROR' : failure(r.lines).code, `7-Zip could not extract every member: ${failure(r.lines).message}`);
  const files: Array<{ rel: string; path: string; link: boolean }> = [];
  walkOut(s, OUT, files);
  for (const f of files) {
    if (f.link) {
      const target = s.fs.readlink(f.path);
      ctx.emit({ kind: 'archive.link', location: memberLocation(input.location, f.rel), data: { container: '7z', name: f.rel, linkType: 'symlink', target, escapes: escapes(f.rel, target), key: `link:${f.rel}` } });
      continue;
    }
    const bytes = s.fs.readFile(f.path);
    s.fs.unlink(f.path);
    chargeDecompressed(ctx, bytes.length);
    await scanMember(ctx, input, ID, f.rel, new BufferReader(bytes));
  }
}

export const sevenZipScanner: Scanner = {
  id: ID,
  formats: ['7z'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const head = await readSevenZipHead(input.reader);
    if (head.headerEncrypted) return giveUp(ctx, input.location, ID, 'ENCRYPTED', 'the 7z header is encrypted: member names and contents are hidden');
    if (input.reader.size > ctx.budgets.maxNestedBytes) {
      return giveUp(ctx, input.location, ID, 'LIMIT_EXCEEDED', `7z archive of ${input.reader.size} bytes is larger than maxNestedBytes (${ctx.budgets.maxNestedBytes})`);
    }
    const s = await openSevenZip(await input.reader.read(0, input.reader.size));
    const l = s.run(['l', '-slt']);
    const listing = parseListing(l.lines);
    if (l.code !== 0 || listing.type !== '7z') {
      const f = failure(l.lines);
      return giveUp(ctx, input.location, ID, l.threw ? 'PARSE_ERROR' : f.code, `7-Zip could not list the archive: ${f.message}`);
    }
    emitPathFacts(ctx, input.location, '7z', listing.entries.map((e) => e.path));
    const files = listing.entries.filter((e) => !e.dir);
    for (const e of files.filter((x) => x.encrypted)) giveUp(ctx, memberLocation(input.location, e.path), ID, 'ENCRYPTED', 'member is encrypted');
    const { take, skipped } = plan(input, ctx, files.filter((x) => !x.encrypted));
    if (skipped > 0) giveUp(ctx, input.location, ID, 'LIMIT_EXCEEDED', `${skipped} members not extracted: size, ratio or entry budget`);
    if (take.length === 0) return;
    await extractAndScan(input, ctx, s, take, take.length === files.length);
  },
};
