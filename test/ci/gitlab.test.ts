/* eslint-disable @typescript-eslint/no-unsafe-assignment -- expect.objectContaining is any */
/**
 * The GitLab CI template: its `.mlvet` job script, run as a GitLab runner runs a job (one bash script
 * with `set -eo pipefail`, job variables in the environment, CI_PROJECT_DIR at the checkout) with
 * MLVET_CLI pointing at this build instead of npx, writes the Code Quality and JUnit reports the
 * job declares, with paths GitLab can place.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { gitWorkspace } from './workspace.js';

const run = promisify(execFile);
interface Job {
  variables: Record<string, string>;
  script: string[];
  artifacts: { reports: Record<string, string> };
}
const template = load(readFileSync(join(ROOT, 'templates', 'gitlab', 'mlvet.gitlab-ci.yml'), 'utf8')) as Record<string, Job>;
const tmp = mkdtempSync(join(tmpdir(), 'mlvet-gitlab-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function job(name: string, vars: Record<string, string>, files: Record<string, string>): Promise<{ code: number; dir: string }> {
  const dir = gitWorkspace(join(tmp, name), files);
  const script = join(tmp, `${name}.sh`);
  writeFileSync(script, ['set -eo pipefail', ...template['.mlvet']!.script].join('\n'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', CI_PROJECT_DIR: dir, ...template['.mlvet']!.variables, MLVET_CLI: `node ${join(ROOT, 'dist', 'cli', 'main.js')}`, ...vars };
  try {
    await run('bash', [script], { cwd: dir, env, timeout: 60_000 });
    return { code: 0, dir };
  } catch (e) {
    return { code: (e as { code: number }).code, dir };
  }
}

const EVIL = join(ROOT, 'test', 'golden', 'fixtures', 'malicious', 'malicious-os-system.pkl');

describe('templates/gitlab/mlvet.gitlab-ci.yml', () => {
  it('a malicious model fails the job, and the declared reports are written', async () => {
    const r = await job('scan', { MLVET_TARGETS: 'models' }, { 'models/evil.pkl': EVIL });
    expect(r.code).toBe(1);
    const reports = template['.mlvet']!.artifacts.reports;
    for (const f of Object.values(reports)) expect(existsSync(join(r.dir, f)), f).toBe(true);
    const cq = JSON.parse(readFileSync(join(r.dir, reports.codequality!), 'utf8')) as Array<{ check_name: string; severity: string; location: { path: string } }>;
    expect(cq).toEqual([expect.objectContaining({ check_name: 'pickle/code-execution', severity: 'blocker', location: expect.objectContaining({ path: 'models/evil.pkl' }) })]);
    expect(readFileSync(join(r.dir, reports.junit!), 'utf8')).toContain('<failure type="pickle/code-execution"');
  });
});
