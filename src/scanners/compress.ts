/**
 * Compression wrappers (gzip, zlib, bzip2, xz/lzma, zstd, joblib's compressed pickles including the
 * legacy `ZF0x` zlib header): decompress as a stream under the file's size/ratio budget, then scan the
 * output as a file of its own. A bomb stops at the budget and is inconclusive; what was decompressed
 * before the stop is still scanned, because payloads sit at the start.
 */
import { decompress, type Codec } from '../formats/compress/decompress.js';
import { chargeDecompressed, decompressLimits, emitBudgetStop, giveUp, scanMember } from './archive/nested.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

const ID = 'compress';
const CODECS: Record<string, { codec: Codec; name: string }> = {
  gzip: { codec: 'gzip', name: 'gunzip' },
  zlib: { codec: 'zlib', name: 'inflate' },
  bzip2: { codec: 'bzip2', name: 'bunzip2' },
  xz: { codec: 'xz', name: 'unxz' },
  zstd: { codec: 'zstd', name: 'unzstd' },
  'joblib-zlib': { codec: 'zlib', name: 'joblib-zlib' },
};

/** joblib < 0.10 wrote `ZF` + hex(length) padded to 19 bytes, then a zlib stream. */
const JOBLIB_ZF_HEADER = 21;

export const compressScanner: Scanner = {
  id: ID,
  formats: Object.keys(CODECS),
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const c = CODECS[input.probe.format]!;
    const start = input.probe.format === 'joblib-zlib' ? JOBLIB_ZF_HEADER : 0;
    const out = await decompress(input.reader, start, input.reader.size - start, c.codec, decompressLimits(ctx));
    chargeDecompressed(ctx, out.outBytes);
    if (out.error) giveUp(ctx, input.location, ID, out.error.code, `${c.name}: ${out.error.message} (after ${out.outBytes} bytes)`);
    emitBudgetStop(ctx, { ...input.location }, input.probe.format, c.name, out);
    ctx.emit({
      kind: 'compress.layer',
      location: { ...input.location },
      data: { codec: c.name, inBytes: out.inBytes, outBytes: out.outBytes, complete: !out.error, key: c.name },
    });
    await scanMember(ctx, input, ID, c.name, out.reader);
  },
};
