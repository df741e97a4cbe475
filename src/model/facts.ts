/**
 * The neutral facts every stage shares. Scanners, sources, lineage and validation emit facts ("pickle
 * imports posix.system at offset 112"); rule packs turn them into findings. Facts never carry severity.
 */
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

/** Something that could not be fully read or checked: never reported as clean. */
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
