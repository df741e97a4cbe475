/** Rule tables for the `keras` pack's file-reading rules (the rest of the pack is in `formats.ts`). */
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

const LOC = { path: 'model.keras', member: 'config.json' };
const read = (value: string, reach: string, field = 'vocabulary', className = 'StringLookup') =>
  fact('keras.file-read', { layer: 'string_lookup', className, field, value, reach, remote: reach === 'remote', container: 'keras', key: 'file-read#0' }, LOC);

export const kerasTests: RuleTests[] = [
  defineRuleTests('keras/vocabulary-file', {
    valid: [
      { name: 'a URL is the escape rule', facts: [read('gs://b/vocab.txt', 'remote')] },
      { name: 'a gadget is another rule', facts: [fact('keras.gadget', { ref: 'keras.utils.get_file', container: 'keras', key: 'gadget#0' })] },
    ],
    invalid: [
      { name: 'relative vocabulary path', facts: [read('vocab.txt', 'relative')], findings: [{ message: 'StringLookup layer string_lookup (keras) reads its vocabulary from the file vocab.txt when the model loads' }] },
      {
        name: 'keras_hub vocabulary',
        facts: [read('vocab.json', 'relative', 'vocabulary', 'BytePairTokenizer')],
        findings: [{ message: 'BytePairTokenizer layer string_lookup (keras) reads its vocabulary from the file vocab.json when the model loads' }],
      },
    ],
  }),
  defineRuleTests('keras/vocabulary-file-escape', {
    valid: [{ name: 'a relative path', facts: [read('vocab.txt', 'relative')] }],
    invalid: [
      {
        name: 'absolute path',
        facts: [read('/etc/passwd', 'absolute')],
        findings: [{ message: 'StringLookup layer string_lookup (keras) reads its vocabulary from /etc/passwd (absolute) when the model loads: outside the model archive, even with safe_mode=True' }],
      },
      {
        name: 'URL',
        facts: [read('http://169.254.169.254/latest/meta-data/', 'remote', 'vocabulary', 'IntegerLookup')],
        findings: [{ message: 'IntegerLookup layer string_lookup (keras) reads its vocabulary from http://169.254.169.254/latest/meta-data/ (remote) when the model loads: outside the model archive, even with safe_mode=True' }],
      },
      {
        name: 'traversal',
        facts: [read('../../secrets/ids.txt', 'traversal', 'vocabulary', 'TextVectorization')],
        findings: [{ message: 'TextVectorization layer string_lookup (keras) reads its vocabulary from ../../secrets/ids.txt (traversal) when the model loads: outside the model archive, even with safe_mode=True' }],
      },
      {
        name: 'TFSMLayer SavedModel path',
        facts: [read('/tmp/sm', 'absolute', 'filepath', 'TFSMLayer')],
        findings: [{ message: 'TFSMLayer layer string_lookup (keras) reads its filepath from /tmp/sm (absolute) when the model loads: outside the model archive, even with safe_mode=True' }],
      },
    ],
  }),
];
