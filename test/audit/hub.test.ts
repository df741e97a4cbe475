/**
 * `mlvet audit hf://<org>` against the local Hub server: every model and dataset repo of the org is
 * listed through @huggingface/hub (`/api/models?author=`, `/api/datasets?author=`, with the commit),
 * read once, then carried over until its commit moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferBlob } from '../sources/blobs.js';
import { fastEnv } from '../sources/helpers.js';
import { startHubServer, type HubRepo, type HubServer } from '../sources/hub-server.js';
import { auditJson, EVIL } from './helpers.js';

const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
const C3 = '3'.repeat(40);
const file = (path: string, body: string) => ({ path, blob: bufferBlob(Buffer.from(body, 'latin1')), lfs: !path.endsWith('.json') });
const repos: HubRepo[] = [
  { id: 'acme/clean', commits: { [C1]: [file('config.json', '{"model_type": "bert"}')] }, refs: { main: C1 } },
  { id: 'acme/evil', commits: { [C2]: [file('config.json', '{}'), file('model.pkl', EVIL)] }, refs: { main: C2 } },
  { type: 'dataset', id: 'acme/data', commits: { [C3]: [file('README.md', '# data')] }, refs: { main: C3 } },
  { id: 'other/skip', commits: { [C1]: [file('model.pkl', EVIL)] }, refs: { main: C1 } },
];
let hub: HubServer;
let dir: string;

beforeAll(async () => {
  hub = await startHubServer({ repos });
  dir = mkdtempSync(join(tmpdir(), 'mlvet-audit-hub-'));
});
afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit of a Hub organisation', () => {
  it('lists the org\'s models and datasets, scans each repo at its commit, then reads nothing until a commit moves', async () => {
    const env = { ...fastEnv(), HF_ENDPOINT: hub.url, HF_TOKEN: '' };
    const r1 = await auditJson(['hf://acme', '--state', 'hub.json', '--fail-on', 'high'], { cwd: dir, env });
    expect(r1.code).toBe(1);
    expect(r1.report.audit.changes).toEqual([
      { path: 'acme/clean', change: 'new', verdict: 'clean' },
      { path: 'acme/evil', change: 'new', verdict: 'findings' },
      { path: 'datasets/acme/data', change: 'new', verdict: 'clean' },
    ]);
    expect(r1.report.findings.filter((f) => f.ruleId === 'pickle/code-execution').map((f) => f.location.path)).toEqual(['acme/evil/model.pkl']);
    expect(hub.requests.some((q) => q.startsWith('GET /api/models?') && q.includes('author=acme'))).toBe(true);
    expect(hub.requests.some((q) => q.startsWith('GET /api/datasets?') && q.includes('author=acme'))).toBe(true);
    hub.requests.length = 0;
    const r2 = await auditJson(['hf://acme', '--state', 'hub.json', '--fail-on', 'high'], { cwd: dir, env });
    expect(r2.code).toBe(1);
    expect(r2.report.audit).toMatchObject({ scanned: 0, carriedOver: 3, changes: [] });
    expect(r2.report.findings.every((f) => f.carriedOver)).toBe(true);
    // only the two list calls: no tree listing, no file read
    expect(hub.requests.map((q) => q.split('?')[0])).toEqual(['GET /api/models', 'GET /api/datasets']);
    repos[1]!.commits[C1] = [file('config.json', '{}')];
    repos[1]!.refs.main = C1;
    const r3 = await auditJson(['hf://acme', '--state', 'hub.json', '--fail-on', 'high'], { cwd: dir, env });
    expect(r3.code).toBe(0);
    expect(r3.report.audit).toMatchObject({ scanned: 1, changes: [{ path: 'acme/evil', change: 'changed', verdict: 'clean' }], resolved: ['acme/evil'] });
  }, 60_000);
});
