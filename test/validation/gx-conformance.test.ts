/**
 * GX conformance: every pandas case in GX 1.2.0's own test definitions, run through mlvet's engine
 * and judged by GX's rules. Known deviations are listed (with reasons) in KNOWN_DEVIATIONS; the test
 * fails on any other mismatch, and on a listed deviation that has started to pass (so the list stays true).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { compare } from './gx-compare.js';
import { loadCases, needsNativeDatetime, runCase } from './gx-harness.js';
import { KNOWN_DEVIATIONS } from './gx-deviations.js';

const VECTORS = join(ROOT, '..', 'shared', 'vectors', 'gx-conformance');

describe('GX conformance vectors', () => {
  it('are present beside the repo (CI checks out shared/ next to it)', () => {
    expect(existsSync(VECTORS), `missing ${VECTORS}: check out the shared/ folder beside the repo`).toBe(true);
  });
  if (!existsSync(VECTORS)) return;
  const cases = loadCases(VECTORS).filter((c) => !needsNativeDatetime(c));

  it('pass, except the documented deviations', async () => {
    const failures: string[] = [];
    const unexpectedPasses: string[] = [];
    let pass = 0;
    for (const c of cases) {
      const id = `${c.file} :: ${c.title}`;
      let why: string | null;
      try {
        const { result, exitLike } = await runCase(c);
        why = exitLike === 3 ? ('traceback_substring' in c.out || Object.keys(c.out).length === 0 ? null : 'configuration rejected') : compare(c.out, result, c.exact, c.tolerance);
      } catch (e) {
        why = `threw ${(e as Error).message}`;
      }
      if (why === null) {
        pass++;
        if (KNOWN_DEVIATIONS[id]) unexpectedPasses.push(id);
      } else if (!KNOWN_DEVIATIONS[id]) failures.push(`${id}: ${why}`);
    }
    process.stdout.write(`GX conformance: ${pass}/${cases.length} pandas cases pass\n`);
    expect(failures).toEqual([]);
    expect(unexpectedPasses).toEqual([]);
  });
});
