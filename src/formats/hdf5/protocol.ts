/**
 * Messages between readRootAttrs (the thread that scans) and the HDF5 worker thread. One worker serves
 * every file of its thread, so each message names its file (`sid`, a session) and each round its
 * request (`rid`): a late reply to a round that already timed out can never be taken for another's.
 */
import type { RootAttrs } from './attrs.js';

/** One pass of h5wasm over a file: the chunks the worker does not hold yet, and what to read. */
export interface RoundRequest {
  rid: number;
  sid: number;
  size: number;
  chunks: Array<[number, Uint8Array]>;
  wanted: string[];
  maxValue: number;
}

/** The file is done: drop its image and unlink it from h5wasm's in-memory file system. */
export interface EndRequest {
  sid: number;
  end: true;
}

export type WorkerRequest = RoundRequest | EndRequest;

export interface RoundReply {
  rid: number;
  result?: RootAttrs;
  error?: string;
  /** chunks the pass needed but did not have; only a pass with none is trusted */
  misses: number[];
  /** images in the worker's in-memory file system, this one included (ended sessions must not stay) */
  mounted?: number;
}
