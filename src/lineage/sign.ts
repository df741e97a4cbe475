/**
 * `sign()`: hash the targets, build the Statement (mlvet lineage, or model_signing's v1.0 layout),
 * sign its DSSE PAE and wrap it in a Sigstore bundle v0.3. Nothing is written here; the caller
 * writes `bundle` to the manifest path.
 *
 * Hashing starts before the code for the steps after it is loaded: the statement, DSSE and bundle
 * modules load while the files hash, and what only some runs need (DVC import, `--source` pinning
 * with its remote clients, the model_signing layout) loads only in those runs.
 */
import { readRegularFile } from '../files.js';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { MlvetError } from '../errors.js';
import { VERSION } from '../findings/report.js';
import type { HashOptions } from './hash/pool.js';
import { keyAlgOf, keyIds, signBytes } from './keys.js';
import { buildSet, hashTree, relUnder, setName } from './native/build.js';
import type { LineageSet, Source, Transform } from './native/statement.js';
import { comparePython } from './paths.js';
import { DEFAULT_IGNORES, INTOTO_PAYLOAD_TYPE, type ManifestFormat, type Problem } from './types.js';

export interface SignOptions {
  /** directories (or files) to sign */
  targets: string[];
  /** private key (see `loadPrivateKey`) */
  key: KeyObject;
  /** where the manifest will be written: ignored when it lies inside a target */
  out: string;
  format?: ManifestFormat;
  /** `name=uri` strings, as `--source` takes them */
  sources?: string[];
  /** JSON files holding one transform or an array of them */
  transformFiles?: string[];
  /** import stages from this dvc.lock */
  fromDvc?: string;
  /** directory set roots are relative to (default: the one target dir, the dvc.lock dir, or the targets' common parent) */
  base?: string;
  cwd?: string;
  now?: Date;
  hash?: HashOptions;
}

export interface SignResult {
  format: ManifestFormat;
  /** the bundle JSON to write */
  bundle: string;
  statement: unknown;
  keyId: string;
  /** unpinned or weakly pinned sources (the manifest is still written) */
  warnings: Problem[];
  files: number;
  bytes: number;
}

/**
 * Sign a directory.
 *
 * @example
 * const key = loadPrivateKey({ file: 'release.key' });
 * const r = await sign({ targets: ['model/'], key, out: 'model.sigstore.json' });
 * writeFileSync('model.sigstore.json', r.bundle);
 */
export async function sign(opts: SignOptions): Promise<SignResult> {
  if (!keyAlgOf(opts.key)) throw new MlvetError('KEY_INVALID', 'unsupported signing key type');
  return (opts.format ?? 'mlvet') === 'model-signing' ? signModelSigning(opts) : signMlvet(opts);
}

/** What turns a statement into a signed bundle; loaded while the files hash. */
interface Finish {
  canonicalize: typeof import('./canonical.js').canonicalize;
  pae: typeof import('./dsse.js').pae;
  buildBundle: typeof import('./bundle.js').buildBundle;
}

/**
 * Start loading modules now, to be awaited after hashing. The promise is marked handled at once, so a
 * sign that fails before awaiting it (a missing target) does not also report an unhandled rejection.
 */
function early<T>(load: () => Promise<T>): Promise<T> {
  const p = load();
  p.catch(() => undefined);
  return p;
}

const loadFinish = (): Promise<Finish> =>
  early(async () => {
    const [{ canonicalize }, { pae }, { buildBundle }] = await Promise.all([import('./canonical.js'), import('./dsse.js'), import('./bundle.js')]);
    return { canonicalize, pae, buildBundle };
  });

/** `--source` flags parsed, plus `extra` (from dvc.lock), and their pinning warnings; the sources module only when there are any. */
async function sourcesOf(flags: readonly string[], extra: readonly Source[]): Promise<{ sources: Source[]; warnings: Problem[] }> {
  if (flags.length === 0 && extra.length === 0) return { sources: [], warnings: [] };
  const { parseSourceFlag, pinningProblems } = await import('./native/sources.js');
  const sources = [...flags.map(parseSourceFlag), ...extra];
  return { sources, warnings: sources.flatMap(pinningProblems) };
}

/** Sign `canonical` (the statement's JCS text) and wrap it in a bundle. */
function envelope(m: Finish, opts: SignOptions, canonical: string, hintKind: 'der' | 'pem', keyid: 'hint' | 'empty'): { bundle: string; keyId: string } {
  const payload = Buffer.from(canonical, 'utf8');
  const sig = signBytes(opts.key, m.pae(INTOTO_PAYLOAD_TYPE, payload));
  const ids = keyIds(createPublicKey(opts.key));
  const hint = ids[hintKind];
  return { bundle: m.buildBundle(payload, sig, hint, keyid === 'hint' ? hint : ''), keyId: ids.der };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    throw new MlvetError('NOT_FOUND', `no such file or directory: ${p}`, { path: p });
  }
}

function commonParent(paths: string[]): string {
  let cur = dirname(paths[0]!);
  while (!paths.every((p) => relUnder(cur, p) !== undefined)) cur = dirname(cur);
  return cur;
}

