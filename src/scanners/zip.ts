/**
 * ZIP containers (PyTorch checkpoints, TorchScript, .npz, .keras, plain zips): every member is scanned by
 * content, and every place where PyTorch's lenient reader and Python's zipfile would disagree becomes a
 * fact. Once the central directory is read, one read plan fetches every local header, the small
 * members whole and a few bytes from each end of every storage, all at once (formats/zip/plan.ts);
 * storages whose ends prove them tensor bytes are skipped (archive/storage-sniff.ts), so a 2 GiB
 * checkpoint costs its central directory, its pickles and a few hundred bytes per tensor.
 */
import { flagBits, memberReader, crcOf, METHOD_NAMES, openZip, ZIPFILE_ONLY_METHODS, type CentralEntry, type Member, type ZipArchive } from '../formats/zip/index.js';
import type { DataNeed, NeedOf } from '../formats/zip/plan.js';
import { isStorageMember, torchZipLayout, type TorchZipLayout } from '../formats/torch/layout.js';
import { isCompletePickle } from '../formats/torch/storage.js';
import { SliceReader } from '../formats/compress/readers.js';
import { findEocd } from '../formats/zip/central.js';
import { emitPathFacts } from './archive/paths.js';
import { plainByHead, SNIFF, STORAGE_HEAD } from './archive/storage-sniff.js';
import { SharedData, type Scanned } from './archive/shared-data.js';
import { chargeDecompressed, decompressLimits, emitBudgetStop, giveUp, memberLocation, scanMember, takeEntry } from './archive/nested.js';
import { detect } from './detect.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

const ID = 'zip';
/** members up to this size are planned whole (pickles, configs, small arrays) … */
const WHOLE_MAX = 1024 * 1024;
/** … while the plan's member data stays under this many bytes; the rest are read when scanned */
const PLAN_BYTES = 8 * 1024 * 1024;
/** the dispatcher's content probe of a larger member */
const PROBE = 64 * 1024;
/** members up to this size get their CRC checked (the bytes are read for scanning anyway) */
const CRC_MAX = 256 * 1024 * 1024;

function emitAnomalies(zip: ZipArchive, input: ScanInput, ctx: ScanContext): void {
  for (const a of zip.anomalies) {
    if (a.kind === 'flag-bits') continue; // reported per member, once we know whether it is readable
    const { kind, ...data } = a;
    const loc = 'member' in a ? memberLocation(input.location, a.member) : { ...input.location };
    ctx.emit({ kind: `zip.${kind}`, location: loc, data: { ...data, key: `${kind}:${'member' in a ? a.member : ''}` } });
  }
}

const isSkippableStorage = (layout: TorchZipLayout | undefined, e: CentralEntry): boolean =>
  layout !== undefined && isStorageMember(layout, e.name) && !(e.flags & 1) && e.method === 0;

/** What scanning each member will read, for the read plan: storages their ends, small members all. */
function planFor(entries: readonly CentralEntry[]): NeedOf {
  const layout = torchZipLayout(entries.map((e) => e.name));
  let left = PLAN_BYTES;
  const take = (n: number): boolean => left >= n && (left -= n) >= 0;
  return (e): DataNeed | undefined => {
    if (e.name.endsWith('/') && e.uncompressedSize === 0) return undefined;
    if (isSkippableStorage(layout, e) && e.compressedSize > SNIFF) return { head: STORAGE_HEAD, tail: 1 };
    if (e.compressedSize <= WHOLE_MAX && take(e.compressedSize)) return { whole: true };
    return take(PROBE) ? { head: PROBE } : undefined;
  };
}

/**
 * Tensor bytes stay unread unless their first bytes look like a format we scan. A pickle-looking head
 * is not enough (float noise is full of opcode bytes): the member must be one complete pickle. Its
 * first STORAGE_HEAD bytes and its last byte usually settle it; otherwise 4 KiB are sniffed.
 */
async function isPlainStorage(input: ScanInput, ctx: ScanContext, m: Member): Promise<boolean> {
  if (m.method !== 0 || m.broken) return false;
  const body = new SliceReader(input.reader, m.dataOffset, m.compressedSize);
  if (m.compressedSize > SNIFF) {
    const [head, last] = await Promise.all([body.read(0, STORAGE_HEAD), body.read(m.compressedSize - 1, 1)]);
    if (await plainByHead(head, last[0] ?? -1, m.compressedSize)) return true;
  }
  const label = await detect(await body.read(0, SNIFF), m.compressedSize);
  if (label === 'unknown') return true;
  if (label !== 'pickle') return false;
  if (!(await isCompletePickle(body, ctx.budgets, ctx.deadline))) return true;
  const loc = memberLocation(input.location, m.name);
  ctx.emit({ kind: 'torch.storage-pickle', location: loc, data: { member: m.name, size: m.compressedSize, key: `storage-pickle:${m.name}` } });
  return false;
}

