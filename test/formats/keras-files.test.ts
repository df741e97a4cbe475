/**
 * Keras layers that read a file or URL at load (CVE-2025-12058): `.keras` zips and bare config.json
 * files from fixtures/formats/keras-files/make_keras_files.py through the real scanners and rules, and
 * the path classification on its own.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeKerasConfig } from '../../src/formats/keras/config.js';
import { fileArgs, reachOf } from '../../src/formats/keras/file-args.js';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const DIR = join(FIXTURES, 'formats', 'keras-files');

/** file → exact keras findings as `ruleId @member layer.field=value` */
const FIXTURE_TABLE: Array<[string, string[]]> = [
  ['benign-lookup-list.keras', []],
  ['malicious-vocab-absolute.keras', ['keras/vocabulary-file-escape @config.json string_lookup.vocabulary=/etc/passwd']],
  ['malicious-vocab-traversal.keras', ['keras/vocabulary-file-escape @config.json integer_lookup.vocabulary=../../secrets/ids.txt']],
  [
    'malicious-vocab-url.keras',
    [
      'keras/vocabulary-file-escape @config.json text_vectorization.vocabulary=gs://attacker-bucket/vocab.txt',
      'keras/vocabulary-file-escape @config.json ids.vocabulary=http://169.254.169.254/latest/meta-data/iam/',
    ],
  ],
  ['suspicious-vocab-relative.keras', ['keras/vocabulary-file @config.json string_lookup.vocabulary=vocab.txt']],
  ['config.json', ['keras/vocabulary-file-escape @- tv.vocabulary=/home/user/.ssh/id_rsa']],
  ['tfsm-config.json', ['keras/vocabulary-file-escape @- tfsm.filepath=/tmp/exported_savedmodel']],
  ['tokenizer-config.json', ['keras/vocabulary-file-escape @- bpe.merges=https://attacker.example/merges.txt', 'keras/vocabulary-file @- bpe.vocabulary=vocab.json']],
];

describe('keras file-reading layers', () => {
  it.each(FIXTURE_TABLE)('%s', async (name, want) => {
    const t0 = Date.now();
    const r = await scan({ targets: [join(DIR, name)] });
    expect(Date.now() - t0).toBeLessThan(5000);
    const got = r.findings
      .filter((f) => f.ruleId.startsWith('keras/'))
      .map((f) => `${f.ruleId} @${f.location.member ?? '-'} ${String(f.evidence?.layer)}.${String(f.evidence?.field)}=${String(f.evidence?.value)}`);
    expect(got).toEqual(want);
    expect(r.inconclusive).toEqual([]);
  });

  it('evidence names class, reach and container', async () => {
    const r = await scan({ targets: [join(DIR, 'malicious-vocab-url.keras')] });
    expect(r.findings[1]?.evidence).toMatchObject({ className: 'IntegerLookup', reach: 'remote', remote: true, container: 'keras' });
  });
});

describe('reachOf', () => {
  it.each<[string, string]>([
    ['gs://b/v.txt', 'remote'],
    ['s3://b/v.txt', 'remote'],
    ['file:///etc/passwd', 'remote'],
    ['HTTPS://x/y', 'remote'],
    ['/etc/passwd', 'absolute'],
    ['~/.ssh/id_rsa', 'absolute'],
    ['C:\\Users\\a\\v.txt', 'absolute'],
    ['\\\\server\\share\\v.txt', 'absolute'],
    ['../v.txt', 'traversal'],
    ['assets/../../v.txt', 'traversal'],
    ['..\\v.txt', 'traversal'],
    ['vocab.txt', 'relative'],
    ['my..vocab.txt', 'relative'],
  ])('%s → %s', (value, reach) => {
    expect(reachOf(value)).toBe(reach);
  });
});

describe('fileArgs', () => {
  it.each<[string, string, Record<string, unknown>, string[]]>([
    ['list vocabulary is data', 'StringLookup', { vocabulary: ['a', 'b'] }, []],
    ['null vocabulary (adapted, saved as an asset)', 'TextVectorization', { vocabulary: null }, []],
    ['empty string', 'StringLookup', { vocabulary: ' ' }, []],
    ['string vocabulary', 'IntegerLookup', { vocabulary: 'ids.txt' }, ['vocabulary=ids.txt']],
    ['filepath only for TFSMLayer', 'Dense', { filepath: '/tmp/x' }, []],
    ['TFSMLayer filepath', 'TFSMLayer', { filepath: '/tmp/x' }, ['filepath=/tmp/x']],
    ['SentencePiece proto path', 'SentencePieceTokenizer', { proto: 'spm.model' }, ['proto=spm.model']],
  ])('%s', (_name, cls, cfg, want) => {
    expect(fileArgs(cls, cfg, 'l').map((f) => `${f.field}=${f.value}`)).toEqual(want);
  });

  it('value is cut to 256 characters', () => {
    expect(fileArgs('StringLookup', { vocabulary: `/${'a'.repeat(1000)}` }, 'l')[0]?.value).toHaveLength(256);
  });

  it('finds a lookup layer nested in a Sequential inside a Functional', () => {
    const inner = { class_name: 'Sequential', config: { layers: [{ class_name: 'StringLookup', config: { name: 'deep', vocabulary: 'gs://b/v' } }] } };
    const hits = analyzeKerasConfig({ class_name: 'Functional', config: { layers: [inner] } });
    expect(hits).toEqual([{ kind: 'file-read', layer: 'deep', className: 'StringLookup', field: 'vocabulary', value: 'gs://b/v', reach: 'remote', remote: true }]);
  });
});
