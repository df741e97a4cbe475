/**
 * `mlvet audit s3://…` against s3rver (in a child process started with --openssl-legacy-provider, so
 * its continuation tokens work) with 250 tiny objects, 4 of them malicious, listed 100 keys a page (S3
 * answers "up to" MaxKeys: the same continuation path as a bucket of more than 1,000 keys, three pages).
 * The journal is compacted every 100 objects, so run 1 compacts mid-run as a 1,000-object run does.
 * The state and the lease live in the bucket itself. The server's request log says what each run read:
 * run 1 one GET per object and no HeadObject, run 2 the listing alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';
import { withEnv } from '../sources/helpers.js';
import { auditJson, bodyGets, EVIL, findingKeys, startChildS3, type AuditRun, type ChildS3 } from './helpers.js';

const N = 250;
const PAGE = 100;
const EVIL_AT = [7, 130, 177, 240];
const BENIGN = ['formats/benign/model.safetensors', 'pickle/benign/none-p2.pkl', 'pickle/benign/recursive-dict-p0.pkl', 'formats/benign/tokenizer_config.json', 'pickle/benign/shared-refs-p1.pkl'].map((p) => ({ name: p.split('/').pop()!, body: readFileSync(join(FIXTURES, p)) }));
const key = (i: number): string => (EVIL_AT.includes(i) ? `m/${String(i).padStart(4, '0')}/evil.pkl` : `m/${String(i).padStart(4, '0')}/${BENIGN[i % BENIGN.length]!.name}`);

let s3: ChildS3;
let restore: () => void = () => undefined;
/** the server's endpoint and credentials, and a journal compacted every PAGE objects */
let env: Record<string, string> = {};
const runs: AuditRun[] = [];
const ARGS = ['s3://models/m/', '--fail-on', 'high', '--concurrency', '16'];

beforeAll(async () => {
  s3 = await startChildS3(['models'], { pageSize: PAGE });
  env = { ...s3.env, MLVET_AUDIT_COMPACT_EVERY: String(PAGE) };
  // the SDK's credential chain reads the process's environment
  restore = withEnv(s3.env);
  // laid out in s3rver's store directly (PutObject × 1,100 was most of a minute under load); the
  // malicious ones and the small prefix go through PutObject, so both kinds are audited
  s3.seed('models', Array.from({ length: N }, (_, i) => i).filter((i) => !EVIL_AT.includes(i)).map((i) => [key(i), BENIGN[i % BENIGN.length]!.body] as const));
  for (const i of EVIL_AT) await s3.put('models', key(i), EVIL);
  for (let i = 0; i < 3; i++) await s3.put('models', `small/f${i}.pkl`, BENIGN[1]!.body);
}, 60_000);
afterAll(async () => {
  restore();
  await s3?.close();
});

