/**
 * The dispatcher owns I/O: it opens each file, sniffs its content, runs every scanner that claims the
 * format, and gives scanners a way to hand nested bytes (archive members, second-stage pickles) back
 * for the same treatment. A scanner that throws makes the file inconclusive; it never makes it clean.
 */
import type { ArtifactFile, RandomAccessReader } from '../artifact/types.js';
import { isMlvetError } from '../errors.js';
import { detectRest, detectSync } from './detect.js';
import { SCANNERS } from './index.js';
import type { Budgets } from '../model/budgets.js';
import type { Fact, InconclusiveEntry, Location } from '../model/facts.js';
import type { Probe, ScanContext, Scanner, ScanInput } from './types.js';
import { claimedFormat, unrecognizedMessage, wireSatisfiesClaim } from './claims.js';

const HEAD = 64 * 1024;

export interface FileScanResult {
  facts: Fact[];
  inconclusive: InconclusiveEntry[];
  formats: Array<{ path: string; member?: string; format: string; scanners: string[] }>;
  /** bytes this file's readers fetched (reported back from worker threads) */
  bytesRead?: number;
}

export interface DispatchOptions {
  budgets: Budgets;
  scanners?: Scanner[];
  /** called by the worker pool as each file finishes */
  onDone?: (path: string) => void;
  /** content labels that have no scanner yet are reported as inconclusive unless listed here */
  ignoredFormats?: ReadonlySet<string>;
}

/** The member's own name (last of the `!` chain), else the file's basename; never a directory part. */
export function innermostName(location: Location): string {
  const last = location.member ? location.member.slice(location.member.lastIndexOf('!') + 1) : location.path;
  return last.slice(Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\')) + 1);
}

/**
 * A small file read once: every scanner's reads (the probe, the pickle window, zip-tail's look for an
 * end record) come from these bytes, not from the disk again. On a tree of small files the repeated
 * reads, and the buffer each one allocated, were a large part of the per-file cost.
 */
class HeldReader implements RandomAccessReader {
  constructor(
    private readonly bytes: Uint8Array,
    /** the reader the bytes came from (its bytesRead, its close), or none for a file read whole */
    private readonly inner?: RandomAccessReader,
  ) {}

  static async of(inner: RandomAccessReader): Promise<HeldReader> {
    return new HeldReader(await inner.read(0, inner.size), inner);
  }

  get size(): number {
    return this.bytes.length;
  }

  get bytesRead(): number {
    return this.inner ? this.inner.bytesRead : this.bytes.length;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const from = Math.max(0, Math.min(offset, this.bytes.length));
    // a view, as BufferReader gives for every nested member: the scanners and format parsers read,
    // never write, what they are handed (checked for index writes, set, fill, copyWithin, swaps; the
    // pickle window copies a seed that is not the whole stream); a copy per read was two 12 KB
    // allocations per small file (issue 16)
    return Promise.resolve(this.bytes.subarray(from, Math.min(this.bytes.length, from + Math.max(0, length))));
  }

  readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
    const from = Math.max(0, Math.min(position, this.bytes.length));
    const part = this.bytes.subarray(from, Math.min(this.bytes.length, from + Math.max(0, length)));
    buf.set(part, bufOffset);
    return Promise.resolve(part.length);
  }

  close(): Promise<void> {
    return this.inner ? this.inner.close() : Promise.resolve();
  }
}

interface Declared {
  scanners: Scanner[];
  /** some of them also decide by the probe (`required`) */
  probed: boolean;
}

/** Per scanner list, per format: the scanners that declare the format, found once, not filtered per file. */
const BY_FORMAT = new WeakMap<readonly Scanner[], Map<string, Declared>>();

function scannersFor(scanners: readonly Scanner[], format: string, probe: Probe): Scanner[] {
  let byFormat = BY_FORMAT.get(scanners);
  if (!byFormat) BY_FORMAT.set(scanners, (byFormat = new Map<string, Declared>()));
  let declared = byFormat.get(format);
  if (!declared) {
    const list = scanners.filter((s) => s.formats.includes(format));
    byFormat.set(format, (declared = { scanners: list, probed: list.some((s) => s.required !== undefined) }));
  }
  return declared.probed ? declared.scanners.filter((s) => s.required?.(probe) ?? true) : declared.scanners;
}

function idsOf(scanners: Scanner[]): string[] {
  const ids = new Array<string>(scanners.length);
  for (let i = 0; i < scanners.length; i++) ids[i] = scanners[i]!.id;
  return ids;
}

