/**
 * The pinning scanner on source files: exact rule ids, lines and columns on the fixture repo, and the
 * tokenizer cases a regex would get wrong.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { tokenize } from '../../src/formats/python/tokenize.js';
import { findCalls } from '../../src/formats/python/calls.js';
import { FIXTURES } from '../helpers/cli.js';

const where = (r: Awaited<ReturnType<typeof scan>>): string[] =>
  r.findings.filter((f) => f.ruleId.startsWith('pinning/')).map((f) => `${f.ruleId} ${f.location.path}:${f.location.line}:${f.location.column}`).sort();

async function scanFiles(files: Record<string, string>): Promise<Awaited<ReturnType<typeof scan>>> {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-pin-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return scan({ targets: [dir] });
}

describe('pinning rules on fixtures/hub/pinning-repo', () => {
  it('finds exactly the listed problems, with line and column', async () => {
    const r = await scan({ targets: [join(FIXTURES, 'hub', 'pinning-repo')] });
    expect(where(r)).toEqual(
      [
        'pinning/auto-map-remote-code config.json:5:18',
        'pinning/dependency-unpinned pyproject.toml:6:3',
        'pinning/dependency-unpinned pyproject.toml:10:8',
        'pinning/dependency-unpinned requirements.txt:6:1',
        'pinning/dependency-unpinned requirements.txt:7:1',
        'pinning/dependency-unpinned requirements.txt:8:1',
        'pinning/insecure-url requirements.txt:9:1',
        'pinning/insecure-url train.py:32:41',
        'pinning/python-unpinned-download train.py:11:9',
        'pinning/python-unpinned-download train.py:13:11',
        'pinning/python-unpinned-download train.py:22:10',
        'pinning/python-unpinned-download train.py:24:6',
        'pinning/python-unpinned-download train.py:27:7',
        'pinning/trust-remote-code train.py:22:51',
      ].sort(),
    );
    expect(r.inconclusive).toEqual([]);
  });
});

describe('pinning rules: valid and invalid cases', () => {
  const COMMIT = '0123456789abcdef0123456789abcdef01234567';
  it.each([
    ['pinning/python-unpinned-download', { 'a.py': 'from transformers import AutoModel\nAutoModel.from_pretrained("o/r", revision="v2")\n' }, 1],
    ['pinning/python-unpinned-download', { 'a.py': `snapshot_download(repo_id="o/r", revision="${COMMIT}")\n` }, 0],
    ['pinning/python-unpinned-download', { 'a.py': 'x = "hf_hub_download(repo_id=\'o/r\')"  # hf_hub_download("o/r")\n' }, 0],
    ['pinning/python-unpinned-download', { 'a.py': 'R = "o/r"\nR = "o/s"\nload_dataset(R)\n' }, 0],
    ['pinning/trust-remote-code', { 'a.py': 'pipeline("text-generation", model="o/r", trust_remote_code=True)\n' }, 1],
    ['pinning/trust-remote-code', { 'a.py': 'AutoModel.from_pretrained("./local", trust_remote_code=False)\n' }, 0],
    ['pinning/insecure-url', { 'a.py': 'u = f"http://huggingface.co/{x}/model.bin"\n' }, 1],
    ['pinning/insecure-url', { 'a.py': 'u = "http://127.0.0.1:8000/model.bin"\nv = "https://x.org/m.pt"\n' }, 0],
    ['pinning/dependency-unpinned', { 'requirements-dev.txt': 'pytest~=8.0\n' }, 1],
    ['pinning/dependency-unpinned', { 'requirements.txt': 'pytest==8.3.2 \\\n    --hash=sha256:abc\n' }, 0],
    ['pinning/auto-map-remote-code', { 'tokenizer_config.json': '{"auto_map": {"AutoTokenizer": ["o/r--tok.T", null]}}' }, 1],
    ['pinning/auto-map-remote-code', { 'config.json': '{"auto_map": {"AutoModel": "modeling.M"}}' }, 0],
  ] as const)('%s %#', async (rule, files, n) => {
    const r = await scanFiles(files);
    expect(r.findings.filter((f) => f.ruleId === rule)).toHaveLength(n);
  });
  it('a Python syntax error is inconclusive, not clean', async () => {
    const r = await scanFiles({ 'bad.py': 'x = "unterminated\n' });
    expect(r.inconclusive.map((i) => [i.path, i.code])).toEqual([['bad.py', 'PARSE_ERROR']]);
  });
  it('invalid TOML is inconclusive, not clean', async () => {
    const r = await scanFiles({ 'pyproject.toml': '[project\n' });
    expect(r.inconclusive.map((i) => [i.path, i.code])).toEqual([['pyproject.toml', 'PARSE_ERROR']]);
  });
});

describe('python tokenizer', () => {
  it.each([
    ['triple-quoted string holding a call', 'x = """\nfrom_pretrained("o/r")\n"""\n', 0],
    ['f-string with nested quotes (3.12)', 'x = f"{d["k"]} from_pretrained("o/r")"\nfrom_pretrained("o/r")\n', 1],
    ['backslash continuation', 'm = AutoModel \\\n  .from_pretrained("o/r")\n', 1],
    ['implicit string concatenation', 'from_pretrained("o/" "r")\n', 1],
    ['method on a call result', 'get().from_pretrained("o/r")\n', 1],
  ])('%s', (_n, src, calls) => {
    expect(findCalls(tokenize(src), new Set(['from_pretrained']))).toHaveLength(calls);
  });
  it('positions are 1-based and strings are decoded', () => {
    const t = tokenize('a = "x\\ty"\n  b(1)\n');
    expect(t.find((x) => x.type === 'STRING')).toMatchObject({ line: 1, column: 5, value: 'x\ty' });
    expect(t.find((x) => x.text === 'b')).toMatchObject({ line: 2, column: 3 });
  });
  it('implicit concatenation resolves the literal', () => {
    const [c] = findCalls(tokenize('from_pretrained("o/" "r", revision=REV)\n'), new Set(['from_pretrained']));
    expect(c!.args[0]!.literal).toBe('o/r');
    expect(c!.args[1]).toMatchObject({ name: 'revision', dynamic: true });
  });
});
