/**
 * A fuzz-found .h5 (fixtures/fuzz-regressions/README.md) that sends the HDF5 C
 * library into an endless loop inside one synchronous call. h5wasm now runs on a worker thread that is
 * terminated at the time budget, so the scan ends inconclusive instead of hanging.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

describe('HDF5 endless loop', () => {
  it('ends as LIMIT_EXCEEDED within the per-file time budget', async () => {
    const t0 = Date.now();
    const r = await scan({ targets: [join(FIXTURES, 'fuzz-regressions', 'h5-endless-loop.h5')], config: { budgets: { maxSecondsPerFile: 3 } } });
    expect(r.inconclusive.map((i) => i.code)).toEqual(['LIMIT_EXCEEDED']);
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 30_000);
});
