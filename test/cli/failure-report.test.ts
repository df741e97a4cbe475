/**
 * A command that fails before it reads its target still writes every report it was asked for, with
 * one inconclusive entry for the target: a CI job that uploads the SARIF or reads the JSON never finds
 * nothing. Usage and credential failures exit 3, others 2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sarifValidator } from '../schemas/validators.js';

const dir = mkdtempSync(join(tmpdir(), 'mlvet-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a failure before the target is read still writes the reports', () => {
  it.each([
    ['scan', ['scan', 'hf://org/model@main', '--offline'], 'hf://org/model@main', 'OFFLINE', 3],
    ['scan, a missing path', ['scan', join(dir, 'missing')], join(dir, 'missing'), 'NOT_FOUND', 3],
    ['verify', ['verify', 'hf://org/model@main', '--manifest', join(dir, 'm.json'), '--trusted-key', join(dir, 'k.pub'), '--offline'], 'hf://org/model@main', 'NOT_FOUND', 3],
    ['validate', ['validate', 'hf://datasets/org/data@main', '--offline'], 'hf://datasets/org/data@main', 'OFFLINE', 3],
  ])('%s', async (name, args, target, code, exit) => {
    const json = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    const sarif = join(dir, `${name.replace(/\W+/g, '-')}.sarif`);
    const r = await runCli([...args, '--output', json, '--output', sarif]);
    expect(r.code).toBe(exit);
    expect(r.stderr).toContain(code); // the error line, or the text summary of the report
    const report = JSON.parse(readFileSync(json, 'utf8')) as { command: string; inconclusive: unknown[]; targets: unknown[] };
    expect(report.command).toBe(args[0]);
    expect(report.inconclusive).toEqual([{ target, path: '', code, message: expect.stringContaining(target) as string, scanner: 'source' }]);
    expect(report.targets).toEqual([{ uri: target, kind: 'unknown', files: 0, bytesRead: 0, bytesTotal: 0 }]);
    const validate = sarifValidator();
    const doc = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean }> }> };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
  }, 20_000);
});
