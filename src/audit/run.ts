/**
 * `audit()`: list the target, take the lease on its state, carry over every object whose identity
 * and rule set are unchanged, scan the rest through `scan()` (each completion journaled before the
 * next is taken), then compact the state and report what changed since the last finished run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { MlvetError } from '../errors.js';
import { policyFor, type Policy, type WithPolicy } from '../findings/policy.js';
import { VERSION } from '../findings/report.js';
import type { Fact, InconclusiveEntry } from '../model/facts.js';
import type { FailOn, Finding, Report } from '../model/report.js';
import { inShard, type Shard } from '../scanners/shard.js';
import { parseS3Target } from '../sources/s3/uri.js';
import { sameIdentity, sha256File } from './identity.js';
import { readInventory } from './inventory.js';
import { openJournal } from './journal.js';
import { listHub } from './list-hub.js';
import { listLocal } from './list-local.js';
import { listS3 } from './list-s3.js';
import { s3Session, type S3Session } from './s3-session.js';
import { scanObject, verdictOf, type ScanContext } from './scan-object.js';
import { auditSection, type Change } from './section.js';
import { emptyState, parseJournal, parseState, serializeState } from './state.js';
import { localStore } from './store-local.js';
import { s3Store } from './store-s3.js';
import type { StateStore } from './store.js';
import type { AuditObject, AuditState, StateEntry } from './types.js';

export interface AuditOptions extends WithPolicy {
  /** `s3://bucket/prefix`, `hf://org`, `hf://[datasets/]org/name`, or a local directory */
  target: string;
  /** a state file or `s3://bucket/key`; default for an s3:// target: `s3://bucket/.mlvet/<prefix hash>/state.json` */
  state?: string;
  shard?: Shard;
  /** an S3 Inventory `manifest.json` (local or s3://) listing the objects instead of ListObjectsV2 */
  inventory?: string;
  /** read every object again, whatever the state says */
  rescan?: boolean;
  /** an object whose findings reach this fails (its verdict is `findings`); default the policy's */
  failOn?: FailOn;
  concurrency?: number;
  offline?: boolean;
  env?: NodeJS.ProcessEnv;
  /** state (and journal) problems that were survived, e.g. a journal line cut by a kill */
  onWarning?: (message: string) => void;
  onProgress?: (done: number, total: number, path: string) => void;
  now?: Date;
}

type Kind = 's3' | 'hf' | 'local';

const kindOf = (t: string): Kind => (t.startsWith('s3://') ? 's3' : t.startsWith('hf://') ? 'hf' : /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? (() => { throw new MlvetError('USAGE', `audit: unsupported target scheme ${t.split('://')[0]}:// (s3://, hf:// or a local directory)`); })() : 'local');