describe('audit of an s3:// prefix, state in the bucket', () => {
  it('a seeded object reads back as an uploaded one (ETag = MD5, size)', async () => {
    const h = await s3.client.send(new HeadObjectCommand({ Bucket: 'models', Key: key(2) }));
    expect([h.ETag, h.ContentLength]).toEqual([`"${createHash('md5').update(BENIGN[2]!.body).digest('hex')}"`, BENIGN[2]!.body.length]);
  });

  it('run 1 scans every object and keeps its state beside the prefix, never auditing .mlvet/', async () => {
    s3.mark();
    const r = await auditJson(ARGS, { env });
    runs.push(r);
    expect(r.code).toBe(1);
    expect(r.report.audit).toMatchObject({ previousRunAt: null, objects: { total: N, new: N, changed: 0, removed: 0, unchanged: 0 }, scanned: N, carriedOver: 0 });
    expect(r.report.audit.state).toMatch(/^s3:\/\/models\/\.mlvet\/[0-9a-f]{16}\/state\.json$/);
    expect(r.report.findings.filter((f) => f.ruleId === 'pickle/code-execution').map((f) => f.location.path).sort()).toEqual(EVIL_AT.map((i) => key(i).slice(2)).sort());
    expect(r.report.audit.newlyFailing).toEqual(EVIL_AT.map((i) => key(i).slice(2)).sort());
    const log = s3.requests();
    // three listing pages of the prefix: the 101st and the 201st key need s3rver's continuation token
    const pages = log.filter((l) => /^GET \/models\/?\?\S*list-type=2/.test(l) && /[?&]prefix=m%2F/.test(l));
    expect(pages).toHaveLength(Math.ceil(N / PAGE));
    expect(pages.filter((l) => /[?&]continuation-token=/.test(l))).toHaveLength(Math.ceil(N / PAGE) - 1);
    // the journal compacted into the state mid-run (every PAGE objects) and once at the end
    expect(log.filter((l) => /^PUT \/models\/\.mlvet\/[0-9a-f]{16}\/state\.json\?/.test(l)).length).toBeGreaterThanOrEqual(Math.floor(N / PAGE) + 1);
    expect(log.some((l) => l.startsWith('PUT /models/.mlvet/') && /\/state\.json[? ]/.test(l))).toBe(true);
    // one GET per object read, from the listing: no HeadObject, one versioning lookup for the run
    expect(bodyGets(log, 'models')).toHaveLength(N);
    expect(log.filter((l) => l.startsWith('HEAD '))).toEqual([]);
    expect(log.filter((l) => l.includes('?versioning'))).toHaveLength(1);
    // the findings are those a scan of the object itself gives
    const mine = (f: { ruleId: string; severity: string; evidence?: unknown }): string => `${f.ruleId} ${f.severity} ${JSON.stringify(f.evidence)}`;
    // one malicious object and one of each benign kind (the malicious ones share a body)
    const sample = [EVIL_AT[0]!, 0, 1, 2, 3, 4];
    const direct = await Promise.all(sample.map((i) => scan({ targets: [`s3://models/${key(i)}`], env: s3.env })));
    sample.forEach((i, n) => {
      const path = key(i).slice(2);
      expect(r.report.findings.filter((f) => f.location.path === path).map(mine).sort(), key(i)).toEqual([...direct[n]!.findings, ...direct[n]!.suppressed].map(mine).sort());
    });
    expect(direct[0]!.findings.some((f) => f.ruleId === 'pickle/code-execution')).toBe(true);
  }, 120_000);

  it('run 2, nothing changed: no object body read, the same exit code and findings, carried over', async () => {
    s3.mark();
    const r = await auditJson(ARGS, { env });
    runs.push(r);
    expect(r.code).toBe(runs[0]!.code);
    expect(findingKeys(r)).toEqual(findingKeys(runs[0]!));
    expect(r.report.findings.every((f) => f.carriedOver === true)).toBe(true);
    expect(r.report.audit).toMatchObject({ objects: { total: N, new: 0, changed: 0, removed: 0, unchanged: N }, scanned: 0, carriedOver: N, changes: [], newlyFailing: [], resolved: [] });
    expect(r.report.targets[0]!.bytesRead).toBe(0);
    const log = s3.requests();
    expect(bodyGets(log, 'models')).toEqual([]);
    expect(log.filter((l) => l.startsWith('HEAD '))).toEqual([]);
  }, 120_000);

  it('run 3 reports exactly the change, the addition and the deletion', async () => {
    await s3.put('models', key(1), Buffer.from('{"changed": true}'));
    await s3.put('models', 'm/added/evil.pkl', EVIL);
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'models', Key: key(7) }));
    s3.mark();
    const r = await auditJson(ARGS, { env });
    expect(r.report.audit.changes).toEqual([
      { path: key(1).slice(2), change: 'changed', verdict: 'clean' },
      { path: key(7).slice(2), change: 'removed', verdict: 'findings' },
      { path: 'added/evil.pkl', change: 'new', verdict: 'findings' },
    ].sort((a, b) => (a.path < b.path ? -1 : 1)));
    expect(r.report.audit).toMatchObject({ objects: { total: N, new: 1, changed: 1, removed: 1, unchanged: N - 2 }, scanned: 2, carriedOver: N - 2, newlyFailing: ['added/evil.pkl'], resolved: [key(7).slice(2)] });
    expect(r.code).toBe(1);
    expect(bodyGets(s3.requests(), 'models').map((l) => l.split(' ')[1]!.split('?')[0]).sort()).toEqual([...new Set(bodyGets(s3.requests(), 'models').map((l) => l.split(' ')[1]!.split('?')[0]))].sort());
    expect(new Set(bodyGets(s3.requests(), 'models').map((l) => l.split(' ')[1]!.split('?')[0]))).toEqual(new Set(['/models/' + key(1), '/models/m/added/evil.pkl']));
  }, 120_000);

  it('two concurrent runs on one state: one wins, the other reports the lock', async () => {
    const args = ['s3://models/small/', '--state', 's3://models/.mlvet/lock-test/state.json'];
    const [a, b] = await Promise.all([auditJson(args, { env }).catch((e: Error) => e), auditJson(args, { env }).catch((e: Error) => e)]);
    const outcomes = [a, b].map((x) => (x instanceof Error ? x.message : `exit ${x.code}`));
    expect(outcomes.filter((o) => o === 'exit 0')).toHaveLength(1);
    expect(outcomes.find((o) => o !== 'exit 0')).toMatch(/exit 3[\s\S]*LOCKED: s3:\/\/models\/\.mlvet\/lock-test\/state\.json\.lock is locked by another audit \(pid \d+/);
  }, 120_000);

  it('a state object that is not an audit state is exit 3, never a silent full rescan', async () => {
    await s3.put('models', '.mlvet/foreign/state.json', '{"format":"something-else","version":1}');
    const r = await auditJson(['s3://models/small/', '--state', 's3://models/.mlvet/foreign/state.json'], { env }).catch((e: Error) => e);
    expect(r instanceof Error ? r.message : '').toMatch(/exit 3[\s\S]*STATE_INVALID: s3:\/\/models\/\.mlvet\/foreign\/state\.json: not an mlvet audit state/);
  }, 120_000);
});
