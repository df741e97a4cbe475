/**
 * Real reports for the HTML page checks (browser.test.ts) and the README screenshots: a scan with
 * many findings (a model folder holding part of the malicious pickle corpus and some benign pickles), a clean validation and a drifted one (a dataset
 * and a shifted resample of it against its own baseline), and a verification of a signed directory
 * after one file was changed and one added. Everything is made by the library itself, in a temp dir.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit } from '../../src/audit/index.js';
import { generateKey, loadPrivateKey, sign, verify } from '../../src/lineage/index.js';
import type { Report } from '../../src/model/report.js';
import { scan } from '../../src/scan.js';
import { profile } from '../../src/validation/profile.js';
import { validate } from '../../src/validation/validate.js';
import { FIXTURES } from '../helpers/cli.js';
import { prng } from '../helpers/prng.js';

export const NOW = new Date('2026-01-02T03:04:05.000Z');

/** Rows with a number, a skewed number, a category, a text and a label; `shift` moves all of them. */
function csv(n: number, seed: number, shift: boolean): string {
  const r = prng(seed);
  const lines = ['id,age,income,category,region,comment,label'];
  for (let i = 0; i < n; i++) {
    const label = r() < (shift ? 0.72 : 0.5) ? 'pos' : 'neg';
    const age = Math.round(25 + r() * 20 + r() * 20 + (shift ? 9 : 0));
    const income = Math.round(900 * Math.exp(r() * 1.2) * (shift ? 1.6 : 1));
    const category = shift && r() < 0.6 ? 'a' : ['a', 'b', 'c', 'd'][Math.floor(r() * 4)];
    const region = `r${Math.floor(r() * r() * 6)}`;
    lines.push([i, age, income, category, region, `w${Math.floor(r() * 40)}`, label].join(','));
  }
  return lines.join('\n') + '\n';
}

async function validations(dir: string): Promise<{ clean: Report; drift: Report }> {
  writeFileSync(join(dir, 'train.csv'), csv(2000, 7, false));
  writeFileSync(join(dir, 'fresh.csv'), csv(2000, 8, false));
  writeFileSync(join(dir, 'drifted.csv'), csv(2000, 9, true));
  const { baseline, suite } = await profile({ dataset: join(dir, 'train.csv'), label: 'label' });
  writeFileSync(join(dir, 'baseline.json'), JSON.stringify(baseline));
  writeFileSync(join(dir, 'suite.json'), JSON.stringify(suite));
  const run = async (file: string, withBaseline: boolean): Promise<Report> =>
    (
      await validate({
        dataset: file,
        suite: 'suite.json',
        ...(withBaseline ? { baseline: 'baseline.json' } : { poisoning: false }),
        cwd: dir,
        now: NOW,
      })
    ).report;
  return { clean: await run('fresh.csv', false), drift: await run('drifted.csv', true) };
}

async function verification(dir: string): Promise<Report> {
  const model = join(dir, 'model');
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'config.json'), '{"hidden_size": 128}\n');
  writeFileSync(join(model, 'model.safetensors'), Buffer.alloc(4096, 1));
  writeFileSync(join(model, 'tokenizer.json'), '{"version": "1.0"}\n');
  const pair = generateKey('ed25519');
  writeFileSync(join(dir, 'release.pub'), pair.publicPem);
  const key = loadPrivateKey({ pem: pair.privatePem });
  const signed = await sign({ targets: [model], key, out: join(dir, 'model.sigstore.json'), cwd: dir, now: NOW });
  writeFileSync(join(dir, 'model.sigstore.json'), signed.bundle);
  writeFileSync(join(model, 'tokenizer.json'), '{"version": "1.1"}\n');
  writeFileSync(join(model, 'extra.pkl'), 'not signed');
  const out = await verify({ target: 'model', manifest: 'model.sigstore.json', trustedKeys: ['release.pub'], cwd: dir, now: NOW });
  return out.report;
}

/** 36 malicious pickles and 8 benign ones, in `models/`. */
function modelFolder(dir: string): string {
  const models = join(dir, 'models');
  mkdirSync(join(models, 'legacy'), { recursive: true });
  const pick = (sub: string, n: number, to: string): void => {
    for (const f of readdirSync(join(FIXTURES, 'pickle', sub)).filter((x) => x.endsWith('.pkl')).sort().slice(0, n)) copyFileSync(join(FIXTURES, 'pickle', sub, f), join(to, f));
  };
  pick('malicious', 36, models);
  pick('benign', 8, join(models, 'legacy'));
  return models;
}

/** Two audits of the model folder: the second after one pickle changed and one was removed. */
async function audits(dir: string): Promise<Report> {
  const models = join(dir, 'models');
  const opts = { target: models, state: join(dir, 'audit-state.json'), cwd: dir };
  await audit(opts);
  const [first, second] = readdirSync(models).filter((f) => f.endsWith('.pkl')).sort();
  copyFileSync(join(FIXTURES, 'pickle', 'benign', readdirSync(join(FIXTURES, 'pickle', 'benign')).filter((f) => f.endsWith('.pkl')).sort()[0]!), join(models, first!));
  rmSync(join(models, second!));
  return audit(opts);
}

export interface Samples {
  scan: Report;
  audit: Report;
  validationClean: Report;
  validationDrift: Report;
  verify: Report;
}

export async function makeSamples(dir: string): Promise<Samples> {
  modelFolder(dir);
  const [scanned, v, verified] = await Promise.all([
    scan({ targets: ['models'], cwd: dir, now: NOW }),
    validations(dir),
    verification(dir),
  ]);
  // the audit changes the model folder, so it runs after the scan has read it
  return { scan: scanned, audit: await audits(dir), validationClean: v.clean, validationDrift: v.drift, verify: verified };
}