async function signMlvet(opts: SignOptions): Promise<SignResult> {
  const cwd = opts.cwd ?? process.cwd();
  const targets = opts.targets.map((t) => resolve(cwd, t));
  const lock = opts.fromDvc ? resolve(cwd, opts.fromDvc) : undefined;
  if (targets.length === 0 && !lock) throw new MlvetError('USAGE', 'nothing to sign: give a directory or --from-dvc dvc.lock');
  const single = targets.length === 1 && isDir(targets[0]!) ? targets[0] : undefined;
  const base = opts.base ? resolve(cwd, opts.base) : lock ? dirname(lock) : (single ?? commonParent(targets));
  const outAbs = resolve(cwd, opts.out);
  const hash = opts.hash ?? {};
  const finish = loadFinish();
  const checks = early(() => Promise.all([import('./native/statement.js'), import('./native/graph.js')]));
  const dvc = lock ? await (await import('./native/dvc-import.js')).importDvc(lock, base, outAbs, hash) : { sets: [], sources: [] as Source[], transforms: [] as Transform[] };
  const roots = [...targets, ...dvc.sets.map((s) => resolve(base, s.root))];
  const sets: LineageSet[] = [];
  for (const abs of targets) sets.push(await buildSet({ abs, name: setName(base, abs) }, base, outAbs, roots, hash));
  sets.push(...dvc.sets.filter((d) => !sets.some((s) => s.name === d.name)));
  const { sources, warnings } = await sourcesOf(opts.sources ?? [], dvc.sources);
  const transforms: Transform[] = [...(opts.transformFiles ?? []).flatMap((f) => readTransforms(resolve(cwd, f))), ...dvc.transforms];
  const predicate = {
    spec: '0.1' as const,
    createdOn: (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    tool: { name: 'mlvet', version: VERSION },
    sets,
    ...(sources.length ? { sources } : {}),
    ...(transforms.length ? { transforms } : {}),
  };
  const [{ buildStatement, parseStatement }, { lineageProblems }] = await checks;
  const m = await finish;
  const statement = buildStatement(predicate);
  const canonical = m.canonicalize(statement);
  // a manifest mlvet would reject on verify is never written
  const parsed = parseStatement(JSON.parse(canonical));
  if (!parsed.ok) throw new MlvetError('MANIFEST_INVALID', parsed.problem.detail);
  const bad = lineageProblems(parsed.statement.predicate)[0];
  if (bad) throw new MlvetError('MANIFEST_INVALID', `lineage is inconsistent: ${bad.detail}`);
  const { bundle, keyId } = envelope(m, opts, canonical, 'der', 'hint');
  const files = sets.flatMap((s) => s.files);
  return { format: 'mlvet', bundle, statement, keyId, warnings, files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}

function readTransforms(file: string): Transform[] {
  let doc: unknown;
  const text = readRegularFile(file, '--transform');
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new MlvetError('MANIFEST_INVALID', `${file}: not readable JSON: ${(e as Error).message}`, { path: file });
  }
  const list = Array.isArray(doc) ? doc : [doc];
  return list.map((t: unknown) => {
    if (typeof t !== 'object' || t === null) throw new MlvetError('MANIFEST_INVALID', `${file}: a transform must be an object`, { path: file });
    const o = t as Record<string, unknown>;
    // `command` is accepted as shorthand for externalParameters.command
    const { command, ...rest } = o;
    const ext = { ...((rest.externalParameters as object | undefined) ?? {}), ...(command !== undefined ? { command } : {}) };
    return { buildType: 'https://mlvet.dev/transform/command/v1', resolvedDependencies: [], outputs: [], ...rest, externalParameters: ext } as unknown as Transform;
  });
}

async function signModelSigning(opts: SignOptions): Promise<SignResult> {
  const alg = keyAlgOf(opts.key);
  if (alg === 'ed25519') throw new MlvetError('KEY_INVALID', 'model_signing accepts only ECDSA keys (P-256, P-384, P-521); use mlvet keygen --alg p256');
  if (opts.targets.length !== 1 || opts.fromDvc) throw new MlvetError('USAGE', '--format model-signing signs exactly one directory (no --from-dvc)');
  const cwd = opts.cwd ?? process.cwd();
  const target = resolve(cwd, opts.targets[0]!);
  const dir = isDir(target);
  const root = dir ? target : dirname(target);
  const outRel = relUnder(root, resolve(cwd, opts.out));
  const ignorePaths = [...DEFAULT_IGNORES, ...(dir && outRel && outRel !== '.' ? [outRel] : [])];
  const finish = loadFinish();
  const layout = early(() => import('./ms/statement.js'));
  const hashed = await hashTree(root, ignorePaths, opts.hash ?? {}, dir ? undefined : basename(target));
  const files = dir ? hashed.sort((a, b) => comparePython(a.path, b.path)) : hashed.map((f) => ({ ...f, path: '.' }));
  const { sources, warnings } = await sourcesOf(opts.sources ?? [], []);
  const transforms = (opts.transformFiles ?? []).flatMap((f) => readTransforms(resolve(cwd, f)));
  const { buildMsStatement } = await layout;
  // model_signing v1.0 verifiers ignore extra predicate fields, so lineage can ride along
  const extra = sources.length || transforms.length ? { mlvet_lineage: { sources, transforms } } : {};
  const statement = buildMsStatement(basename(target), files.map((f) => ({ path: f.path, digest: f.sha256 })), ignorePaths, extra);
  const m = await finish;
  const { bundle, keyId } = envelope(m, opts, m.canonicalize(statement), 'pem', 'empty');
  return { format: 'model-signing', bundle, statement, keyId, warnings, files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}
