/**
 * Hydra / OmegaConf instantiation targets: the fixtures (fixtures/formats/hydra/make_hydra.py) through
 * the real scanner and rules, the target walk on inline configs, the reader's limits, and the hydra
 * denylist rules kept equal to their pickle twins.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countAliases, readConfigText, MAX_ALIASES } from '../../src/formats/hydra/read.js';
import { hydraTargets } from '../../src/formats/hydra/targets.js';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const DIR = join(FIXTURES, 'formats', 'hydra');

/** file → exact findings as `ruleId @member key-path`, and inconclusive codes */
const FIXTURE_TABLE: Array<[string, string[], string[]]> = [
  ['benign-nemo-model_config.yaml', [], []],
  ['benign-lightning-config.yaml', [], []],
  ['benign-asr.nemo', [], []],
  ['benign-hydra-run.tar', [], []],
  ['malicious-os-system-model_config.yaml', ['hydra/code-execution @- optim.sched.hook._target_'], []],
  ['malicious-asr.nemo', ['hydra/code-execution @gunzip!./model_config.yaml optim.sched.hook._target_'], []],
  ['malicious-hydra-run.tar', ['hydra/code-execution @outputs/run1/.hydra/config.yaml model.loss._target_'], []],
  ['malicious-target-list.yaml', ['hydra/code-execution @- trainer.callbacks[1]._target_', 'hydra/code-execution @- trainer.callbacks[2]._target_'], []],
  ['malicious-partial-exec.yaml', ['hydra/code-execution @- model.loss._target_'], []],
  ['malicious-config.json', ['hydra/code-execution @- model.hooks[0]._target_'], []],
  ['malicious-import-module.yaml', ['hydra/dynamic-import @- data._target_', 'hydra/unknown-target @- model._target_'], []],
  ['bomb-billion-laughs.yaml', [], ['LIMIT_EXCEEDED']],
  ['broken-python-tag.yaml', [], ['PARSE_ERROR']],
];

describe('hydra fixtures', () => {
  it.each(FIXTURE_TABLE)('%s', async (name, findings, codes) => {
    const t0 = Date.now();
    const r = await scan({ targets: [join(DIR, name)] });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.findings.filter((f) => f.ruleId.startsWith('hydra/')).map((f) => `${f.ruleId} @${f.location.member ?? '-'} ${String(f.evidence?.path)}`)).toEqual(findings);
    expect(r.inconclusive.map((i) => i.code)).toEqual(codes);
  });

  it('evidence of a partial exec carries the flags', async () => {
    const r = await scan({ targets: [join(DIR, 'malicious-partial-exec.yaml')] });
    expect(r.findings[0]?.evidence).toMatchObject({ target: 'builtins.exec', module: 'builtins', name: 'exec', partial: true, recursive: false, args: 1, via: '_target_' });
  });
});

const short = (text: string) => hydraTargets(readConfigText(text)).targets.map((t) => [t.path, t.target, t.partial, t.args, t.recursive]);

describe('hydraTargets', () => {
  it.each<[string, string, unknown[]]>([
    ['root target', '_target_: torch.nn.Identity\n', [['_target_', 'torch.nn.Identity', false, 0, true]]],
    ['nested', 'a:\n  b:\n    _target_: os.system\n    _args_: [ls, -l]\n', [['a.b._target_', 'os.system', false, 2, true]]],
    ['list of targets', 'cbs:\n  - _target_: x.A\n  - {_target_: x.B, _partial_: true}\n', [['cbs[0]._target_', 'x.A', false, 0, true], ['cbs[1]._target_', 'x.B', true, 0, true]]],
    ['target inside _args_', '_target_: x.Outer\n_args_:\n  - _target_: os.popen\n', [['_target_', 'x.Outer', false, 1, true], ['_args_[0]._target_', 'os.popen', false, 0, true]]],
    ['_recursive_ false still lists children', '_target_: x.A\n_recursive_: false\nc: {_target_: x.B}\n', [['_target_', 'x.A', false, 0, false], ['c._target_', 'x.B', false, 0, true]]],
    ['NeMo root target', 'target: nemo.collections.asr.models.EncDecCTCModel\n', [['target', 'nemo.collections.asr.models.EncDecCTCModel', false, 0, true]]],
    ['free-text target is not a class path', 'target: the best model\n', []],
    ['JSON', '{"m": {"_target_": "posix.system", "_args_": ["id"]}}', [['m._target_', 'posix.system', false, 1, true]]],
    ['non-string _target_ is ignored', '_target_: 3\n', []],
    ['target under an alias is found at each path', 'base: &b {_target_: os.system}\nx: *b\n', [['base._target_', 'os.system', false, 0, true], ['x._target_', 'os.system', false, 0, true]]],
  ])('%s', (_name, text, want) => {
    expect(short(text)).toEqual(want);
  });

  it('keeps targets found before a limit', () => {
    const deep = `{"_target_": "os.system", "k": ${'{"k": '.repeat(80)}1${'}'.repeat(80)}}`;
    const r = hydraTargets(readConfigText(deep));
    expect(r.targets.map((t) => t.target)).toEqual(['os.system']);
    expect(r.limit?.code).toBe('LIMIT_EXCEEDED');
  });
});

describe('config reader limits', () => {
  it.each<[string, string, string]>([
    ['too many aliases', `a: &a 1\nb: [${Array.from({ length: MAX_ALIASES + 1 }, () => '*a').join(', ')}]\n`, 'LIMIT_EXCEEDED'],
    ['python tag', 'x: !!python/name:os.system\n', 'PARSE_ERROR'],
    ['custom tag', 'x: !Ref y\n', 'PARSE_ERROR'],
    ['bad YAML', 'a: [1, 2\n', 'PARSE_ERROR'],
  ])('%s → %s', (_name, text, code) => {
    expect(() => readConfigText(text)).toThrow(expect.objectContaining({ code }) as Error);
  });

  it('counts aliases, not asterisks in text', () => {
    expect(countAliases('note: "a * b"\nglob: x*y\nl: [*a, *b]\n')).toBe(2);
  });
});

describe('hydra denylist rules mirror the pickle ones', () => {
  const patterns = (p: string) => (JSON.parse(readFileSync(join(FIXTURES, '..', 'rules', p), 'utf8')) as { check: { options: unknown } }).check.options;
  it.each([
    ['code-execution', 'code-execution'],
    ['dynamic-import', 'dynamic-import'],
    ['file-access', 'file-access'],
    ['network-access', 'network-access'],
    ['deserializer', 'nested-pickle'],
  ])('hydra/%s = pickle/%s', (hydra, pickle) => {
    expect(patterns(`hydra/${hydra}.json`)).toEqual(patterns(`pickle/${pickle}.json`));
  });
});
