/**
 * GX conformance: every pandas case in GX 1.2.0's own test definitions, run through mlvet's engine
 * and judged by GX's rules. Known deviations are listed (with reasons) in KNOWN_DEVIATIONS; the test
 * fails on any other mismatch, and on a listed deviation that has started to pass (so the list stays true).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { compare } from './gx-compare.js';
import { loadCases, needsNativeDatetime, runCase } from './gx-harness.js';
import { KNOWN_DEVIATIONS } from './gx-deviations.js';

/** Vendored so a lone clone passes; fixtures/vectors/README.md says where they came from and how to refresh them. */
const VECTORS = join(FIXTURES, 'vectors', 'gx-conformance');

/** GX 1.2.0 test-definition files per category, as the vectors' README states (34 of GX's 50 pandas files). */
const FILES_PER_CATEGORY: [string, number][] = [
  ['column_aggregate_expectations', 9],
  ['column_distributional_expectations', 1],
  ['column_map_expectations', 15],
  ['column_pair_map_expectations', 2],
  ['multicolumn_map_expectations', 2],
  ['other_expectations', 5],
];

describe('GX conformance vectors', () => {
  it('vendored: README and upstream licence are present', () => {
    expect(['LICENSE-great_expectations.txt', 'README.md'].filter((f) => !existsSync(join(VECTORS, f)))).toEqual([]);
  });
  it.each(FILES_PER_CATEGORY)('vendored and complete: %s holds %i definition files', (category, count) => {
    expect(readdirSync(join(VECTORS, category)).filter((f) => f.endsWith('.json')).length).toBe(count);
  });
  it('vendored and complete: no category beyond those listed', () => {
    const dirs = readdirSync(VECTORS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(dirs.sort()).toEqual(FILES_PER_CATEGORY.map(([c]) => c));
  });
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
