/**
 * mlvet's own Statement: one subject per artifact set (in-toto `dirHash`), and a lineage predicate
 * holding `sets` (complete listings), `sources` (pinned ResourceDescriptors) and `transforms`
 * (SLSA-style). Serialised with JCS so the same inputs give the same bytes.
 */
import { createHash } from 'node:crypto';
import { HEX_LENGTH, type HashAlg } from '../hash/algs.js';
import { compareBytewise } from '../paths.js';
import { validatorFor } from '../../schemas.js';
import { MLVET_PREDICATE, STATEMENT_TYPE, type Problem } from '../types.js';

export interface LineageFile {
  path: string;
  size: number;
  digest: Record<string, string>;
  from?: string[];
}

export interface LineageSet {
  name: string;
  /** location relative to the verify target ('.' = the target itself) */
  root: string;
  complete: boolean;
  hash: HashAlg;
  ignore?: string[];
  symlinks?: 'reject' | 'follow-files';
  files: LineageFile[];
  producedBy?: string;
  annotations?: Record<string, unknown>;
}

export interface Source {
  name: string;
  uri?: string;
  digest?: Record<string, string>;
  annotations?: Record<string, unknown>;
}

export interface Transform {
  id: string;
  buildType?: string;
  externalParameters?: Record<string, unknown>;
  resolvedDependencies: Array<{ name: string; uri?: string; digest?: Record<string, string> }>;
  outputs: string[];
  builder?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  imported?: Record<string, unknown>;
}

export interface LineagePredicate {
  spec: '0.1';
  createdOn: string;
  tool: { name: string; version: string };
  sets: LineageSet[];
  sources?: Source[];
  transforms?: Transform[];
}

export interface LineageStatement {
  _type: string;
  subject: Array<{ name: string; digest: { dirHash: string } }>;
  predicateType: string;
  predicate: LineagePredicate;
}

/** in-toto dirHash: SHA-256 over `<hex>  <path>\n` lines sorted bytewise by path. */
export function dirHash(set: Pick<LineageSet, 'files' | 'hash'>): string {
  let files = set.files;
  // sets are built in bytewise order: sort (a copy) only when they are not
  for (let i = 1; i < files.length; i++)
    if (compareBytewise(files[i - 1]!.path, files[i]!.path) > 0) {
      files = [...files].sort((a, b) => compareBytewise(a.path, b.path));
      break;
    }
  // the same bytes as one update per line, hashed 4,096 lines at a time
  const h = createHash('sha256');
  const CHUNK = 4096;
  for (let i = 0; i < files.length; i += CHUNK) {
    let text = '';
    for (let k = i; k < Math.min(files.length, i + CHUNK); k++) text += `${files[k]!.digest[set.hash] ?? ''}  ${files[k]!.path}\n`;
    h.update(text, 'utf8');
  }
  return h.digest('hex');
}

export function buildStatement(predicate: LineagePredicate): LineageStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: predicate.sets.map((s) => ({ name: s.name, digest: { dirHash: dirHash(s) } })),
    predicateType: MLVET_PREDICATE,
    predicate,
  };
}

type Parse = { ok: true; statement: LineageStatement } | { ok: false; problem: Problem };
const invalid = (reason: string, detail: string): Parse => ({ ok: false, problem: { code: 'STATEMENT_INVALID', reason, detail } });

/** Schema and consistency checks; only for verified payload bytes. */
export function parseStatement(doc: unknown): Parse {
  const validate = validatorFor('lineage-statement');
  if (!validate(doc)) return invalid('schema', `lineage statement does not match schemas/lineage-statement.json: ${validate.errorText}`);
  const st = doc as LineageStatement;
  const names = new Set<string>();
  for (const set of st.predicate.sets) {
    if (names.has(set.name)) return invalid('duplicate-set', `set name ${JSON.stringify(set.name)} appears twice`);
    names.add(set.name);
    const paths = new Set<string>();
    for (const f of set.files) {
      if (paths.has(f.path)) return invalid('duplicate-path', `set ${set.name}: path ${JSON.stringify(f.path)} is listed twice`);
      paths.add(f.path);
      const d = f.digest[set.hash];
      if (!d || d.length !== HEX_LENGTH[set.hash]) return invalid('digest-format', `set ${set.name}: ${f.path} has no ${set.hash} digest of ${HEX_LENGTH[set.hash]} hex digits`);
    }
    const subj = st.subject.find((s) => s.name === set.name);
    if (!subj) return invalid('subject-missing', `set ${set.name} has no subject`);
    if (subj.digest.dirHash !== dirHash(set)) return invalid('subject-digest', `subject ${set.name}: dirHash does not match the set's file listing`);
  }
  const extra = st.subject.find((s) => !names.has(s.name));
  if (extra) return invalid('subject-extra', `subject ${JSON.stringify(extra.name)} names no set`);
  return { ok: true, statement: st };
}
