/** Rule tables for the `hf`, `template` and `pinning` packs: repository files and where a target came from. */
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

const autoMap = fact('hf.auto-map', { files: ['modeling_x.py'], classes: ['AutoModel=modeling_x.XModel'], key: 'auto_map' }, { path: 'config.json' });
const hfUnpinned = fact(
  'source.unpinned',
  { scheme: 'hf', target: 'hf://org/model', ref: 'main', commit: 'a'.repeat(40), pinTo: `hf://org/model@${'a'.repeat(40)}`, key: 'hf://org/model' },
  { path: '.' },
);
const httpsUnpinned = fact('source.unpinned', { scheme: 'https', target: 'https://example.com/m.bin', key: 'https://example.com/m.bin' }, { path: 'm.bin' });
const s3Unpinned = (versioning: string, extra: Record<string, unknown> = {}) =>
  fact('source.unpinned', { scheme: 's3', target: 's3://b/m.bin', versioning, ...extra, key: 'm.bin' }, { path: 'm.bin' });
const pyLoc = { path: 'train.py', line: 3, column: 5 };
const pyFile = (name: string, reach: string, reasons: string[]) =>
  fact('hf.python-file', { name, inContainer: false, bytes: 100, reach, reasons, key: name }, { path: name });

export const hubTests: RuleTests[] = [
  defineRuleTests('hf/python-file', {
    valid: [{ name: 'python inside a container', facts: [fact('hf.python-file', { name: 'x.py', inContainer: true, bytes: 10, key: 'x.py' }, { path: 'w.zip', member: 'x.py' })] }],
    invalid: [
      {
        name: 'python at the repo root',
        facts: [fact('hf.python-file', { name: 'modeling_x.py', inContainer: false, bytes: 1200, key: 'modeling_x.py' }, { path: 'modeling_x.py' })],
        findings: [{ message: 'modeling_x.py is Python source; loaders with trust_remote_code=True (or a README telling users to run it) execute it' }],
      },
    ],
  }),
  defineRuleTests('hf/remote-code', {
    valid: [
      { name: 'remote auto_map is another rule', facts: [fact('hf.auto-map-remote', { autoClass: 'AutoModel', ref: 'o/r--m.M', repo: 'o/r', code: 'm.M', key: 'AutoModel:o/r--m.M' })] },
    ],
    invalid: [
      {
        name: 'auto_map',
        facts: [autoMap],
        findings: [{ message: 'auto_map wires in repository code (modeling_x.py): loading with trust_remote_code=True runs AutoModel=modeling_x.XModel' }],
      },
    ],
  }),
  defineRuleTests('hf/remote-code-executes', {
    valid: [
      { name: 'plain modeling file beside auto_map', facts: [autoMap, pyFile('modeling_x.py', 'none', [])] },
      { name: 'subprocess in a repo without auto_map', facts: [pyFile('train.py', 'executes', ['import subprocess:1'])] },
      { name: 'inside a container', facts: [autoMap, fact('hf.python-file', { name: 'c.py', inContainer: true, bytes: 9, key: 'c.py' }, { path: 'm.pt', member: 'c.py' })] },
    ],
    invalid: [
      {
        name: 'modeling file that runs a subprocess',
        facts: [autoMap, pyFile('modeling_x.py', 'executes', ['import subprocess:1', 'subprocess.run():7'])],
        findings: [{ location: { path: 'modeling_x.py' }, evidence: { ...pyFile('modeling_x.py', 'executes', ['import subprocess:1', 'subprocess.run():7']).data, autoMap: autoMap.data }, message: 'modeling_x.py executes (import subprocess:1, subprocess.run():7) and auto_map wires repository code in (modeling_x.py): loading with trust_remote_code=True runs it' }],
      },
      {
        name: 'a helper that fetches, auto_map seen after it',
        facts: [pyFile('utils.py', 'fetches', ['requests.get():3']), autoMap],
        findings: [{ evidence: { ...pyFile('utils.py', 'fetches', ['requests.get():3']).data, autoMap: autoMap.data }, message: 'utils.py fetches (requests.get():3) and auto_map wires repository code in (modeling_x.py): loading with trust_remote_code=True runs it' }],
      },
      {
        name: 'a file that does not tokenize is not plain',
        facts: [autoMap, pyFile('modeling_y.py', 'unparsed', [])],
        findings: [{ location: { path: 'modeling_y.py' }, evidence: { ...pyFile('modeling_y.py', 'unparsed', []).data, autoMap: autoMap.data }, message: 'modeling_y.py unparsed () and auto_map wires repository code in (modeling_x.py): loading with trust_remote_code=True runs it' }],
      },
    ],
  }),
  defineRuleTests('hf/remote-code-unpinned', {
    valid: [
      { name: 'auto_map on a pinned target', facts: [autoMap] },
      { name: 'unpinned target without auto_map', facts: [hfUnpinned] },
      { name: 'auto_map in a target read over https, not the Hub', facts: [httpsUnpinned, autoMap] },
    ],
    invalid: [
      {
        name: 'auto_map on a branch',
        target: 'hf://org/model',
        facts: [hfUnpinned, autoMap],
        findings: [
          {
            on: 1,
            message: `auto_map wires in repository code (modeling_x.py) and hf://org/model was read at main: the code trust_remote_code=True runs can change after this scan, so load hf://org/model@${'a'.repeat(40)}`,
            evidence: { ...autoMap.data, unpinned: hfUnpinned.data },
          },
        ],
      },
      {
        name: 'the unpinned fact after the config still counts, once per auto_map',
        facts: [autoMap, { ...autoMap, location: { path: 'tokenizer_config.json' } }, hfUnpinned],
        findings: [
          {
            on: 0,
            message: `auto_map wires in repository code (modeling_x.py) and hf://org/model was read at main: the code trust_remote_code=True runs can change after this scan, so load hf://org/model@${'a'.repeat(40)}`,
            evidence: { ...autoMap.data, unpinned: hfUnpinned.data },
          },
          {
            on: 1,
            message: `auto_map wires in repository code (modeling_x.py) and hf://org/model was read at main: the code trust_remote_code=True runs can change after this scan, so load hf://org/model@${'a'.repeat(40)}`,
            evidence: { ...autoMap.data, unpinned: hfUnpinned.data },
          },
        ],
      },
    ],
  }),
  defineRuleTests('template/ssti', {
    valid: [{ name: 'a chat template that only reads messages', bytes: new TextEncoder().encode(JSON.stringify({ chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}' })) }],
    invalid: [
      {
        name: 'lipsum.__globals__ in tokenizer_config.json',
        bytes: new TextEncoder().encode(JSON.stringify({ chat_template: "{{ lipsum.__globals__['os'].popen('id').read() }}" })),
        findings: [
          {
            message:
              'json chat template default uses lipsum, __globals__, popen (jinja-global, dunder, os-access): rendered outside a sandbox it runs commands',
            location: { path: 'input.bin' },
            evidence: {
              source: 'json',
              template: 'default',
              parsed: true,
              names: ['lipsum', '__globals__', 'popen'],
              categories: ['jinja-global', 'dunder', 'os-access'],
              key: 'json:default',
            },
          },
        ],
      },
    ],
  }),
  defineRuleTests('pinning/auto-map-remote-code', {
    valid: [{ name: 'local auto_map is another rule', facts: [autoMap] }],
    invalid: [
      {
        name: 'code from another repo',
        facts: [
          fact(
            'hf.auto-map-remote',
            { autoClass: 'AutoModel', ref: 'someone/other--modeling_x.XModel', repo: 'someone/other', code: 'modeling_x.XModel', key: 'AutoModel:someone/other--modeling_x.XModel' },
            { path: 'config.json', line: 4, column: 17 },
          ),
        ],
        findings: [{ message: 'auto_map AutoModel points to someone/other--modeling_x.XModel: with trust_remote_code=True the code comes from someone/other at its current head' }],
      },
    ],
  }),
  defineRuleTests('pinning/dependency-unpinned', {
    valid: [
      {
        name: 'an insecure index is another rule',
        facts: [fact('source.insecure-url', { url: 'http://pypi.example/simple', context: 'requirements', key: 'http://pypi.example/simple' }, pyLoc)],
      },
    ],
    invalid: [
      {
        name: 'torch>=2',
        facts: [fact('dependency.unpinned', { manager: 'pip', name: 'torch', spec: 'torch>=2', key: 'torch' }, { path: 'requirements.txt', line: 1, column: 1 })],
        findings: [{ message: 'torch is not pinned to an exact version or hash (torch>=2)' }],
      },
    ],
  }),
  defineRuleTests('pinning/hf-unpinned-revision', {
    valid: [{ name: 'an https target', facts: [httpsUnpinned] }],
    invalid: [
      {
        name: 'main',
        facts: [hfUnpinned],
        findings: [{ message: `hf://org/model resolved main to commit ${'a'.repeat(40)}; a branch or tag can move after this scan, so load and scan hf://org/model@${'a'.repeat(40)}` }],
      },
    ],
  }),
  defineRuleTests('pinning/hub-scan-verdict', {
    valid: [
      { name: 'safe', facts: [fact('remote.scan-verdict', { service: 'huggingface', status: 'safe', scanners: { avScan: 'safe' }, flaggedImports: [], key: 'm.bin' }, { path: 'm.bin' })] },
    ],
    invalid: [
      {
        name: 'unsafe',
        facts: [
          fact(
            'remote.scan-verdict',
            { service: 'huggingface', status: 'unsafe', scanners: { pickleImportScan: 'dangerous' }, flaggedImports: ['posix.system'], key: 'm.bin' },
            { path: 'm.bin' },
          ),
        ],
        findings: [{ message: 'the Hub\'s scan of m.bin says unsafe (scanners: {"pickleImportScan":"dangerous"}; flagged imports: posix.system)' }],
      },
    ],
  }),
  defineRuleTests('pinning/insecure-url', {
    valid: [{ name: 'an unpinned https target', facts: [httpsUnpinned] }],
    invalid: [
      {
        name: 'http index',
        facts: [
          fact('source.insecure-url', { url: 'http://pypi.example/simple', context: 'requirements', key: 'http://pypi.example/simple' }, { path: 'requirements.txt', line: 1, column: 14 }),
        ],
        findings: [{ message: 'plain-HTTP requirements URL http://pypi.example/simple: anyone on the network path can replace what is downloaded' }],
      },
    ],
  }),
  defineRuleTests('pinning/python-unpinned-download', {
    valid: [
      {
        name: 'pinned to a commit',
        facts: [fact('python.hub-download', { function: 'hf_hub_download', repo: 'org/m', revision: 'a'.repeat(40), pin: 'pinned', key: 'hf_hub_download:org/m' }, pyLoc)],
      },
    ],
    invalid: [
      {
        name: 'no revision',
        facts: [fact('python.hub-download', { function: 'snapshot_download', repo: 'org/m', revision: '(none)', pin: 'unpinned', key: 'snapshot_download:org/m' }, pyLoc)],
        findings: [{ message: 'snapshot_download("org/m") downloads without a pinned revision (revision=(none)); pass revision="<40-hex commit>"' }],
      },
    ],
  }),
  defineRuleTests('pinning/s3-overwritable-object', {
    valid: [{ name: 'versioned bucket', facts: [s3Unpinned('Enabled', { versionId: 'v1', pinTo: 's3://b/m.bin?versionId=v1' })] }],
    invalid: [
      {
        name: 'versioning suspended',
        facts: [s3Unpinned('Suspended')],
        findings: [{ message: 's3://b/m.bin can be overwritten in place: bucket versioning is Suspended, so no version of it can be pinned' }],
      },
    ],
  }),
  defineRuleTests('pinning/s3-unversioned-read', {
    valid: [{ name: 'unversioned bucket is another rule', facts: [s3Unpinned('unversioned')] }],
    invalid: [
      {
        name: 'read without versionId',
        facts: [s3Unpinned('Enabled', { versionId: 'v1', pinTo: 's3://b/m.bin?versionId=v1' })],
        findings: [{ message: 's3://b/m.bin was read without a versionId, in a bucket with versioning on; pin s3://b/m.bin?versionId=v1' }],
      },
    ],
  }),
  defineRuleTests('pinning/trust-remote-code', {
    valid: [{ name: 'a pinned download is another rule', facts: [fact('python.hub-download', { function: 'f', repo: 'r', revision: 'x', pin: 'pinned', key: 'f:r' }, pyLoc)] }],
    invalid: [
      {
        name: 'from_pretrained(trust_remote_code=True)',
        facts: [fact('python.trust-remote-code', { function: 'AutoModel.from_pretrained', repo: 'org/m', key: 'AutoModel.from_pretrained' }, pyLoc)],
        findings: [{ message: 'AutoModel.from_pretrained(…, trust_remote_code=True) runs Python from the repository org/m at load time' }],
      },
    ],
  }),
  defineRuleTests('pinning/url-unpinned', {
    valid: [{ name: 'an hf target is another rule', facts: [hfUnpinned] }],
    invalid: [{ name: 'https file', facts: [httpsUnpinned], findings: [{ message: 'https://example.com/m.bin has no content pin: the server can change the file behind the same URL' }] }],
  }),
  defineRuleTests('pinning/weak-digest', {
    valid: [{ name: 'an unpinned object is another rule', facts: [s3Unpinned('Enabled')] }],
    invalid: [
      {
        name: 'ETag only',
        facts: [fact('source.weak-digest', { scheme: 's3', target: 's3://b/m.bin', digests: ['etag'], key: 'm.bin' }, { path: 'm.bin' })],
        findings: [{ message: 's3://b/m.bin has no full-object SHA-256 at the source (only etag); integrity can only be checked by downloading it' }],
      },
    ],
  }),
];
