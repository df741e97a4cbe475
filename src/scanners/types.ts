/**
 * Scanners read bytes and emit neutral facts ("pickle imports posix.system at offset 112"). They never
 * decide severity: rule packs in `rules/` turn facts into findings.
 */
import type { RandomAccessReader } from '../artifact/types.js';
import type { MlvetErrorCode } from '../errors.js';

export interface Location {
  /** the target URI the file belongs to */
  target?: string;
  /** file path relative to the target root */
  path: string;
  /** path inside a container, `!`-separated for nesting (`model.tar!storages`) */
  member?: string;
  /** byte offset inside the innermost member (or file) */
  offset?: number;
  line?: number;
  column?: number;
  row?: number;
}

export interface Fact {
  /** dotted kind, e.g. `pickle.global`, `zip.name-mismatch`, `safetensors.valid` */
  kind: string;
  location: Location;
  data: Record<string, unknown>;
}

export interface InconclusiveEntry {
  /** the target URI the file belongs to (set by scan()) */
  target?: string;
  path: string;
  member?: string;
  offset?: number;
  code: MlvetErrorCode;
  message: string;
  /** scanner that gave up */
  scanner?: string;
}

export interface Budgets {
  /** largest file scanned at all (bytes) */
  maxFileBytes: number;
  /** opcodes per pickle stream */
  maxPickleOpcodes: number;
  /** memo entries per pickle stream */
  maxMemoEntries: number;
  /** values retained by the simulator (container items, strings) */
  maxRetainedValues: number;
  /** stack depth (values + marks) */
  maxStackDepth: number;
  /** nested pickle / archive depth */
  maxNestingDepth: number;
  /** largest nested payload decoded into memory (bytes) */
  maxNestedBytes: number;
  /** decompressed size cap for one member (bytes) */
  maxDecompressedBytes: number;
  /** decompression ratio cap */
  maxCompressionRatio: number;
  /** entries per archive */
  maxArchiveEntries: number;
  /** wall-clock seconds per file */
  maxSecondsPerFile: number;
}

export const DEFAULT_BUDGETS: Budgets = {
  maxFileBytes: 2 ** 40,
  maxPickleOpcodes: 500_000_000,
  maxMemoEntries: 20_000_000,
  maxRetainedValues: 4_000_000,
  maxStackDepth: 1_000_000,
  maxNestingDepth: 8,
  maxNestedBytes: 256 * 1024 * 1024,
  maxDecompressedBytes: 8 * 1024 * 1024 * 1024,
  maxCompressionRatio: 1000,
  maxArchiveEntries: 100_000,
  maxSecondsPerFile: 600,
};

/** What a scanner gets to decide cheaply whether it applies (content, never the extension alone). */
export interface Probe {
  path: string;
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
  /** extra allowlist entries from config, `module` or `module.name` → reason */
  readonly allowGlobals: ReadonlyMap<string, string>;
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
