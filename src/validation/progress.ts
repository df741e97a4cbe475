/**
 * Progress of a pass over a dataset, for the CLI's progress bar: rows so far, files and bytes of the
 * files finished. Readers stream batches, so a file's bytes count once its last batch is in.
 */
import type { Batch, DataFile } from './types.js';

export interface DatasetProgress {
  /** which pass (profile reads twice) */
  pass: number;
  passes: number;
  rows: number;
  files: { done: number; total: number };
  bytes: { done: number; total: number };
  file: string;
}

export type OnProgress = (p: DatasetProgress) => void;

/** a batch callback that reports progress; `done()` reports the pass complete */
export function progressOf(files: DataFile[], on: OnProgress | undefined, pass = 1, passes = 1): { batch: (b: Batch) => void; done: () => void } {
  if (!on) return { batch: () => undefined, done: () => undefined };
  const index = new Map(files.map((f, i) => [f.display, i]));
  const total = files.reduce((a, f) => a + f.size, 0);
  const before = files.map((_, i) => files.slice(0, i).reduce((a, f) => a + f.size, 0));
  let rows = 0;
  const report = (i: number, file: string): void => on({ pass, passes, rows, files: { done: i, total: files.length }, bytes: { done: before[i] ?? total, total }, file });
  return {
    batch: (b) => {
      rows += b.length;
      const i = index.get(b.file) ?? 0;
      report(i, b.file);
    },
    done: () => report(files.length, ''),
  };
}
