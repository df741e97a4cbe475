/**
 * An artifact is what a source (local dir, hf://, s3://, https://) turns a target into: a list of files,
 * each opened as a random-access reader. Parsers only ever see `RandomAccessReader`, so a scanner that
 * needs 2 KB of a 10 GB remote file reads 2 KB.
 */
import type { Fact } from '../model/facts.js';

export interface RandomAccessReader {
  /** total size in bytes */
  readonly size: number;
  /** Read `length` bytes at `offset`. Returns fewer bytes only at end of file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Read into a caller-owned buffer (reused across calls on hot paths). Returns the number of bytes
   * read, which is less than `length` only at end of file.
   */
  readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number>;
  /** bytes actually fetched from the underlying store so far (for the report's `bytesRead`) */
  readonly bytesRead: number;
  /**
   * Fetch these ranges ahead of the reads that will ask for them (see read-plan.ts). Only readers with
   * latency implement it; resolves when they are held, rejects when a range could not be fetched.
   */
  prefetch?(ranges: ReadonlyArray<{ offset: number; length: number }>): Promise<void>;
  close(): Promise<void>;
}

export interface ArtifactFile {
  /** POSIX path relative to the artifact root (`models/base/pytorch_model.bin`) */
  readonly path: string;
  readonly size: number;
  /** digests the source already knows (e.g. Hub LFS sha256, S3 ChecksumSHA256), lower-case hex */
  readonly digests?: Readonly<Record<string, string>>;
  /** source-specific metadata (S3 versionId, Hub scan status, …) */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** absolute path of a local file (lets scan() hand it to a worker thread) */
  readonly localPath?: string;
  open(): Promise<RandomAccessReader>;
  /**
   * The whole file, when it is at most `max` bytes, read at once with nothing left open (local files);
   * `undefined` when it is larger, or has grown since it was listed: `open()` it instead. Optional: a
   * source without it is opened. The bytes count in the artifact's `bytesRead()`.
   */
  readAll?(max: number): Promise<Uint8Array | undefined>;
}

export interface TargetInfo {
  uri: string;
  /**
   * `local`, or the `kind` of the source record that opened it (`hf`, `s3`, `https`: the list is
   * SOURCES in src/sources/index.ts, a stage above this one, so it is not repeated here as a union)
   */
  kind: string;
  resolvedRevision?: string;
}

export interface Artifact {
  readonly info: TargetInfo;
  /** files in a deterministic order (sorted by path) */
  files(): AsyncIterable<ArtifactFile>;
  /** facts about the target itself (unpinned revision, skipped symlinks, …) */
  readonly facts: Fact[];
  /** bytes fetched by every reader opened from this artifact */
  bytesRead(): number;
  close(): Promise<void>;
}
