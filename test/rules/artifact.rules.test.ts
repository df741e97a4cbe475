import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { scan } from '../../src/scan.js';

describe('artifact rules', () => {
  it("reports 'artifact/symlink-escape' and does not follow the link", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-'));
    const outside = mkdtempSync(join(tmpdir(), 'mlvet-out-'));
    writeFileSync(join(outside, 'evil.pkl'), Buffer.from('cposix\nsystem\n(Vid\ntR.', 'latin1'));
    symlinkSync(join(outside, 'evil.pkl'), join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'ok.txt'), 'hello');
    const r = await scan({ targets: [dir] });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['artifact/symlink-escape']);
  });
  it("reports 'artifact/special-file' for a FIFO and does not block on it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await scan({ targets: [dir] });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['artifact/special-file']);
  });
  it('a symlink inside the root is scanned as its target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-'));
    writeFileSync(join(dir, 'real.bin'), Buffer.from('cposix\nsystem\n(Vid\ntR.', 'latin1'));
    symlinkSync(join(dir, 'real.bin'), join(dir, 'alias.bin'));
    const r = await scan({ targets: [dir] });
    expect(r.findings.filter((f) => f.ruleId === 'pickle/code-execution').map((f) => f.location.path).sort()).toEqual(['alias.bin', 'real.bin']);
  });
});
