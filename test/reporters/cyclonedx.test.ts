/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- these tests walk parsed BOMs */
/**
 * CycloneDX 1.6 ML-BOM: every BOM here passes the library's strict JSON validator for 1.6; model
 * files are machine-learning-model components with the sha256 of their bytes and their risk, a
 * validated dataset is data, findings are vulnerabilities affecting their component, and a verified
 * lineage manifest gives the target its sources (external references and pedigree ancestors).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { renderCyclonedx } from '../../src/reporters/cyclonedx/index.js';
import { formatForFile } from '../../src/reporters/index.js';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';
import { finding, report } from './sample.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const tmp = mkdtempSync(join(tmpdir(), 'mlvet-cdx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const EVIL = join(ROOT, 'test', 'golden', 'fixtures', 'malicious', 'malicious-os-system.pkl');
const sha256 = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

async function valid(text: string): Promise<Json> {
  expect(await validator.validate(text)).toBeNull();
  return JSON.parse(text) as Json;
}
const props = (c: Json): Record<string, string> => Object.fromEntries((c.properties ?? []).map((p: Json) => [p.name, p.value]));
const allComponents = (bom: Json): Json[] => {
  const out: Json[] = [];
  const walk = (cs: Json[] = []): void => cs.forEach((c) => (out.push(c), walk(c.components)));
  walk([...(bom.metadata.component ? [bom.metadata.component] : []), ...(bom.components ?? [])]);
  return out;
};

describe('cyclonedx: scan', () => {
  it('a pickle is a machine-learning-model with its sha256, format and risk; its finding a vulnerability against it', async () => {
    const r = await runCli(['scan', 'test/golden/fixtures/malicious', '--format', 'cyclonedx'], { cwd: ROOT });
    const bom = await valid(r.stdout);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(bom.metadata.component).toMatchObject({ type: 'machine-learning-model', name: 'test/golden/fixtures/malicious' });
    const file = allComponents(bom).find((c) => c.name === 'malicious-os-system.pkl')!;
    expect(file.type).toBe('machine-learning-model');
    expect(file.hashes).toEqual([{ alg: 'SHA-256', content: sha256(EVIL) }]);
    expect(props(file)).toMatchObject({ 'mlvet:format': 'pickle', 'mlvet:serialization-risk': 'critical: pickle/code-execution' });
    const v = bom.vulnerabilities.find((x: Json) => x.id === 'pickle/code-execution');
    expect(v.affects).toEqual([{ ref: file['bom-ref'] }]);
    expect(v.ratings[0]).toMatchObject({ severity: 'critical', method: 'other' });
    expect(v.cwes).toContain(502);
    expect(v.source.url).toBe('https://github.com/mlvet/mlvet/blob/main/docs/rules/pickle/code-execution.md');
  });

  it('the same report gives the same BOM, serial number included', async () => {
    const rep = report({ targets: [{ uri: 'models' }], findings: [finding('pickle/code-execution', 'critical', { target: 'models', path: 'a.pkl' })] });
    const a = renderCyclonedx(rep, { cwd: tmp });
    expect(renderCyclonedx(rep, { cwd: tmp })).toBe(a);
    expect((await valid(a)).serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['a symlink out of the target is not read', 'link.pkl', 'not a regular file (symlink, directory or device)'],
    ['a file gone since the scan', 'gone.pkl', 'could not read: ENOENT'],
  ])('%s', async (_name, path, why) => {
    const dir = join(tmp, `t-${path}`);
    mkdirSync(dir, { recursive: true });
    if (path === 'link.pkl') symlinkSync(EVIL, join(dir, path));
    const rep = report({ targets: [{ uri: dir }], findings: [finding('pickle/code-execution', 'critical', { target: dir, path })] });
    const bom = await valid(renderCyclonedx(rep, { cwd: tmp }));
    const c = allComponents(bom).find((x) => x.name === path)!;
    expect(c.hashes).toBeUndefined();
    expect(props(c)['mlvet:hash-unavailable']).toBe(why);
  });

  it('remote targets: a Hub model has a purl and its page, no hash is made up', async () => {
    const rev = 'b'.repeat(40);
    const rep: Report = report({
      targets: [{ uri: 'hf://org/model@main', kind: 'hf', resolvedRevision: rev }, { uri: 's3://bucket/models', kind: 's3' }],
      findings: [
        finding('pickle/code-execution', 'critical', { target: 'hf://org/model@main', path: 'pytorch_model.bin', member: 'archive/data.pkl' }),
        finding('pickle/unknown-global', 'medium', { target: 's3://bucket/models', path: 'a.pkl' }),
      ],
    });
    const bom = await valid(renderCyclonedx(rep));
    const [hub, s3] = bom.components;
    expect(hub).toMatchObject({ purl: `pkg:huggingface/org/model@${rev}`, version: rev, externalReferences: [{ type: 'distribution', url: 'https://huggingface.co/org/model' }] });
    expect(s3.externalReferences).toEqual([{ type: 'distribution', url: 's3://bucket/models' }]);
    const bin = hub.components[0];
    expect(props(bin)['mlvet:hash-unavailable']).toBe('remote file: not downloaded to hash');
    expect(bom.vulnerabilities.map((v: Json) => v.affects[0].ref).sort()).toEqual([bin['bom-ref'], s3.components[0]['bom-ref']].sort());
  });

  it.each([
    ['bom.cdx.json', 'cyclonedx'],
    ['x.bom.json', 'cyclonedx'],
    ['summary.md', 'markdown'],
  ])('--output %s is %s', (file, format) => expect(formatForFile(file)).toBe(format));
});

describe('cyclonedx: validate', () => {
  it('the dataset is a data component, failed expectations are vulnerabilities against it', async () => {
    const r = await runCli(['validate', 'fixtures/datasets/small.csv', '--suite', 'fixtures/datasets/suite-failing.json', '--format', 'cyclonedx'], { cwd: ROOT });
    const bom = await valid(r.stdout);
    expect(bom.metadata.component).toMatchObject({ type: 'data', name: 'fixtures/datasets/small.csv' });
    expect(bom.vulnerabilities.length).toBeGreaterThan(0);
    const refs = new Set(allComponents(bom).map((c) => c['bom-ref']));
    for (const v of bom.vulnerabilities) expect(refs.has(v.affects[0].ref)).toBe(true);
  });
});

describe('cyclonedx: lineage from a verified manifest', () => {
  it('sources become external references and pedigree ancestors; the signed digests are the hashes', async () => {
    const dir = join(tmp, 'lineage');
    mkdirSync(join(dir, 'model'), { recursive: true });
    copyFileSync(join(FIXTURES, 'datasets', 'small.csv'), join(dir, 'model', 'train.csv'));
    writeFileSync(join(dir, 'model', 'weights.safetensors'), readFileSync(join(FIXTURES, 'datasets', 'small.csv')));
    expect((await runCli(['keygen', '--out', 'release'], { cwd: dir })).code).toBe(0);
    const src = `hf://datasets/org/corpus@${'d'.repeat(40)}`;
    const s = await runCli(['sign', 'model', '--key', 'release.key', '--out', 'm.sigstore.json', '--source', `corpus=${src}`, '--no-progress'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    const r = await runCli(['verify', 'model', '--manifest', 'm.sigstore.json', '--trusted-key', 'release.pub', '--format', 'cyclonedx'], { cwd: dir });
    const bom = await valid(r.stdout);
    const target = bom.metadata.component;
    expect(target.externalReferences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'attestation', url: 'm.sigstore.json' }),
        expect.objectContaining({ type: 'distribution-intake', url: 'https://huggingface.co/datasets/org/corpus' }),
      ]),
    );
    expect(target.pedigree.ancestors).toEqual([expect.objectContaining({ type: 'data', name: 'corpus', externalReferences: [{ type: 'distribution', url: 'https://huggingface.co/datasets/org/corpus' }] })]);
    const train = allComponents(bom).find((c) => c.name === 'train.csv')!;
    expect(train.type).toBe('data');
    expect(train.hashes).toEqual([{ alg: 'SHA-256', content: sha256(join(dir, 'model', 'train.csv')) }]);
    expect(props(train)['mlvet:hash-source']).toBe('signed lineage manifest (verified)');
    expect(allComponents(bom).find((c) => c.name === 'weights.safetensors')?.type).toBe('machine-learning-model');
  });

  it('an unverified manifest adds no lineage', () => {
    const rep = { ...report({}), lineage: { manifest: 'nope.json', signature: 'failed', predicateType: 'https://mlvet.dev/lineage/v0.1' } };
    const bom = JSON.parse(renderCyclonedx(rep, { cwd: tmp })) as Json;
    expect(bom.metadata.component.pedigree).toBeUndefined();
    expect(bom.metadata.component.externalReferences).toBeUndefined();
  });
});
