/**
 * Group commit over the state store: every completed object waits until its journal line is durable
 * (fsync'd, or its batch object put), and lines that complete while a write is under way go out
 * together in the next one. So a worker never takes its next object before its last one is on
 * record, and a SIGKILL loses at most the objects in flight (no more than `--concurrency`).
 * Compaction runs in the same queue, between batches, never beside one.
 */
import { journalLine } from './state.js';
import type { StateStore } from './store.js';
import type { StateEntry } from './types.js';

export interface Journal {
  /** resolves when the line for this object is durable */
  commit(path: string, entry: StateEntry): Promise<void>;
  /** run `write` (the state with everything journaled so far) between batches, then drop the journal */
  compact(write: (journaled: ReadonlyMap<string, StateEntry>) => Promise<void>): Promise<void>;
  /** everything made durable by this run */
  readonly journaled: ReadonlyMap<string, StateEntry>;
}

export function openJournal(store: StateStore, target: string, shard: string | null): Journal {
  let tail: Promise<unknown> = Promise.resolve();
  let open: { lines: string[]; entries: Array<[string, StateEntry]>; done: Promise<void> } | undefined;
  const journaled = new Map<string, StateEntry>();
  const enqueue = <T>(op: () => Promise<T>): Promise<T> => {
    const p = tail.then(op);
    tail = p.catch(() => undefined);
    return p;
  };
  return {
    journaled,
    commit(path, entry) {
      if (!open) {
        const b = { lines: [] as string[], entries: [] as Array<[string, StateEntry]>, done: Promise.resolve() };
        b.done = enqueue(async () => {
          if (open === b) open = undefined; // lines that complete from now on go in the next batch
          await store.appendJournal(b.lines.join(''));
          for (const [p, e] of b.entries) journaled.set(p, e);
        });
        open = b;
      }
      open.lines.push(journalLine(target, shard, path, entry));
      open.entries.push([path, entry]);
      return open.done;
    },
    compact(write) {
      return enqueue(async () => {
        await write(journaled);
        await store.clearJournal();
      });
    },
  };
}
