/**
 * The report model: severities, findings and the Report every command returns and every reporter
 * renders. Lives below the stages so that the rule engine, lineage, validation and reporters share it
 * without importing one another.
 */
import type { InconclusiveEntry, Location } from './facts.js';


export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type FailOn = Exclude<Severity, 'info'> | 'none';

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s); // critical 5 … info 1
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: Location;
  evidence: Record<string, unknown>;
  /** stable across runs: sha256 of rule id, location and evidence key */
  fingerprint: string;
  /** technique or CVE family, when the rule names one */
  technique?: string;
  /** `mlvet audit`: the object was unchanged, so this finding is its last scan's, not re-read this run */
  carriedOver?: true;
}

export interface Suppressed extends Finding {
  suppression: { reason: string; source: string; expires?: string };
}

export interface TargetSummary {
  uri: string;
  kind: string;
  resolvedRevision?: string;
  files: number;
  bytesRead: number;
  /** bytes of all files in the target, for bytesRead/size ratios */
  bytesTotal: number;
}

export interface Summary {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'mlvet'; version: string };
  createdAt: string;
  command: string;
  targets: TargetSummary[];
  findings: Finding[];
  inconclusive: InconclusiveEntry[];
  suppressed: Suppressed[];
  summary: Summary;
  /** files scanned and what each was recognised as (for "safetensors: valid" style good news) */
  files?: Array<{ target?: string; path: string; member?: string; format: string; scanners: string[] }>;
  validation?: unknown;
  lineage?: unknown;
  /** what changed since the last run, when `mlvet audit` made the report */
  audit?: AuditSection;
}

export type AuditVerdict = 'clean' | 'findings' | 'inconclusive';

export interface AuditSection {
  /** where the state lives (a path or `s3://…`) */
  state: string;
  previousRunAt: string | null;
  runAt: string;
  objects: { total: number; new: number; changed: number; removed: number; unchanged: number };
  /** objects read this run */
  scanned: number;
  /** objects whose last findings were carried over unread */
  carriedOver: number;
  changes: Array<{ path: string; change: 'new' | 'changed' | 'removed'; verdict: AuditVerdict }>;
  /** objects that fail now and did not at the last run */
  newlyFailing: string[];
  /** objects that failed at the last run and do not now (or are gone) */
  resolved: string[];
}
