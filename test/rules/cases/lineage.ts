/** Rule tables for the `lineage` pack: one rule per verification problem code. */
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

type Problem = { detail: string; path?: string } & Record<string, unknown>;
const problem = (code: string, data: Problem) =>
  fact('lineage.problem', { code, manifest: 'model.sig', ...data, key: `${code}::${data.path ?? ''}:` }, { path: data.path ?? 'model.sig' });

/** [rule, code, data, message] */
const ROWS: Array<[string, string, Problem, string]> = [
  ['lineage/bundle-invalid', 'BUNDLE_INVALID', { detail: 'no verification material' }, 'manifest model.sig cannot be used: no verification material'],
  [
    'lineage/digest-mismatch',
    'DIGEST_MISMATCH',
    { detail: 'weights.bin: digest', path: 'weights.bin', expected: 'e3b0', actual: 'a9bb' },
    'weights.bin was modified after signing (expected e3b0, found a9bb)',
  ],
  [
    'lineage/file-extra',
    'FILE_EXTRA',
    { detail: 'extra.py: not signed', path: 'extra.py' },
    'extra.py is present but not in the signed manifest: it was added after signing, or the manifest is for another version',
  ],
  ['lineage/file-missing', 'FILE_MISSING', { detail: 'config.json: missing', path: 'config.json' }, 'config.json is listed in the signed manifest but is not on disk'],
  ['lineage/key-untrusted', 'KEY_UNTRUSTED', { detail: 'key sha256:ab is not in the trust file' }, 'key sha256:ab is not in the trust file; nothing in the manifest was trusted'],
  ['lineage/lineage-cycle', 'LINEAGE_CYCLE', { detail: 'a → b → a' }, 'a → b → a'],
  ['lineage/lineage-dangling', 'LINEAGE_DANGLING', { detail: 'parent sha256:cd is not in the store' }, 'parent sha256:cd is not in the store'],
  ['lineage/path-unsafe', 'PATH_UNSAFE', { detail: '../x escapes the model directory', path: '../x' }, '../x escapes the model directory'],
  ['lineage/payload-unsupported', 'PAYLOAD_UNSUPPORTED', { detail: 'payload type application/x is not supported' }, 'payload type application/x is not supported'],
  ['lineage/signature-invalid', 'SIGNATURE_INVALID', { detail: 'signature does not verify' }, 'signature does not verify; nothing in the manifest was trusted'],
  ['lineage/size-mismatch', 'SIZE_MISMATCH', { detail: 'w.bin: size', path: 'w.bin', expected: 10, actual: 12 }, 'w.bin is 12 bytes but was signed at 10 bytes'],
  [
    'lineage/source-unpinned',
    'SOURCE_UNPINNED',
    { detail: 'source hf://org/m has no commit', source: 'hf://org/m' },
    'source hf://org/m has no commit: the bytes behind it can change without the manifest noticing',
  ],
  ['lineage/source-weak-digest', 'SOURCE_WEAK_DIGEST', { detail: 'source s3://b/k is named by an ETag only', source: 's3://b/k' }, 'source s3://b/k is named by an ETag only'],
  ['lineage/statement-invalid', 'STATEMENT_INVALID', { detail: 'statement subject is empty' }, 'statement subject is empty'],
];

export const lineageTests: RuleTests[] = ROWS.map(([ruleId, code, data, message], i) => {
  const other = ROWS[(i + 1) % ROWS.length]!;
  return defineRuleTests(ruleId, {
    valid: [{ name: `the next code (${other[1]})`, facts: [problem(other[1], other[2])] }],
    invalid: [{ name: code, facts: [problem(code, data)], findings: [{ message }] }],
  });
});
