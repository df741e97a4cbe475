import { rmSync } from 'node:fs';
import type { FileReader } from './file-reader.js';
import type { RandomAccessReader } from './types.js';

/**
 * A reader over a file in a private temporary directory that is removed when the reader closes
 * (spilled decompressed members, bounded downloads). `bytesRead` is the file's own count unless the
 * caller knows better (a download reports what crossed the network).
 */
export class TempFileReader implements RandomAccessReader {
  constructor(
    private readonly file: FileReader,
    private readonly dir: string,
    private readonly fixedBytesRead?: number,
  ) {}
  get size(): number {
    return this.file.size;
  }
  get bytesRead(): number {
    return this.fixedBytesRead ?? this.file.bytesRead;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    return this.file.read(offset, length);
  }
  readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
    return this.file.readInto(buf, bufOffset, length, position);
  }
  async close(): Promise<void> {
    await this.file.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
