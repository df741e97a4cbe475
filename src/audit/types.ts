/**
 * What `mlvet audit` remembers between runs: per object, the identity it had when it was last read,
 * that read's verdict and raw findings (before suppressions, which are applied afresh each run), and
 * the rule-set digest and tool version that produced them. Identities are what a listing gives
 * cheaply, so an unchanged object costs no read at all.
 */
import type { InconclusiveEntry } from '../model/facts.js';
import type { AuditVerdict, Finding, Report } from '../model/report.js';

export interface S3Identity {
  kind: 's3';
  key: string;
  size: number;
  etag?: string;
  lastModified?: string;
  versionId?: string;
  /** a full-object checksum the listing or inventory carries (`sha256:…`, `crc32c:…`) */
  checksum?: string;
}

export interface LocalIdentity {
  kind: 'local';
  size: number;
  mtimeMs: number;
  ino: number;
  /** sha256 of the content, hex; settles a changed mtime over unchanged bytes without a rescan */
  sha256?: string;
}

export interface HubIdentity {
  kind: 'hf';
  /** `model` / `dataset` */
  type: string;
  repo: string;
  /** the commit of the default branch; every LFS oid and blob id of the repo is fixed by it */
  sha: string;
}

export type Identity = S3Identity | LocalIdentity | HubIdentity;

export interface StateEntry {
  identity: Identity;
  verdict: AuditVerdict;
  /** findings of the last read, suppressions not applied, paths relative to the audited target */
  findings: Finding[];
  inconclusive: InconclusiveEntry[];
  files: NonNullable<Report['files']>;
  rulesDigest: string;
  tool: string;
  scannedAt: string;
  bytesRead: number;
}

export const STATE_FORMAT = 'mlvet-audit-state';
export const JOURNAL_FORMAT = 'mlvet-audit-journal';
export const STATE_VERSION = 1;

export interface AuditState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  target: string;
  /** `K/N` when the state is one shard's part */
  shard: string | null;
  /** when the last run that finished began; null before the first */
  runAt: string | null;
  /** the objects as the last finished run left them */
  objects: Record<string, StateEntry>;
  /** a run that has not finished yet: what it has read so far (compacted from its journal) */
  pending?: { startedAt: string; objects: Record<string, StateEntry> };
}

/** One object the listing (or inventory) found, with the target `scan()` reads it through. */
export interface AuditObject {
  /** path relative to the audited target, as findings name it */
  path: string;
  identity: Identity;
  size: number;
  /** what scan() is given to read this object alone */
  scanTarget: string;
  /**
   * S3 only: the checksum algorithms the listing names for the object (lower case, `[]` for none);
   * undefined when the source did not say (an inventory without that field): a HeadObject tells.
   */
  s3Checksums?: string[];
}
