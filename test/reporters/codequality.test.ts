/**
 * GitLab Code Quality JSON: one issue per finding and inconclusive entry, GitLab's severities, a path
 * in the project and a line, fingerprints unique, suppressed findings left out.
 */
import { describe, expect, it } from 'vitest';
import { renderCodequality } from '../../src/reporters/codequality.js';
import { kitchenSink } from './sample.js';

interface Issue {
  check_name: string;
  severity: string;
  fingerprint: string;
  location: { path: string; lines: { begin: number } };
}
const issues = (): Issue[] => JSON.parse(renderCodequality(kitchenSink(), { srcRoot: '/r', cwd: '/r' })) as Issue[];

describe('codequality', () => {
  it.each([
    ['pickle/code-execution', 'blocker', 'models/a.pkl', 1],
    ['pickle/file-access', 'critical', 'models/model.bin', 1],
    ['pickle/unknown-global', 'major', 'models/cfg.json', 3],
    ['pickle/trailing-data', 'minor', 'models/data.csv', 13],
    ['safetensors/header-valid', 'info', 'models/w.safetensors', 1],
    ['inconclusive/TRUNCATED', 'major', 'models/broken.pkl', 1],
  ])('%s → %s at %s:%i', (check, severity, path, line) => {
    expect(issues().find((i) => i.check_name === check)).toMatchObject({ severity, location: { path, lines: { begin: line } } });
  });

  it('one issue per finding and inconclusive entry, none for suppressed ones, fingerprints unique', () => {
    const all = issues();
    expect(all).toHaveLength(6);
    expect(new Set(all.map((i) => i.fingerprint)).size).toBe(6);
    expect(all.map((i) => i.location.path)).not.toContain('models/internal.pkl');
  });
});
