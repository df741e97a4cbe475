/**
 * Where a state lives: a local file or an S3 object. Both give the same five operations; the
 * journal and the lease sit beside the state (`<state>.journal`, `<state>.lock`), so one `--state`
 * names everything a run keeps.
 */
export interface Lease {
  /** push the expiry forward; fails when another run has taken the lease since */
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface LeaseOwner {
  owner: string;
  pid: number;
  host: string;
  acquiredAt: string;
  expiresAt: string;
}

export interface JournalPart {
  /** file path or object key, for messages */
  name: string;
  text: string;
}

export interface StateStore {
  /** as the user named it (path or `s3://…`) */
  readonly uri: string;
  readState(): Promise<Uint8Array | undefined>;
  /** whole state, atomically: a reader sees the old state or the new one */
  writeState(bytes: Uint8Array): Promise<void>;
  /** every journal part, oldest first */
  readJournal(): Promise<JournalPart[]>;
  /** these lines are durable when this resolves */
  appendJournal(text: string): Promise<void>;
  /** drop the journal parts read or written so far (they are compacted into the state) */
  clearJournal(): Promise<void>;
  acquire(owner: Omit<LeaseOwner, 'expiresAt' | 'acquiredAt'>, ttlMs: number): Promise<Lease>;
  close(): Promise<void>;
}

export function lockMessage(uri: string, o: Partial<LeaseOwner>): string {
  return `${uri} is locked by another audit (pid ${String(o.pid ?? '?')} on ${o.host ?? '?'}, run ${o.owner ?? '?'}, until ${o.expiresAt ?? '?'}); wait for it, or remove the lock if that run is gone`;
}

/** A lease the same host holds for a process that no longer exists is stale at once. */
export function isStale(o: Partial<LeaseOwner>, host: string, now: number): boolean {
  const exp = Date.parse(o.expiresAt ?? '');
  if (!Number.isFinite(exp) || exp <= now) return true;
  if (o.host === host && typeof o.pid === 'number') {
    try {
      process.kill(o.pid, 0);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return false;
}
