/**
 * NumPy .npy arrays (alone or inside .npz / .keras zips): parse the header; an object dtype means the
 * body is a pickle, which is scanned as the one pickle np.load reads.
 */
import { readNpyHeader } from '../formats/numpy/header.js';
import { scanPickleStream } from './pickle/index.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

export const numpyScanner: Scanner = {
  id: 'numpy',
  formats: ['numpy'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const h = await readNpyHeader(input.reader);
    ctx.emit({
      kind: h.objectDtype ? 'numpy.object-array' : 'numpy.array',
      location: { ...input.location, offset: h.dataOffset },
      data: { descr: h.descr, shape: h.shape, version: h.version, key: 'npy' },
    });
    if (!h.objectDtype) return;
    await scanPickleStream(input.reader, input.location, input.depth, ctx, { start: h.dataOffset, maxStreams: 1, ...(input.quiet ? { quiet: true } : {}) });
  },
};
