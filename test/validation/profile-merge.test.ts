/**
 * `mlvet profile --shard K/N` and `mlvet profile merge`: vega-datasets' seattle-weather.csv (1,461 rows,
 * written by no one here) split into part files, profiled shard by shard with one `--edges-from`, merged,
 * and compared with the profile of the whole: exact fields equal, quantiles within the KLL rank error,
 * distinct counts equal (exact sets), the same validate verdict. Refusals exit 3 and name the column.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, runCliJson } from '../helpers/cli.js';
import { inShard } from '../../src/scanners/shard.js';
import type { Baseline } from '../../src/validation/profile/baseline.js';
import { Kll } from '../../src/validation/sketch/kll.js';

const SRC = join(ROOT, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv');
const dir = mkdtempSync(join(tmpdir(), 'mlvet-pmerge-'));
const data = join(dir, 'data');
const PARTS = 6;
const read = (p: string): Baseline => JSON.parse(readFileSync(p, 'utf8')) as Baseline;
const out = (name: string): string => join(dir, name);

async function ok(args: string[]): Promise<void> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(0);
}

let whole: Baseline;
let fixed: Baseline;
let merged: Baseline;

beforeAll(async () => {
  const [head, ...rows] = readFileSync(SRC, 'utf8').trimEnd().split('\n');
  mkdirSync(data);
  // round-robin rows into part files, so each part spans the whole period (as shards of a shuffled export do)
  for (let p = 0; p < PARTS; p++) writeFileSync(join(data, `part-${p}.csv`), [head, ...rows.filter((_, i) => i % PARTS === p)].join('\n') + '\n');
  writeFileSync(out('batch.csv'), [head, ...rows.filter((_, i) => i % 7 === 3)].join('\n') + '\n');
  const L = ['--label', 'weather', '--no-progress'];
  await ok(['profile', data, '-o', out('whole.json'), ...L]);
  // the shared edges come from one small profile (a sample); every shard and the reference use them
  await ok(['profile', join(data, 'part-0.csv'), '-o', out('seed.json'), ...L]);
  await ok(['profile', data, '--edges-from', out('seed.json'), '-o', out('fixed.json'), ...L]);
  for (let k = 1; k <= 3; k++) await ok(['profile', data, '--shard', `${k}/3`, '--edges-from', out('seed.json'), '-o', out(`s${k}.json`), ...L]);
  await ok(['profile', 'merge', out('s1.json'), out('s2.json'), out('s3.json'), '-o', out('merged.json')]);
  whole = read(out('whole.json'));
  fixed = read(out('fixed.json'));
  merged = read(out('merged.json'));
}, 20_000);

describe('mlvet profile --shard K/N', () => {
  it('profiles exactly the files scan --shard would pick, and the shards cover every file once', () => {
    const files = Array.from({ length: PARTS }, (_, p) => `part-${p}.csv`);
    const seen: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const s = read(out(`s${k}.json`));
      const picked = s.source.files.map((f) => f.path.split(/[\\/]/).pop()!);
      expect(picked).toEqual(files.filter((f) => inShard(f, { index: k, count: 3 })));
      seen.push(...picked);
    }
    expect(seen.sort()).toEqual(files);
  });
});

describe('mlvet profile merge equals the profile of the concatenation', () => {
  it('the merged file is a baseline by schemas/baseline.schema.json', () => {
    const valid = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'baseline.schema.json'), 'utf8')) as object);
    expect(valid(merged), JSON.stringify(valid.errors)).toBe(true);
  });

  it('exact fields: rows, counts, missing, min/max, label counts, exact top values, histograms, tables', () => {
    expect(merged.rows).toBe(1461);
    expect(merged.rows).toBe(whole.rows);
    expect(merged.label).toEqual(whole.label);
    expect(merged.columns.map((c) => c.name)).toEqual(whole.columns.map((c) => c.name));
    let tables = 0;
    for (const name of Object.keys(whole.stats)) {
      const m = merged.stats[name]!;
      const w = whole.stats[name]!;
      const f = fixed.stats[name]!;
      expect([m.count, m.missing, m.kind], name).toEqual([w.count, w.missing, f.kind]);
      expect(m.distinct.estimate, name).toBe(w.distinct.estimate); // < 10k: exact sets, merged exactly
      if (w.top?.exact) expect(m.top, name).toEqual(w.top);
      if (!w.numeric) continue;
      const mn = m.numeric!;
      expect([mn.min, mn.max], name).toEqual([w.numeric.min, w.numeric.max]);
      expect(mn.mean, name).toBeCloseTo(w.numeric.mean, 9);
      expect(mn.std, name).toBeCloseTo(w.numeric.std, 9);
      // same edges as the reference profiled whole with them: the histogram and shares are exact
      expect(mn.edges).toEqual(f.numeric!.edges);
      expect(mn.hist, name).toEqual(f.numeric!.hist);
      expect(mn.rangeOutShare, name).toBeCloseTo(f.numeric!.rangeOutShare, 12);
      expect(mn.outlierShare, name).toBeCloseTo(f.numeric!.outlierShare, 12);
      // the reference, profiled --edges-from, keeps every table; merge keeps those with enough rows per cell
      if (m.association) {
        expect(m.association.table, name).toEqual(f.association!.table);
        tables++;
      }
      // quantiles: the merged value's rank in the whole sketch is within the KLL error (k = 200: ~1.3 %; 2.5 % allowed)
      const wk = Kll.from(w.numeric.kll);
      // (a point mass, precipitation's 57 % zeros, spans ranks [cdf(v⁻), cdf(v)]: q must fall in that span ± the error)
      const eps = 0.025 + 1 / whole.rows;
      for (const [q, v] of Object.entries(mn.q)) {
        const below = wk.cdf(v - Math.max(Math.abs(v) * 1e-12, 1e-300));
        expect(Number(q), `${name} q${q}`).toBeGreaterThanOrEqual(below - eps);
        expect(Number(q), `${name} q${q}`).toBeLessThanOrEqual(wk.cdf(v) + eps);
      }
    }
    expect(tables).toBeGreaterThan(0);
  });

  it('validate --baseline merged.json gives a clean batch the same verdict as the whole-data baseline', async () => {
    const verdict = async (b: string): Promise<{ code: number; rules: string[] }> => {
      const r = await runCliJson(['validate', out('batch.csv'), '--baseline', b, '--label', 'weather', '--no-progress']);
      const findings = (r.report.findings ?? []) as Array<{ ruleId: string; severity: string }>;
      return { code: r.code, rules: [...new Set(findings.filter((x) => x.severity !== 'info').map((x) => x.ruleId))].sort() };
    };
    const w = await verdict(out('whole.json'));
    expect(w.code).toBe(0);
    expect(await verdict(out('merged.json'))).toEqual(w);
  });
});

describe('mlvet profile merge refuses what it cannot merge exactly (exit 3)', () => {
  it.each([
    ['shards with their own histogram edges', async () => {
      for (const p of [0, 1]) await ok(['profile', join(data, `part-${p}.csv`), '-o', out(`own${p}.json`), '--label', 'weather', '--no-progress']);
      return [out('own0.json'), out('own1.json')];
    }, /column "(precipitation|temp_max|temp_min|wind)": histogram edges .* --edges-from/],
    ['a baseline of format 1', (): Promise<string[]> => {
      writeFileSync(out('v1.json'), JSON.stringify({ ...read(out('s1.json')), mlvetBaseline: 1 }));
      return Promise.resolve([out('s1.json'), out('v1.json')]);
    }, /format 1/],
    ['a foreign JSON file', (): Promise<string[]> => {
      writeFileSync(out('foreign.json'), JSON.stringify({ rows: 3, columns: [] }));
      return Promise.resolve([out('s1.json'), out('foreign.json')]);
    }, /not an mlvet baseline/],
    ['another mlvet version', (): Promise<string[]> => {
      const b = read(out('s2.json'));
      writeFileSync(out('old.json'), JSON.stringify({ ...b, tool: { name: 'mlvet', version: '0.0.1' } }));
      return Promise.resolve([out('s1.json'), out('old.json')]);
    }, /written by mlvet 0\.0\.1/],
  ] as const)('%s', async (_what, make, message) => {
    const r = await runCli(['profile', 'merge', ...(await make()), '-o', out('never.json')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
  });
});
