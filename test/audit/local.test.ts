/**
 * `mlvet audit <dir>` with a local state file: incremental runs, the exact changes, a state that is
 * not ours (exit 3), a journal line cut by a kill (tolerated and named), the lock, and shards.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { reportValidator } from '../schemas/validators.js';
import { auditJson, EVIL, findingKeys } from './helpers.js';

let dir: string;
const STORE = 'store';
const FILES = ['formats/benign/model.safetensors', 'formats/benign/tokenizer_config.json', 'pickle/benign/none-p2.pkl', 'pickle/benign/recursive-dict-p0.pkl', 'pickle/benign/builtins-p4.pkl'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlvet-audit-local-'));
  for (let i = 0; i < 24; i++) {
    const d = join(dir, STORE, `m${String(i).padStart(2, '0')}`);
    mkdirSync(d, { recursive: true });
    const f = FILES[i % FILES.length]!;
    copyFileSync(join(FIXTURES, f), join(d, f.split('/').pop()!));
  }
  writeFileSync(join(dir, STORE, 'm03', 'evil.pkl'), EVIL, 'latin1');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (extra: string[] = [], state = 'state.json') => auditJson([STORE, '--state', state, '--fail-on', 'high', ...extra], { cwd: dir });

describe('audit of a local directory', () => {
  it('run 1 scans all, run 2 reads nothing and fails the same, run 3 names exactly what changed', async () => {
    const r1 = await run();
    expect(r1.code).toBe(1);
    expect(r1.report.audit).toMatchObject({ state: 'state.json', previousRunAt: null, objects: { total: 25, new: 25 }, scanned: 25, carriedOver: 0, newlyFailing: ['m03/evil.pkl'] });
    const r2 = await run();
    expect(r2.code).toBe(1);
    expect(findingKeys(r2)).toEqual(findingKeys(r1));
    expect(r2.report.findings.every((f) => f.carriedOver)).toBe(true);
    expect(r2.report.audit).toMatchObject({ previousRunAt: r1.report.audit.runAt, objects: { total: 25, unchanged: 25, new: 0, changed: 0, removed: 0 }, scanned: 0, carriedOver: 25, changes: [] });
    expect(r2.report.targets[0]!.bytesRead).toBe(0);
    const valid = reportValidator();
    expect(valid(r2.report), JSON.stringify(valid.errors)).toBe(true);
    // a touch keeps the bytes: hashed, not scanned, still unchanged
    utimesSync(join(dir, STORE, 'm00', 'model.safetensors'), new Date(), new Date(Date.now() - 86_400_000));
    writeFileSync(join(dir, STORE, 'm01', 'tokenizer_config.json'), '{"changed": 1}');
    writeFileSync(join(dir, STORE, 'm05', 'evil2.pkl'), EVIL, 'latin1');
    unlinkSync(join(dir, STORE, 'm03', 'evil.pkl'));
    const r3 = await run();
    expect(r3.report.audit.changes).toEqual([
      { path: 'm01/tokenizer_config.json', change: 'changed', verdict: 'clean' },
      { path: 'm03/evil.pkl', change: 'removed', verdict: 'findings' },
      { path: 'm05/evil2.pkl', change: 'new', verdict: 'findings' },
    ]);
    expect(r3.report.audit).toMatchObject({ objects: { total: 25, new: 1, changed: 1, removed: 1, unchanged: 23 }, scanned: 2, carriedOver: 23, newlyFailing: ['m05/evil2.pkl'], resolved: ['m03/evil.pkl'] });
    const r4 = await run(['--rescan']);
    expect(r4.report.audit).toMatchObject({ scanned: 25, carriedOver: 0 });
    expect(findingKeys(r4)).toEqual(findingKeys(r3));
  }, 120_000);

  it('the text report opens with the audit summary', async () => {
    const r = await runCli(['audit', STORE, '--state', 'state.json', '--fail-on', 'high'], { cwd: dir });
    expect(r.stdout.split('\n').slice(0, 2).join('\n')).toMatch(/^audit \S+ \(since \S+\), state state\.json\n {2}25 objects: 0 new, 0 changed, 0 removed, 25 unchanged; 0 scanned, 25 carried over$/);
  }, 60_000);

  it.each([
    ['not JSON', '{"format": "mlvet-audit-state", "vers', /STATE_INVALID: .*state-bad\.json: not JSON/],
    ['foreign', '{"format": "terraform", "version": 4}', /STATE_INVALID: .*not an mlvet audit state/],
    ['newer', '{"format": "mlvet-audit-state", "version": 2, "target": "store", "shard": null, "runAt": null, "objects": {}}', /STATE_INVALID: .*written by a newer mlvet \(format version 2/],
    ['another target', '{"format": "mlvet-audit-state", "version": 1, "target": "elsewhere", "shard": null, "runAt": null, "objects": {}}', /STATE_INVALID: .*state of another target \(elsewhere\)/],
  ])('a state that is %s is exit 3', async (_name, text, message) => {
    writeFileSync(join(dir, 'state-bad.json'), text);
    const r = await runCli(['audit', STORE, '--state', 'state-bad.json'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
  });

  it('a journal whose last line was cut by a kill is resumed and named; a bad middle line is exit 3', async () => {
    const first = await run([], 'state-j.json');
    const entry = JSON.stringify({ format: 'mlvet-audit-journal', version: 1, target: STORE, shard: null, path: 'm00/model.safetensors', entry: {} });
    writeFileSync(join(dir, 'state-j.json.journal'), entry.slice(0, 40));
    const r = await run([], 'state-j.json');
    expect(r.code).toBe(first.code);
    expect(r.stderr).toMatch(/warning: .*state-j\.json\.journal: line 1 \(byte 0\) was cut short/);
    writeFileSync(join(dir, 'state-j.json.journal'), `${entry.slice(0, 40)}\n${entry}\n`);
    const bad = await runCli(['audit', STORE, '--state', 'state-j.json'], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/STATE_INVALID: .*journal line 1 \(byte 0\) is not JSON/);
  }, 60_000);

  it('a live lock is LOCKED (exit 3), naming its holder; an expired one is taken over', async () => {
    const until = new Date(Date.now() + 600_000).toISOString();
    writeFileSync(join(dir, 'state-l.json.lock'), JSON.stringify({ owner: 'other-run', pid: 1, host: 'batch-node-7', acquiredAt: until, expiresAt: until }));
    const r = await runCli(['audit', STORE, '--state', 'state-l.json'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('LOCKED: ');
    expect(r.stderr).toContain('is locked by another audit (pid 1 on batch-node-7, run other-run, until');
    writeFileSync(join(dir, 'state-l.json.lock'), JSON.stringify({ owner: 'other-run', pid: 1, host: hostname(), expiresAt: new Date(Date.now() - 1000).toISOString() }));
    const ok = await run([], 'state-l.json');
    expect(ok.code).toBe(1);
    expect(() => readFileSync(join(dir, 'state-l.json.lock'))).toThrow(/ENOENT/);
  }, 60_000);

  it('--shard-index 0 --shard-count 3 is --shard 1/3, with its own state part; JOB_COMPLETION_INDEX supplies the index', async () => {
    const a = await auditJson([STORE, '--state', 'sh.json', '--shard', '1/3'], { cwd: dir });
    const b = await auditJson([STORE, '--state', 'sh2.json', '--shard-count', '3', '--shard-index', '0'], { cwd: dir });
    const c = await auditJson([STORE, '--state', 'sh3.json', '--shard-count', '3'], { cwd: dir, env: { JOB_COMPLETION_INDEX: '0' } });
    expect(a.report.audit.state).toBe('sh.shard-1-of-3.json');
    const paths = (r: typeof a) => r.report.audit.changes.map((x) => x.path);
    expect(paths(b)).toEqual(paths(a));
    expect(paths(c)).toEqual(paths(a));
    expect(paths(a).length).toBeGreaterThan(0);
    expect(paths(a).length).toBeLessThan(25);
    // scan takes the same flags, with the same split
    const files = async (args: string[]) => ((JSON.parse((await runCli(['scan', STORE, ...args, '--format', 'json'], { cwd: dir })).stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path));
    expect(await files(['--shard-count', '3', '--shard-index', '0'])).toEqual(await files(['--shard', '1/3']));
    expect((await files(['--shard', '1/3'])).sort()).toEqual([...paths(a)].sort());
    const bad = await runCli(['audit', STORE, '--state', 'x.json', '--shard-count', '3', '--shard-index', '3'], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--shard-index 3 is not below --shard-count 3/);
  }, 60_000);
});
