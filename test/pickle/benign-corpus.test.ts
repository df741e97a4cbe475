/**
 * The real benign corpus (fixtures/benign, made by make.py with Debian's scikit-learn, pandas, statsmodels,
 * gensim, NLTK, xgboost, torch, cloudpickle and dill): every artifact scans with no finding at medium or
 * above (exit 0 at the default --fail-on) and nothing inconclusive. One scan() over the directory (make.py
 * itself is an hf/python-file note, below medium); the table by library (count, flagged) is printed and
 * checked against MANIFEST.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const dir = join(FIXTURES, 'benign');
const manifest = JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8')) as {
  files: Record<string, string[]>;
};
const libraries = Object.keys(manifest.files);
const SEVERE = new Set(['medium', 'high', 'critical']);

describe('real benign corpus (fixtures/benign)', () => {
  it('every file of every library: no finding at medium or above, nothing inconclusive', async () => {
    const r = await scan({ targets: [dir] });
    const libOf = (path: string): string => path.split('/')[0] ?? '';
    const files = new Map<string, number>();
    for (const path of new Set((r.files ?? []).map((f) => f.path)))
      files.set(libOf(path), (files.get(libOf(path)) ?? 0) + 1);
    const table = libraries.map((lib) => {
      const flagged = new Set(
        r.findings
          .filter((f) => libOf(f.location.path) === lib && SEVERE.has(f.severity))
          .map((f) => f.location.path),
      );
      return {
        library: lib,
        count: files.get(lib),
        expected: manifest.files[lib]!.length,
        flagged: flagged.size,
      };
    });
    console.log(
      table
        .map((t) => `${t.library.padEnd(18)} ${String(t.count).padStart(4)} ${String(t.flagged).padStart(4)}`)
        .join('\n'),
    );
    expect(
      r.findings
        .filter((f) => SEVERE.has(f.severity))
        .map((f) => `${f.ruleId} ${f.location.path} ${JSON.stringify(f.evidence.qualname ?? '')}`),
    ).toEqual([]);
    expect(r.inconclusive.map((i) => `${i.path} ${i.code}`)).toEqual([]);
    expect(table.filter((t) => t.count !== t.expected)).toEqual([]);
    expect(table.reduce((n, t) => n + (t.count ?? 0), 0)).toBeGreaterThanOrEqual(300);
  });
});
