/**
 * SIGKILL at several points, then resume: the built CLI (`node dist/cli/main.js audit …`; needs
 * `npm run build`) is killed once its journal holds N lines, twice, with a compaction in between;
 * the last run finishes in-process. Every object is covered, none is scanned twice, and the state
 * that is left is valid.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJournal, parseState } from '../../src/audit/state.js';
import { CLI, FIXTURES } from '../helpers/cli.js';
import { auditJson } from './helpers.js';

const TOTAL = 90;
let dir: string;
const want = { target: 'store', shard: null };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlvet-audit-kill-'));
  for (let i = 0; i < TOTAL; i++) {
    mkdirSync(join(dir, 'store', `d${i}`), { recursive: true });
    copyFileSync(join(FIXTURES, 'pickle/benign', i % 2 ? 'builtins-p4.pkl' : 'none-p2.pkl'), join(dir, 'store', `d${i}`, 'm.pkl'));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** what the state and journal say is done: objects of the unfinished run, compacted or journaled */
function done(): Set<string> {
  const out = new Set<string>();
  if (existsSync(join(dir, 'st.json'))) for (const k of Object.keys(parseState(readFileSync(join(dir, 'st.json')), 'st.json', want).pending?.objects ?? {})) out.add(k);
  if (existsSync(join(dir, 'st.json.journal'))) for (const e of parseJournal(readFileSync(join(dir, 'st.json.journal'), 'utf8'), 'journal', want).entries) out.add(e.path);
  return out;
}

function runUntil(lines: number, env: Record<string, string>): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'audit', 'store', '--state', 'st.json', '--concurrency', '3', '--format', 'json'], { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' });
    const start = done().size;
    const poll = setInterval(() => {
      try {
        if (done().size - start >= lines) child.kill('SIGKILL');
      } catch {
        // a line being written: read again on the next tick
      }
    }, 15);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal);
    });
  });
}

describe('audit killed with SIGKILL, then resumed', () => {
  it('loses at most the objects in flight, scans none twice, covers all', async () => {
    expect(existsSync(CLI)).toBe(true);
    expect(await runUntil(8, {})).toBe('SIGKILL');
    const afterFirst = done();
    expect(afterFirst.size).toBeGreaterThanOrEqual(8);
    // the second run compacts every 10 objects, so its kill also lands after a compaction
    expect(await runUntil(25, { MLVET_AUDIT_COMPACT_EVERY: '10' })).toBe('SIGKILL');
    const afterSecond = done();
    for (const p of afterFirst) expect(afterSecond.has(p)).toBe(true);
    const pending = parseState(readFileSync(join(dir, 'st.json')), 'st.json', want).pending;
    expect(Object.keys(pending?.objects ?? {}).length).toBeGreaterThan(0);
    const before = new Date().toISOString();
    const r = await auditJson(['store', '--state', 'st.json', '--concurrency', '3'], { cwd: dir });
    expect(r.code).toBe(0);
    const state = parseState(readFileSync(join(dir, 'st.json')), 'st.json', want);
    expect(state.pending).toBeUndefined();
    expect(readFileSync(join(dir, 'st.json.journal'), 'utf8')).toBe('');
    expect(Object.keys(state.objects)).toHaveLength(TOTAL);
    const rescanned = Object.entries(state.objects).filter(([, e]) => e.scannedAt >= before).map(([k]) => k);
    // none scanned twice: what the killed runs finished, the last run did not read again
    expect(rescanned.filter((p) => afterSecond.has(p))).toEqual([]);
    expect(rescanned.length + afterSecond.size).toBe(TOTAL);
    expect(r.report.audit).toMatchObject({ scanned: rescanned.length, carriedOver: afterSecond.size, objects: { total: TOTAL, new: TOTAL } });
  }, 180_000);
});