export async function scanFile(file: ArtifactFile, opts: DispatchOptions): Promise<FileScanResult> {
  const out: FileScanResult = { facts: [], inconclusive: [], formats: [] };
  const deadline = Date.now() + opts.budgets.maxSecondsPerFile * 1000;
  const scanners = opts.scanners ?? SCANNERS;
  const ctx: ScanContext = {
    budgets: opts.budgets,
    deadline,
    emit: (f) => void out.facts.push(f),
    inconclusive: (e) => void out.inconclusive.push(e),
    scanNested: (reader, location, depth, o) => scanInput(reader, location, depth, o?.quiet ?? false),
  };

  async function scanInput(reader: RandomAccessReader, location: Location, depth: number, quiet: boolean): Promise<void> {
    // built without spreads: this runs for every file, mostly before any of it is optimised
    const where: { path: string; member?: string } = location.member ? { path: location.path, member: location.member } : { path: location.path };
    if (reader.size > opts.budgets.maxFileBytes) {
      ctx.inconclusive({ ...where, code: 'LIMIT_EXCEEDED', message: `larger than maxFileBytes (${opts.budgets.maxFileBytes})` });
      return;
    }
    const head = await reader.read(0, Math.min(HEAD, reader.size));
    const format = detectSync(head, reader.size) ?? (await detectRest(head, reader.size));
    const probe: Probe = { path: location.path, name: innermostName(location), size: reader.size, head, format };
    const chosen = scannersFor(scanners, format, probe);
    if (!quiet) out.formats.push(where.member === undefined ? { path: where.path, format, scanners: idsOf(chosen) } : { path: where.path, member: where.member, format, scanners: idsOf(chosen) });
    // bytes already reported partial (a member cut by a budget) need no second reason to be inconclusive
    const unrecognized = (): void => {
      const claim = quiet ? undefined : claimedFormat(probe.name);
      if (claim && reader.size > 0 && !wireSatisfiesClaim(probe.name, head, reader.size) && !out.inconclusive.some((i) => i.path === where.path && i.member === where.member)) ctx.inconclusive({ ...where, code: 'UNRECOGNIZED_FORMAT', message: unrecognizedMessage(probe.name, claim, format) });
    };
    if (chosen.length === 0) {
      if (format === 'unknown' || opts.ignoredFormats?.has(format)) unrecognized();
      else if (!quiet) ctx.inconclusive({ ...where, code: 'UNSUPPORTED', message: `${format} content is not scanned by this version of mlvet` });
      return;
    }
    // unknown bytes only go to speculative scanners (a ZIP found from its end): if they found nothing, nothing parsed the file
    const before = out.facts.length + out.inconclusive.length + out.formats.length;
    await runScanners(chosen, { reader, location, probe, depth, quiet }, where);
    if (format === 'unknown' && out.facts.length + out.inconclusive.length + out.formats.length === before) unrecognized();
  }

  async function runScanners(chosen: Scanner[], input: ScanInput, where: { path: string; member?: string }): Promise<void> {
    const quiet = input.quiet;
    for (const s of chosen) {
      try {
        await s.scan(input, ctx);
      } catch (e) {
        if (quiet) continue;
        const code = isMlvetError(e) ? e.code : 'PARSE_ERROR';
        const offset = isMlvetError(e) ? e.details.offset : undefined;
        ctx.inconclusive({
          ...where,
          ...(offset !== undefined ? { offset } : {}),
          code,
          message: `${s.id}: ${e instanceof Error ? e.message : String(e)}`,
          scanner: s.id,
        });
      }
    }
  }

  let reader: RandomAccessReader | undefined;
  try {
    const small = Math.min(HEAD, opts.budgets.maxFileBytes);
    // a file listed as small is read whole with nothing kept open, where the source can (local files)
    const whole = file.readAll && file.size <= small ? await file.readAll(small) : undefined;
    if (whole) reader = new HeldReader(whole);
    else {
      reader = await file.open();
      if (reader.size <= small) reader = await HeldReader.of(reader);
    }
    await scanInput(reader, { path: file.path }, 0, false);
  } catch (e) {
    out.inconclusive.push({
      path: file.path,
      code: isMlvetError(e) ? e.code : 'IO_ERROR',
      message: e instanceof Error ? e.message : String(e),
    });
  } finally {
    out.bytesRead = reader?.bytesRead ?? 0;
    await reader?.close();
  }
  return out;
}