/** The digest of what decides findings: every rule as written, the allowlists, and mlvet's version. */
export function rulesDigest(policy: Policy): string {
  const lists = [...policy.rules.lists.entries(), ...policy.allow.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return 'sha256:' + createHash('sha256').update(JSON.stringify([VERSION, policy.rules.rules, lists])).digest('hex');
}

export function shardLabel(s: Shard | undefined): string | null {
  return s ? `${s.index}/${s.count}` : null;
}

/** `state.json` → `state.shard-2-of-3.json`: each shard keeps its own part */
export function stateUriFor(opts: Pick<AuditOptions, 'target' | 'state' | 'shard'>): string {
  let uri = opts.state;
  if (!uri) {
    if (!opts.target.startsWith('s3://')) throw new MlvetError('USAGE', `audit ${opts.target}: --state <file | s3://bucket/key> is required for this target (only s3:// targets have a default)`);
    const t = parseS3Target(opts.target);
    uri = `s3://${t.bucket}/.mlvet/${createHash('sha256').update(t.key).digest('hex').slice(0, 16)}/state.json`;
  }
  if (!opts.shard) return uri;
  const sfx = `shard-${opts.shard.index}-of-${opts.shard.count}`;
  return uri.endsWith('.json') ? `${uri.slice(0, -'.json'.length)}.${sfx}.json` : `${uri}.${sfx}`;
}

async function listTarget(opts: AuditOptions, kind: Kind, stateUri: string, env: NodeJS.ProcessEnv, cwd: string, session?: S3Session): Promise<{ objects: AuditObject[]; facts: Fact[] }> {
  if (opts.inventory) {
    if (kind !== 's3') throw new MlvetError('USAGE', '--inventory lists an s3:// target');
    return { objects: await readInventory(opts.inventory, { target: opts.target, env, cwd, stateKeys: stateKeysIn(opts.target, stateUri) }), facts: [] };
  }
  if (kind === 's3') return { objects: await listS3(opts.target, env, stateKeysIn(opts.target, stateUri), session?.client), facts: [] };
  if (kind === 'hf') return { objects: await listHub(opts.target, env), facts: [] };
  return listLocal(opts.target, cwd, stateUri.startsWith('s3://') ? [] : [stateUri]);
}

function stateKeysIn(target: string, stateUri: string): string[] {
  if (!stateUri.startsWith('s3://')) return [];
  const s = parseS3Target(stateUri);
  return s.bucket === parseS3Target(target).bucket ? [s.key] : [];
}

async function loadState(store: StateStore, target: string, shard: string | null, warn: (m: string) => void): Promise<{ state: AuditState; resumed: Map<string, StateEntry> }> {
  const bytes = await store.readState();
  const state = bytes ? parseState(bytes, store.uri, { target, shard }) : emptyState(target, shard);
  const resumed = new Map<string, StateEntry>(Object.entries(state.pending?.objects ?? {}));
  for (const part of await store.readJournal()) {
    const j = parseJournal(part.text, part.name, { target, shard });
    for (const e of j.entries) resumed.set(e.path, e.entry);
    if (j.torn) warn(`${part.name}: line ${j.torn.line} (byte ${j.torn.offset}) was cut short, as by a run killed while writing it; that object will be scanned again`);
  }
  return { state, resumed };
}

interface Planned {
  o: AuditObject;
  change: Change;
  base?: StateEntry;
  /** carried over unread; undefined = due */
  reuse?: StateEntry;
  /** reuse came from this (resumed) run's journal, or was settled by a hash: record it */
  journal?: boolean;
}

async function plan(o: AuditObject, base: StateEntry | undefined, resumed: StateEntry | undefined, digest: string, rescan: boolean): Promise<Planned> {
  const fresh = (e: StateEntry | undefined): e is StateEntry => e !== undefined && e.rulesDigest === digest && e.tool === VERSION;
  let change: Change = !base ? 'new' : sameIdentity(base.identity, o.identity) ? 'unchanged' : 'changed';
  // resumed entries were read by this same run before it was killed: reuse them even under --rescan
  const prior = fresh(resumed) ? resumed : rescan ? undefined : base;
  if (fresh(prior) && sameIdentity(prior.identity, o.identity)) return { o, change, base, reuse: prior, journal: prior === resumed && resumed !== undefined };
  // a local file whose stat changed: the same bytes are the same object
  const was = (prior ?? base)?.identity;
  if (o.identity.kind === 'local' && was?.kind === 'local' && was.sha256 && was.size === o.identity.size) {
    const d = await sha256File(o.scanTarget);
    if (d.sha256 === was.sha256) {
      o.identity = { ...o.identity, sha256: d.sha256 };
      if (change === 'changed') change = 'unchanged';
      if (fresh(prior)) return { o, change, base, reuse: { ...prior, identity: o.identity }, journal: true };
    }
  }
  return { o, change, base };
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/**
 * Audit a bucket prefix, a Hub organisation or repo, or a local directory against its state.
 *
 * @example
 * const report = await audit({ target: 's3://models/prod/', concurrency: 8 });
 * console.log(report.audit?.newlyFailing);
 */
export async function audit(opts: AuditOptions): Promise<Report> {
  const concurrency = opts.concurrency ?? 4;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new MlvetError('USAGE', `concurrency must be a whole number of at least 1, not ${String(opts.concurrency)}`);
  const kind = kindOf(opts.target);
  if (opts.offline && kind !== 'local') throw new MlvetError('OFFLINE', `--offline: refusing to fetch ${opts.target}`);
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const policy = policyFor(opts);
  const shard = shardLabel(opts.shard);
  const stateUri = stateUriFor(opts);
  const runId = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const store = stateUri.startsWith('s3://') ? s3Store(stateUri, env, runId) : localStore(resolve(cwd, stateUri));
  const ttl = Number(env.MLVET_AUDIT_LEASE_SECONDS ?? 900) * 1000;
  try {
    const lease = await store.acquire({ owner: runId, pid: process.pid, host: hostname() }, ttl);
    const renew = setInterval(() => void lease.renew().catch((e: Error) => opts.onWarning?.(e.message)), Math.max(1000, ttl / 3));
    renew.unref();
    try {
      return await run(opts, { kind, env, cwd, policy, shard, stateUri, store, concurrency });
    } finally {
      clearInterval(renew);
      await lease.release();
    }
  } finally {
    await store.close();
  }
}

interface RunCtx {
  kind: Kind;
  env: NodeJS.ProcessEnv;
  cwd: string;
  policy: Policy;
  shard: string | null;
  stateUri: string;
  store: StateStore;
  concurrency: number;
}

async function run(opts: AuditOptions, c: RunCtx): Promise<Report> {
  // one client, and one versioning lookup per bucket, for the listing and every object read
  const session = c.kind === 's3' ? s3Session(c.env) : undefined;
  try {
    return await runWith(opts, c, session);
  } finally {
    session?.close();
  }
}

async function runWith(opts: AuditOptions, c: RunCtx, session: S3Session | undefined): Promise<Report> {
  const now = opts.now ?? new Date();
  const warn = opts.onWarning ?? (() => undefined);
  const { state, resumed } = await loadState(c.store, opts.target, c.shard, warn);
  const startedAt = state.pending?.startedAt ?? now.toISOString();
  const listed = await listTarget(opts, c.kind, c.stateUri, c.env, c.cwd, session);
  const objects = (opts.shard ? listed.objects.filter((o) => inShard(o.path, opts.shard!)) : listed.objects).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const digest = rulesDigest(c.policy);
  const planned: Planned[] = [];
  for (const o of objects) planned.push(await plan(o, state.objects[o.path], resumed.get(o.path), digest, opts.rescan === true));

  const journal = openJournal(c.store, opts.target, c.shard);
  const pendingState = (journaled: ReadonlyMap<string, StateEntry>): AuditState => ({ ...state, pending: { startedAt, objects: { ...Object.fromEntries(resumed), ...Object.fromEntries(journaled) } } });
  const compactEvery = Number(c.env.MLVET_AUDIT_COMPACT_EVERY ?? 1000);
  const ctx: ScanContext = { target: opts.target, policy: c.policy, rulesDigest: digest, tool: VERSION, env: c.env, cwd: c.cwd, container: c.kind === 'hf', failOn: opts.failOn ?? c.policy.failOn, ...(session ? { open: (o: AuditObject) => session.open(o) } : {}) };
  const scanned = new Map<string, StateEntry>();
  const failed = new Map<string, StateEntry>();
  // hash-settled objects: on record, so a resumed run does not hash them again
  await Promise.all(planned.filter((p) => p.reuse && p.journal && p.reuse !== resumed.get(p.o.path)).map((p) => journal.commit(p.o.path, p.reuse!)));
  const due = planned.filter((p) => !p.reuse);
  let done = 0;
  await mapLimit(due, c.concurrency, async (p) => {
    const r = await scanObject(ctx, p.o, new Date());
    if (r.sourceFailed) failed.set(p.o.path, r.entry);
    else {
      await journal.commit(p.o.path, r.entry);
      scanned.set(p.o.path, r.entry);
    }
    done++;
    opts.onProgress?.(done, due.length, p.o.path);
    if (done % compactEvery === 0) await journal.compact((j) => c.store.writeState(serializeState(pendingState(j))));
  });

  const report = buildReport(opts, c, { state, planned, scanned, failed, facts: listed.facts, now });
  const finalObjects: Record<string, StateEntry> = {};
  for (const p of planned) {
    const e = scanned.get(p.o.path) ?? p.reuse ?? p.base;
    if (e) finalObjects[p.o.path] = { ...e, verdict: report.verdicts.get(p.o.path) ?? e.verdict };
  }
  await journal.compact(() => c.store.writeState(serializeState({ ...state, runAt: startedAt, objects: finalObjects, pending: undefined })));
  return report.report;
}

function buildReport(opts: AuditOptions, c: RunCtx, r: { state: AuditState; planned: Planned[]; scanned: Map<string, StateEntry>; failed: Map<string, StateEntry>; facts: Fact[]; now: Date }): { report: Report; verdicts: Map<string, StateEntry['verdict']> } {
  const findings: Finding[] = [];
  const inconclusive: InconclusiveEntry[] = [];
  const files: NonNullable<Report['files']> = [];
  let bytesRead = 0;
  const owner = new Map<string, string>(); // fingerprint → object path
  for (const p of r.planned) {
    const fresh = r.scanned.get(p.o.path) ?? r.failed.get(p.o.path);
    const e = fresh ?? p.reuse;
    if (!e) continue;
    if (fresh) bytesRead += fresh.bytesRead;
    for (const f of e.findings) {
      findings.push(fresh ? f : { ...f, carriedOver: true });
      owner.set(f.fingerprint, p.o.path);
    }
    for (const i of e.inconclusive) inconclusive.push(i);
    for (const f of e.files) files.push(f);
  }
  const report = c.policy.report({
    command: 'audit',
    targets: [{ uri: opts.target, kind: c.kind, files: r.planned.length, bytesRead, bytesTotal: r.planned.reduce((n, p) => n + p.o.size, 0) }],
    facts: r.facts.length ? [{ target: opts.target, facts: r.facts }] : [],
    findings,
    inconclusive,
    files,
    now: r.now,
  });
  const kept = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const o = owner.get(f.fingerprint);
    if (o) kept.set(o, [...(kept.get(o) ?? []), f]);
  }
  const verdicts = new Map<string, StateEntry['verdict']>();
  for (const p of r.planned) {
    const e = r.scanned.get(p.o.path) ?? r.failed.get(p.o.path) ?? p.reuse;
    verdicts.set(p.o.path, verdictOf(kept.get(p.o.path) ?? [], e ? e.inconclusive : [], opts.failOn ?? c.policy.failOn));
  }
  const listedPaths = new Set(r.planned.map((p) => p.o.path));
  const section = auditSection({
    state: c.stateUri,
    previousRunAt: r.state.runAt,
    runAt: r.now.toISOString(),
    objects: r.planned.map((p) => ({ path: p.o.path, change: p.change, verdict: verdicts.get(p.o.path)!, ...(p.base ? { previous: p.base.verdict } : {}) })),
    removed: Object.entries(r.state.objects).filter(([k]) => !listedPaths.has(k)).map(([path, e]) => ({ path, previous: e.verdict })),
    scanned: r.scanned.size + r.failed.size,
    carriedOver: r.planned.filter((p) => !r.scanned.has(p.o.path) && !r.failed.has(p.o.path) && p.reuse).length,
  });
  return { report: { ...report, audit: section }, verdicts };
}
