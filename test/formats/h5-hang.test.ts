/**
 * A fuzz-found .h5 (fixtures/fuzz-regressions/README.md) that sends the HDF5 C
 * library into an endless loop inside one synchronous call. h5wasm runs on a worker thread that is
 * terminated at the time budget, so the scan ends inconclusive instead of hanging; the next .h5 gets
 * a fresh worker (the one HDF5 worker per thread is kept only while it answers in time).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const LOOP = join(FIXTURES, 'fuzz-regressions', 'h5-endless-loop.h5');
const LAMBDA = join(FIXTURES, 'formats', 'malicious', 'e16-h5-lambda-safe-mode-bypass.h5');
const GADGET = join(FIXTURES, 'formats', 'malicious', 'e16-h5-training-config-gadget.h5');

describe('HDF5 endless loop', () => {
  // one scan: the loop first, alone on this thread's worker (concurrency 1), then the Keras files, which
  // need the worker after it; each endless loop waits out the whole budget, so it is paid once here
  it('ends as LIMIT_EXCEEDED within the per-file time budget, and the .h5 files after it are read in full', async () => {
    const t0 = Date.now();
    const r = await scan({ targets: [LOOP, LAMBDA, GADGET], concurrency: 1, config: { budgets: { maxSecondsPerFile: 3 } } });
    const ms = Date.now() - t0;
    const rules = [...new Set(r.findings.map((f) => f.ruleId))].sort();
    expect([r.inconclusive.map((i) => [i.code, i.path]), rules]).toEqual([
      [['LIMIT_EXCEEDED', 'h5-endless-loop.h5']],
      ['keras/h5-safe-mode-bypass', 'keras/lambda-dangerous-names', 'keras/unsafe-gadget'],
    ]);
    expect(ms).toBeLessThan(20_000);
  }, 30_000);
});
