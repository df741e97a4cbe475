/**
 * Temp directories for tests that create many files (a 150,000-entry tree, s3rver's object store with
 * three files per object): on memory-backed storage (/dev/shm) when the machine has it, else
 * os.tmpdir(). On the shared CI box the same 150,000 empty files took 0.7 s on tmpfs and 5 to 35 s on
 * the loaded ext4 disk. What a test leaves there costs RAM: remove the directory in afterAll.
 */
import { accessSync, constants, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SHM = '/dev/shm';
let root: string | undefined;

/** Where scratch directories go: /dev/shm when it is a writable directory, else os.tmpdir(). */
export function scratchRoot(): string {
  if (root === undefined) {
    try {
      accessSync(SHM, constants.W_OK);
      root = statSync(SHM).isDirectory() ? SHM : tmpdir();
    } catch {
      root = tmpdir();
    }
  }
  return root;
}

/** `mkdtemp` under scratchRoot(). */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(scratchRoot(), prefix));
}
