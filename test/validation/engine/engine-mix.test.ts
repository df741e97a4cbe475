/**
 * A baseline says which statistics engine made it: the JS loop (MLVET_ENGINE=js, kept for benches) hashes rows
 * and distinct values differently from DuckDB, so a validate or a merge that mixed the two would match no row
 * of the baseline's sample (conflicting labels would pass unseen). Both refuse, exit 3, and name the engine.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../../helpers/cli.js';
import type { Baseline } from '../../../src/validation/profile/baseline.js';

const DATA = join(FIXTURES, 'datasets', 'small.csv');
const dir = mkdtempSync(join(tmpdir(), 'mlvet-engine-mix-'));
const saved = process.env.MLVET_ENGINE;
const withEngine = (e: string | undefined): void => {
  if (e === undefined) delete process.env.MLVET_ENGINE;
  else process.env.MLVET_ENGINE = e;
};
afterEach(() => withEngine(saved));

async function profileWith(engine: string | undefined, name: string): Promise<{ path: string; baseline: Baseline }> {
  withEngine(engine);
  const path = join(dir, name);
  const r = await runCli(['profile', DATA, '-o', path, '--no-progress']);
  expect(r.code, r.stderr).toBe(0);
  return { path, baseline: JSON.parse(readFileSync(path, 'utf8')) as Baseline };
}

describe('baselines of the two statistics engines are never mixed', () => {
  it.each([
    ['a JS-loop baseline, validated on DuckDB', 'js', undefined, /profiled by the streaming JS loop \(MLVET_ENGINE=js\); this run uses the DuckDB engine/],
    ['a DuckDB baseline, validated on the JS loop', undefined, 'js', /profiled by the DuckDB engine; this run uses the streaming JS loop/],
  ])('%s: exit 3 with the reason', async (_name, made, used, message) => {
    const { path, baseline } = await profileWith(made, `b-${made ?? 'duckdb'}.json`);
    expect(baseline.engine).toBe(made === 'js' ? 'js' : undefined);
    withEngine(used);
    const r = await runCli(['validate', DATA, '--baseline', path, '--no-progress']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
  });

  it('the same engine on both sides validates (exit 0 on its own data)', async () => {
    const { path } = await profileWith('js', 'same-js.json');
    const r = await runCli(['validate', DATA, '--baseline', path, '--no-progress']);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('profile merge refuses shards of different engines', async () => {
    const a = await profileWith('js', 'm-js.json');
    const b = await profileWith(undefined, 'm-duckdb.json');
    const r = await runCli(['profile', 'merge', a.path, b.path, '-o', join(dir, 'merged.json')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/different statistics engines/);
  });
});
