/**
 * NumPy .npy arrays (alone or inside .npz / .keras zips): parse the header; an object dtype means the
 * body is a pickle, which is scanned as the one pickle np.load reads. Any other body must be exactly
 * shape × itemsize bytes (the file after the header, or the npz member). Bytes after the array, or a
 * shape no file could hold, are a `numpy.shape-mismatch` fact; a body that is merely shorter than a
 * plausible shape is an incomplete file and inconclusive (TRUNCATED), never clean.
 */
import { readNpyHeader } from '../formats/numpy/header.js';
import { checkNpySize } from '../formats/numpy/size.js';
import { scanPickleStream } from './pickle/index.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

function checkBody(input: ScanInput, ctx: ScanContext, h: Awaited<ReturnType<typeof readNpyHeader>>): void {
  const loc = input.location;
  const where = { path: loc.path, ...(loc.member ? { member: loc.member } : {}), offset: h.dataOffset, scanner: 'numpy' };
  const c = checkNpySize(h, input.reader.size - h.dataOffset);
  if (input.quiet && c.kind !== 'mismatch') return;
  if (c.kind === 'unknown-dtype') {
    ctx.inconclusive({ ...where, code: 'UNSUPPORTED', message: `numpy: dtype ${h.descr.slice(0, 80)} is not one mlvet sizes; the array body was not checked` });
  }
  if (c.kind !== 'mismatch') return;
  if (c.relation === 'short' && !c.impossible) {
    if (!input.quiet) ctx.inconclusive({ ...where, code: 'TRUNCATED', message: `numpy: the array needs ${c.expected} bytes, the body has ${c.actual} (an incomplete file?)` });
    return;
  }
  ctx.emit({
    kind: 'numpy.shape-mismatch',
    location: { ...loc, offset: h.dataOffset },
    data: {
      descr: h.descr, shape: h.dims.map(String).join(', '), relation: c.relation, impossible: c.impossible,
      elements: String(c.elements), itemSize: String(c.itemSize), expected: String(c.expected), actual: String(c.actual), key: 'npy-size',
    },
  });
}

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
    if (!h.objectDtype) return checkBody(input, ctx, h);
    await scanPickleStream(input.reader, input.location, input.depth, ctx, { start: h.dataOffset, maxStreams: 1, ...(input.quiet ? { quiet: true } : {}) });
  },
};
