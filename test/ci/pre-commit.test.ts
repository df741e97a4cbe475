/**
 * .pre-commit-hooks.yaml, checked without pre-commit itself (CI does not have it; the real
 * `pre-commit run --all-files` is recorded in docs/ci.md): every hook runs the package's own bin with
 * language node, the `files` patterns pick the right names (Python regexes, `(?i)` read as the i
 * flag), and each entry, run in-process with what pre-commit would pass, gives the exit code that
 * fails or passes the commit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  language_version?: string;
  files: string;
  pass_filenames?: boolean;
  types?: string[];
}

const hooks = load(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string): Hook => hooks.find((h) => h.id === id)!;
const bin = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin);

/** a Python `re.search` pattern as a JS RegExp: only the leading `(?i)` needs translating */
function pattern(files: string): RegExp {
  const i = files.startsWith('(?i)');
  return new RegExp(i ? files.slice(4) : files, i ? 'i' : '');
}

describe('.pre-commit-hooks.yaml', () => {
  it('has the two hooks, each running the package bin with language node on system node', () => {
    expect(hooks.map((h) => h.id)).toEqual(['mlvet-scan', 'mlvet-validate']);
    for (const h of hooks) {
      expect(h).toMatchObject({ language: 'node', language_version: 'system', types: ['file'] });
      expect(bin).toContain(h.entry.split(' ')[0]);
    }
    expect(hook('mlvet-validate').pass_filenames).toBe(false);
  });

  it.each<[string, string, boolean]>([
    ['mlvet-scan', 'models/model.pkl', true],
    ['mlvet-scan', 'pytorch_model.bin', true],
    ['mlvet-scan', 'MODEL.PT', true],
    ['mlvet-scan', 'w/model.safetensors', true],
    ['mlvet-scan', 'llm.Q4_K_M.gguf', true],
    ['mlvet-scan', 'clf.joblib', true],
    ['mlvet-scan', 'saved_model.pb', true],
    ['mlvet-scan', 'train.py', false],
    ['mlvet-scan', 'config.json', false],
    ['mlvet-scan', 'README.md', false],
    ['mlvet-scan', 'model.pkl.md', false],
    ['mlvet-validate', 'data/train.csv', true],
    ['mlvet-validate', 'data/part-0.parquet', true],
    ['mlvet-validate', 'events.jsonl.gz', true],
    ['mlvet-validate', 'TRAIN.TSV', true],
    ['mlvet-validate', 'model.pkl', false],
    ['mlvet-validate', 'train.csv.bak', false],
  ])('%s: %s → %s', (id, name, runs) => {
    expect(pattern(hook(id).files).test(name)).toBe(runs);
  });

  const EVIL = join(ROOT, 'test', 'golden', 'fixtures', 'malicious', 'malicious-os-system.pkl');
  const CLEAN = join(ROOT, 'test', 'golden', 'fixtures', 'clean', 'benign-protocol2.pkl');
  const CSV = join(FIXTURES, 'datasets', 'small.csv');
  it.each<[string, string[], number]>([
    ['mlvet-scan: a malicious staged model blocks the commit', [CLEAN, EVIL], 1],
    ['mlvet-scan: clean staged models pass', [CLEAN], 0],
    ['mlvet-validate: a failing suite blocks the commit', [CSV, '--suite', join(FIXTURES, 'datasets', 'suite-failing.json')], 1],
    ['mlvet-validate: a passing suite passes', [CSV, '--suite', join(FIXTURES, 'datasets', 'suite-gx1.json')], 0],
  ])('%s', async (name, args, code) => {
    const entry = hook(name.split(':')[0]!).entry.split(' ');
    const r = await runCli([...entry.slice(1), ...args], { cwd: ROOT });
    expect(r.code, r.stdout + r.stderr).toBe(code);
  });
});
