/**
 * A config `allow` entry vouches for a callable wherever mlvet meets it: as a pickle global and as a
 * Hydra `_target_` (issue 10). Through loadPolicy, as `mlvet scan` uses it.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/findings/policy.js';
import { targetFact } from '../../src/scanners/hydra.js';
import { fact } from '../helpers/rule-tester.js';

const hydraTarget = targetFact(
  { path: 'config.yaml' },
  {
    target: 'mylab.models.SpeechNet',
    path: 'model._target_',
    via: '_target_',
    partial: false,
    args: 0,
    recursive: true,
    kwargs: 0,
  },
  'yaml',
);
const pickleGlobal = fact('pickle.global', {
  ...{
    module: 'mylab.models',
    name: 'SpeechNet',
    qualname: 'mylab.models.SpeechNet',
    via: 'GLOBAL',
    readings: [{ module: 'mylab.models', name: 'SpeechNet' }],
  },
  ...{
    dunders: [],
    lastName: 'SpeechNet',
    verb: 'imports',
    call: '',
    count: 1,
    key: 'mylab.models.SpeechNet',
    canonicalModule: 'mylab.models',
    canonicalName: 'SpeechNet',
  },
});
const ids = (config: Parameters<typeof loadPolicy>[0]) =>
  loadPolicy(config)
    .evaluate([hydraTarget, pickleGlobal], 'model-dir')
    .map((f) => f.ruleId)
    .sort();

describe('config allow entries', () => {
  it('without one, the class is unknown in both places', () => {
    expect(ids({})).toEqual(['hydra/unknown-target', 'pickle/unknown-global']);
  });
  it('with one, it is allowed as a pickle global and as a Hydra target', () => {
    expect(
      ids({ config: { allow: [{ module: 'mylab.models', names: ['SpeechNet'], reason: 'our model' }] } }),
    ).toEqual([]);
  });
});
