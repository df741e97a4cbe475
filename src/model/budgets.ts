/**
 * Resource budgets every parser and scanner honours. Config overrides them (`budgets` in
 * mlvet.config.json); a budget that runs out makes the file inconclusive, never clean.
 */
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
