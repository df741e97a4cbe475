/** Fingerprints tell targets apart, and `report merge` never loses a finding. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeReports } from '../../src/findings/merge.js';
import type { Finding } from '../../src/model/report.js';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mlvet-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const copyA = join(dir, 'a');
const copyB = join(dir, 'b');
cpSync(join(FIXTURES, 'demo', 'bert-mini'), copyA, { recursive: true });
cpSync(join(FIXTURES, 'demo', 'bert-mini'), copyB, { recursive: true });

const keyOf = (f: Finding): string => `${f.location.target}|${f.ruleId}|${f.location.path}|${f.location.offset ?? ''}`;

describe('two copies of one model', () => {
  it('give two findings with two fingerprints in one run', async () => {
    const report = await scan({ targets: [copyA, copyB] });
    const a = report.findings.filter((f) => f.location.target === copyA);
    const b = report.findings.filter((f) => f.location.target === copyB);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBe(a.length);
    expect(new Set(report.findings.map((f) => f.fingerprint)).size).toBe(report.findings.length);
  });

  it('merged from two reports keep every finding; the same report merged twice adds none', async () => {
    const ra = await scan({ targets: [copyA] });
    const rb = await scan({ targets: [copyB] });
    const merged = mergeReports([ra, rb]);
    expect(merged.findings.map(keyOf).sort()).toEqual([...ra.findings, ...rb.findings].map(keyOf).sort());
    expect(mergeReports([ra, ra]).findings).toEqual(ra.findings);
  });

  it('two findings that share a fingerprint but differ are both kept', async () => {
    const ra = await scan({ targets: [copyA] });
    const f = ra.findings[0]!;
    const twin: Finding = { ...f, message: `${f.message} (another reading)`, evidence: { ...f.evidence, other: true } };
    const merged = mergeReports([ra, { ...ra, findings: [twin] }]);
    expect(merged.findings.length).toBe(ra.findings.length + 1);
  });
});
