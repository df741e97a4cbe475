/** `mlvet audit`: scheduled, incremental, resumable, shardable audits. */
export { audit, rulesDigest, stateUriFor, type AuditOptions } from './run.js';
export type { AuditState, StateEntry, Identity } from './types.js';