/** Scan one member; `allowance` caps its output (a share of its overlap group's). */
async function scanOne(input: ScanInput, ctx: ScanContext, m: Member, layout: TorchZipLayout | undefined, allowance = Infinity): Promise<Scanned> {
  const loc = memberLocation(input.location, m.name);
  if (layout && isStorageMember(layout, m.name) && !(m.flags & 1) && (await isPlainStorage(input, ctx, m))) return { kind: 'storage', outBytes: 0 };
  if (ZIPFILE_ONLY_METHODS.has(m.method)) {
    const method = METHOD_NAMES[m.method]!;
    ctx.emit({ kind: 'zip.nonstandard-method', location: loc, data: { member: m.name, method: m.method, methodName: method, key: `method:${m.name}` } });
  }
  const lim = decompressLimits(ctx);
  const data = await memberReader(input.reader, m, { ...lim, maxOutput: Math.min(lim.maxOutput, allowance) });
  const outBytes = data.reader.size;
  if (m.method !== 0) chargeDecompressed(ctx, data.reader.size);
  if (data.inflated) emitBudgetStop(ctx, loc, 'zip', m.method === 12 ? 'bzip2' : m.method === 14 ? 'lzma' : 'inflate', data.inflated);
  const bits = flagBits(m.flags | (m.localFlags ?? 0));
  if (bits.length) {
    const head = await data.reader.read(0, Math.min(SNIFF, data.reader.size));
    const readable = (await detect(head, data.reader.size)) !== 'unknown';
    ctx.emit({ kind: 'zip.flag-bits', location: loc, data: { member: m.name, flags: m.flags, bits, readable, key: `flags:${m.name}` } });
    if (!readable && bits.includes('encrypted')) {
      giveUp(ctx, loc, ID, 'ENCRYPTED', 'member is marked encrypted and its bytes are not a known format');
      await data.reader.close();
      return { kind: 'scanned', outBytes };
    }
  }
  if (data.error) giveUp(ctx, loc, ID, data.error.code, `${m.name}: ${data.error.message}`);
  const crc = !data.error && data.reader.size <= CRC_MAX ? await crcOf(data.reader, ctx.deadline) : undefined;
  checkCrc(ctx, input, m, crc);
  await scanMember(ctx, input, ID, m.name, data.reader);
  return { kind: 'scanned', outBytes, ...(crc !== undefined ? { crc } : {}) };
}

function checkCrc(ctx: ScanContext, input: ScanInput, m: Member, actual: number | undefined): void {
  if (actual === undefined || actual === m.crc32) return;
  const loc = memberLocation(input.location, m.name);
  ctx.emit({ kind: 'zip.crc-mismatch', location: loc, data: { member: m.name, declared: hex(m.crc32), actual: hex(actual), key: `crc:${m.name}` } });
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');

/** Parse what is there, scan it, then report the lie: the members read before a count lie are scanned first. */
async function scanArchive(input: ScanInput, ctx: ScanContext, zip: ZipArchive): Promise<void> {
  const p = zip.cd.problem;
  try {
    await scanMembers(input, ctx, zip);
  } finally {
    if (p) giveUp(ctx, input.location, ID, p.code, p.message, p.offset);
  }
}

async function scanMembers(input: ScanInput, ctx: ScanContext, zip: ZipArchive): Promise<void> {
  emitAnomalies(zip, input, ctx);
  const shared = new SharedData(zip, input, ctx);
  shared.start();
  emitPathFacts(ctx, input.location, 'zip', zip.members.map((m) => m.name));
  const layout = torchZipLayout(zip.members.map((m) => m.name));
  let storages = 0;
  for (const m of zip.members) {
    if (m.name.endsWith('/') && m.uncompressedSize === 0) continue;
    // each distinct data range is scanned once: a later entry over the same bytes reuses the result
    const prior = shared.prior(m);
    if (prior) {
      checkCrc(ctx, input, m, prior.crc);
      continue;
    }
    const allowance = shared.allowance(m);
    if (allowance === 0) continue;
    if (!takeEntry(ctx, input, ID)) return;
    if (m.method !== 0 && m.method !== 8 && !METHOD_NAMES[m.method]) {
      giveUp(ctx, memberLocation(input.location, m.name), ID, 'UNSUPPORTED', `unknown compression method ${m.method}`);
      continue;
    }
    const done = await scanOne(input, ctx, m, layout, allowance);
    if (done.kind === 'storage') storages++;
    shared.record(m, done);
  }
  shared.finish();
  if (layout) {
    ctx.emit({
      kind: 'torch.zip',
      location: { ...input.location },
      data: { root: layout.root, torchscript: layout.torchscript, members: zip.members.length, storagesSkipped: storages, key: layout.root },
    });
  }
}

export const zipScanner: Scanner = {
  id: ID,
  formats: ['zip'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    // Salvage walks local headers of the file itself only. A nested zip without a directory is what an
    // overlapped bomb's output or a quoted local header looks like, and the outer directory already
    // names every range a reader would extract; it stays inconclusive, as before.
    const salvage = input.depth === 0;
    const zip = await openZip(input.reader, { maxEntries: ctx.budgets.maxArchiveEntries, maxCentralBytes: ctx.budgets.maxNestedBytes }, { salvage }, planFor);
    await scanArchive(input, ctx, zip);
  },
};

/**
 * A ZIP found from its end: bytes prepended to an archive hide its magic from a head sniff, but
 * zipfile (Keras, NumPy's is_zipfile users, self-extractors) finds archives from the EOCD record.
 * Speculative, so a tail that is not a readable archive is silently ignored.
 */
export const zipTailScanner: Scanner = {
  id: 'zip-tail',
  formats: ['unknown', 'pickle'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    if (input.reader.size < 22 || (await findEocd(input.reader)) < 0) return;
    let zip: ZipArchive;
    try {
      zip = await openZip(input.reader, { maxEntries: ctx.budgets.maxArchiveEntries, maxCentralBytes: ctx.budgets.maxNestedBytes }, { salvage: false }, planFor);
    } catch {
      return;
    }
    if (zip.members.length === 0) return;
    await scanArchive(input, ctx, zip);
  },
};
