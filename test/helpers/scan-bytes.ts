import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import type { Report } from '../../src/model/report.js';

/** Write bytes to a temp file (any name: detection is by content) and scan it with the library. */
export async function scanBytes(bytes: Uint8Array, name = 'blob.bin'): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-'));
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return scan({ targets: [p], cwd: dir });
}

export const ruleIds = (r: Report): string[] => [...new Set(r.findings.map((f) => f.ruleId))].sort();
export const codes = (r: Report): string[] => r.inconclusive.map((i) => i.code);

import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { scanFile, type FileScanResult } from '../../src/scanners/dispatch.js';
import { DEFAULT_BUDGETS, type Budgets } from '../../src/model/budgets.js';

/** Scan bytes in memory through the real dispatcher (no temp file): facts and inconclusive entries. */
export function scanBuffer(bytes: Uint8Array, budgets: Partial<Budgets> = {}): Promise<FileScanResult> {
  return scanFile(
    { path: 'input.bin', size: bytes.length, open: () => Promise.resolve(new BufferReader(bytes)) },
    { budgets: { ...DEFAULT_BUDGETS, maxSecondsPerFile: 10, ...budgets } },
  );
}

export { prng } from './prng.js';
