/**
 * Scanners read bytes and emit neutral facts ("pickle imports posix.system at offset 112"). They never
 * decide severity: rule packs in `rules/` turn facts into findings.
 */
import type { RandomAccessReader } from '../artifact/types.js';
import type { Budgets } from '../model/budgets.js';
import type { Fact, InconclusiveEntry, Location } from '../model/facts.js';

/** What a scanner gets to decide cheaply whether it applies (content, never the extension alone). */
export interface Probe {
  /** the file's path; for an archive member, the archive's path */
  path: string;
  /**
   * The innermost name: the last `!`-separated member of the location, or the file's basename.
   * Scanners that let a name claim content (`model.onnx`, `saved_model.pb`) decide by this, so the
   * claim works for a member of a zip or tar as it does for a file.
   */
  name: string;
  size: number;
  /** the first bytes of the file (up to 64 KiB) */
  head: Uint8Array;
  /** content label from `detect()` */
  format: string;
}

export interface ScanInput {
  /** the reader for this file or member */
  reader: RandomAccessReader;
  /** location of this input: path plus member chain */
  location: Location;
  probe: Probe;
  /** archive / nested-pickle depth of this input */
  depth: number;
  /** a speculative scan (bytes that merely look like a pickle): report facts, not parse errors */
  quiet?: boolean;
}

export interface ScanContext {
  readonly budgets: Budgets;
  emit(fact: Fact): void;
  inconclusive(entry: InconclusiveEntry): void;
  /**
   * Hand bytes found inside this input (an archive member, a nested pickle) back to the dispatcher,
   * which sniffs and scans them like a file.
   */
  scanNested(reader: RandomAccessReader, location: Location, depth: number, opts?: { quiet?: boolean }): Promise<void>;
  /** per-file deadline (ms since epoch) from the time budget */
  readonly deadline: number;
}

export interface Scanner {
  readonly id: string;
  /** content labels (from `detect()`) this scanner handles */
  readonly formats: readonly string[];
  /** optional finer check on top of the format label */
  required?(probe: Probe): boolean;
  scan(input: ScanInput, ctx: ScanContext): Promise<void>;
}
