/**
 * The engine examples in examples/ are parsed and the exact `mlvet` command lines they contain are
 * run (in-process) against s3rver: every pod of the Kubernetes Indexed Job (JOB_COMPLETION_INDEX),
 * every child of the AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX), every leg of the GitHub Actions
 * matrix and then its merge step. Together the shards cover the prefix exactly once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { fastEnv, startS3, withEnv, type S3Server } from '../sources/helpers.js';
import { EVIL } from './helpers.js';

const KEYS = Array.from({ length: 11 }, (_, i) => `prod/m${i}/config.json`).concat('prod/bad/model.pkl');
let s3: S3Server;
let restore: () => void;
let cwd: string;

beforeAll(async () => {
  s3 = await startS3(['models']);
  for (const k of KEYS) await s3.put('models', k, Buffer.from(k.endsWith('.pkl') ? EVIL : '{"model_type": "bert"}', 'latin1'));
  restore = withEnv({ ...fastEnv(), ...s3.env, MLVET_AUDIT_LOCK_SETTLE_MS: '50' });
  cwd = mkdtempSync(join(tmpdir(), 'mlvet-audit-examples-'));
}, 60_000);
afterAll(async () => {
  restore();
  await s3.close();
  rmSync(cwd, { recursive: true, force: true });
});

/** `npx --yes mlvet audit …` → the arguments after `mlvet` */
function mlvetArgs(words: string[]): string[] {
  const i = words.indexOf('mlvet');
  expect(i).toBeGreaterThanOrEqual(0);
  return words.slice(i + 1);
}

async function shardRuns(args: string[], count: number, env: (i: number) => Record<string, string>): Promise<string[]> {
  const covered: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await runCli([...args, '--format', 'json'], { cwd, env: env(i) });
    const report = JSON.parse(r.stdout) as { audit: { state: string; changes: Array<{ path: string }> } };
    expect(r.code, r.stderr).toBe(report.audit.changes.some((c) => c.path === 'bad/model.pkl') ? 1 : 0);
    expect(report.audit.state).toMatch(new RegExp(`^s3://models/\\.mlvet/[0-9a-f]{16}/state\\.shard-${i + 1}-of-${count}\\.json$`));
    covered.push(...report.audit.changes.map((c) => c.path));
  }
  return covered.sort();
}

const ALL = KEYS.map((k) => k.slice('prod/'.length)).sort();

describe('engine examples', () => {
  it('Kubernetes: a CronJob starting an Indexed Job; each pod audits the shard JOB_COMPLETION_INDEX names', async () => {
    const doc = yaml.load(readFileSync(join(ROOT, 'examples/kubernetes/audit-cronjob.yaml'), 'utf8')) as { kind: string; spec: { jobTemplate: { spec: { completionMode: string; completions: number; template: { spec: { containers: Array<{ command: string[]; args: string[] }> } } } } } };
    expect(doc.kind).toBe('CronJob');
    const job = doc.spec.jobTemplate.spec;
    expect(job.completionMode).toBe('Indexed');
    const c = job.template.spec.containers[0]!;
    const args = mlvetArgs([...c.command, ...c.args]);
    expect(args[args.indexOf('--shard-count') + 1]).toBe(String(job.completions));
    expect(await shardRuns(args, job.completions, (i) => ({ JOB_COMPLETION_INDEX: String(i) }))).toEqual(ALL);
  }, 60_000);

  it('AWS Batch: an array job whose children take AWS_BATCH_JOB_ARRAY_INDEX', async () => {
    const def = JSON.parse(readFileSync(join(ROOT, 'examples/aws-batch/audit-job-definition.json'), 'utf8')) as { containerProperties: { command: string[] } };
    const submit = JSON.parse(readFileSync(join(ROOT, 'examples/aws-batch/submit-audit.json'), 'utf8')) as { jobDefinition: string; arrayProperties: { size: number } };
    expect(submit.jobDefinition).toBe('mlvet-audit');
    const args = mlvetArgs(def.containerProperties.command);
    expect(args[args.indexOf('--shard-count') + 1]).toBe(String(submit.arrayProperties.size));
    expect(await shardRuns(args, submit.arrayProperties.size, (i) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(i) }))).toEqual(ALL);
  }, 60_000);

  it('GitHub Actions: a scheduled matrix, one shard per leg, then report merge of their JSON reports', async () => {
    const wf = yaml.load(readFileSync(join(ROOT, 'examples/github-actions/audit.yml'), 'utf8')) as { on: { schedule: Array<{ cron: string }> }; jobs: Record<string, { strategy?: { matrix: { shard: number[] } }; steps: Array<{ run?: string }> }> };
    expect(wf.on.schedule[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const audit = wf.jobs.audit!;
    const line = audit.steps.find((s) => s.run?.includes('mlvet audit'))!.run!;
    for (const shard of audit.strategy!.matrix.shard) {
      const args = mlvetArgs(line.replace(/\$\{\{ matrix\.shard \}\}/g, String(shard)).split(/\s+/));
      const r = await runCli(args, { cwd });
      expect([0, 1]).toContain(r.code);
    }
    const merge = mlvetArgs(wf.jobs.merge!.steps.find((s) => s.run?.includes('report merge'))!.run!.split(/\s+/));
    const m = await runCli(merge, { cwd });
    expect(m.code).toBe(1);
    const merged = JSON.parse(readFileSync(join(cwd, 'audit.json'), 'utf8')) as { audit: { objects: { total: number; new: number }; state: string; changes: Array<{ path: string }>; newlyFailing: string[] }; findings: Array<{ ruleId: string; location: { path: string }; carriedOver?: true }> };
    // the CronJob above already audited these 3 shards: tonight nothing changed, and the bad object still fails
    expect(merged.audit.objects).toEqual({ total: KEYS.length, new: 0, changed: 0, removed: 0, unchanged: KEYS.length });
    expect(merged.audit.changes).toEqual([]);
    expect(merged.audit.state.split(', ').map((s) => s.replace(/.*\/state\./, ''))).toEqual(['shard-1-of-3.json', 'shard-2-of-3.json', 'shard-3-of-3.json']);
    expect(merged.findings.filter((f) => f.ruleId === 'pickle/code-execution').map((f) => [f.location.path, f.carriedOver])).toEqual([['bad/model.pkl', true]]);
    expect(JSON.parse(readFileSync(join(cwd, 'audit.sarif'), 'utf8'))).toMatchObject({ version: '2.1.0' });
  }, 60_000);
});
