/** Rule tables for the `zip` rules about compression methods (issue 10); the other `zip/*` tables live in archive.ts. */
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

const method = (member: string, n: number, name: string) =>
  fact('zip.nonstandard-method', { member, method: n, methodName: name, key: `method:${member}` }, { path: 'bundle.zip', member });

export const zipMethodTests: RuleTests[] = [
  defineRuleTests('zip/method-not-loadable-by-torch', {
    valid: [{ name: 'a CRC mismatch is another rule', facts: [fact('zip.crc-mismatch', { member: 'a', declared: '00000000', actual: '00000001', key: 'crc:a' }, { path: 'bundle.zip', member: 'a' })] }],
    invalid: [
      {
        name: 'bzip2 member',
        facts: [method('model.pkl', 12, 'bzip2')],
        findings: [{ message: "model.pkl is compressed with bzip2 (method 12); Python's zipfile reads it, PyTorch's torch.load cannot" }],
      },
      {
        name: 'lzma member',
        facts: [method('data.pkl', 14, 'lzma')],
        findings: [{ message: "data.pkl is compressed with lzma (method 14); Python's zipfile reads it, PyTorch's torch.load cannot" }],
      },
    ],
  }),
];
