/**
 * Rule tables for the `hydra` pack. Facts are built by the scanner's own `targetFact`, so readings
 * and canonical names are what a real config gives; the fixture table in test/formats/hydra.test.ts
 * runs the same rules over real files and archives.
 */
import type { HydraTarget } from '../../../src/formats/hydra/targets.js';
import { targetFact } from '../../../src/scanners/hydra.js';
import { defineRuleTests, type RuleTests } from '../../helpers/rule-tester.js';

const LOC = { path: 'model.nemo', member: './model_config.yaml' };
const target = (t: string, path = 'model._target_', more: Partial<HydraTarget> = {}) =>
  targetFact(LOC, { target: t, path, via: '_target_', partial: false, args: 0, recursive: true, kwargs: 0, ...more }, 'yaml');

export const hydraTests: RuleTests[] = [
  defineRuleTests('hydra/unknown-target', {
    valid: [
      { name: 'torch optimizer', facts: [target('torch.optim.AdamW', 'optim._target_')] },
      { name: 'torch scheduler submodule', facts: [target('torch.optim.lr_scheduler.CosineAnnealingLR', 'optim.sched._target_')] },
      { name: 'NeMo module', facts: [target('nemo.collections.asr.modules.ConvASREncoder', 'encoder._target_')] },
      { name: 'NeMo root target', facts: [target('nemo.collections.asr.models.EncDecCTCModel', 'target', { via: 'target' })] },
      { name: 'Lightning callback', facts: [target('lightning.pytorch.callbacks.ModelCheckpoint', 'callbacks[0]._target_')] },
      { name: 'Hydra launcher in .hydra/hydra.yaml', facts: [target('hydra._internal.core_plugins.basic_launcher.BasicLauncher', 'hydra.launcher._target_')] },
      { name: 'a denied target is the denylist rule', facts: [target('os.system')] },
    ],
    invalid: [
      {
        name: 'user class',
        facts: [target('mylab.models.SpeechNet')],
        findings: [{ message: 'config instantiates mylab.models.SpeechNet at model._target_, which is not on the allowlist: hydra.utils.instantiate imports and calls it' }],
      },
      {
        name: 'a target built by interpolation is not resolved',
        facts: [target('${oc.env:MODEL_CLASS}')],
        findings: [{ message: 'config instantiates ${oc.env:MODEL_CLASS} at model._target_, which is not on the allowlist: hydra.utils.instantiate imports and calls it' }],
      },
      {
        name: 'torch.nn wildcard has no submodules',
        facts: [target('torch.nn.modules.module.Module', 'm._target_')],
        findings: [{ message: 'config instantiates torch.nn.modules.module.Module at m._target_, which is not on the allowlist: hydra.utils.instantiate imports and calls it' }],
      },
    ],
  }),
  defineRuleTests('hydra/code-execution', {
    valid: [{ name: 'optimizer', facts: [target('torch.optim.SGD')] }],
    invalid: [
      { name: 'os.system with _args_', facts: [target('os.system', 'optim.sched.hook._target_', { args: 1 })], findings: [{ message: 'config instantiates os.system at optim.sched.hook._target_: loading it with hydra.utils.instantiate runs arbitrary code' }] },
      { name: 'partial builtins.exec', facts: [target('builtins.exec', 'model.loss._target_', { partial: true })], findings: [{ message: 'config instantiates builtins.exec at model.loss._target_: loading it with hydra.utils.instantiate runs arbitrary code' }] },
      { name: 'posix alias', facts: [target('posix.system', 'hooks[0]._target_')], findings: [{ message: 'config instantiates posix.system at hooks[0]._target_: loading it with hydra.utils.instantiate runs arbitrary code' }] },
      { name: 'walk through an allowlisted package', facts: [target('nemo.collections.asr.os.system')], findings: [{ message: 'config instantiates nemo.collections.asr.os.system at model._target_: loading it with hydra.utils.instantiate runs arbitrary code' }] },
      { name: 'hydra calling itself', facts: [target('hydra.utils.call')], findings: [{ message: 'config instantiates hydra.utils.call at model._target_: loading it with hydra.utils.instantiate runs arbitrary code' }] },
    ],
  }),
  defineRuleTests('hydra/deserializer', {
    valid: [{ name: 'a data loader', facts: [target('torch.utils.data.DataLoader')] }],
    invalid: [
      { name: 'torch.load', facts: [target('torch.load', 'init._target_')], findings: [{ message: 'config instantiates torch.load at init._target_: a loader like this deserialises a pickle or model file, which runs its code' }] },
      {
        name: 'a walk from torch.nn to torch.load',
        facts: [target('torch.nn.modules.module.torch.load', 'm._target_')],
        findings: [{ message: 'config instantiates torch.nn.modules.module.torch.load at m._target_: a loader like this deserialises a pickle or model file, which runs its code' }],
      },
      { name: 'joblib.load', facts: [target('joblib.load', 'scaler._target_')], findings: [{ message: 'config instantiates joblib.load at scaler._target_: a loader like this deserialises a pickle or model file, which runs its code' }] },
    ],
  }),
  defineRuleTests('hydra/dynamic-import', {
    valid: [{ name: 'scheduler', facts: [target('nemo.core.optim.lr_scheduler.CosineAnnealing')] }],
    invalid: [{ name: 'importlib', facts: [target('importlib.import_module', 'data._target_')], findings: [{ message: 'config instantiates importlib.import_module at data._target_: a resolver like this lets the config reach any callable, e.g. os.system' }] }],
  }),
  defineRuleTests('hydra/file-access', {
    valid: [{ name: 'a logger', facts: [target('lightning.pytorch.loggers.CSVLogger')] }],
    invalid: [{ name: 'shutil.rmtree', facts: [target('shutil.rmtree')], findings: [{ message: 'config instantiates shutil.rmtree at model._target_: instantiating it reads or writes files' }] }],
  }),
  defineRuleTests('hydra/network-access', {
    valid: [{ name: 'a trainer', facts: [target('pytorch_lightning.Trainer')] }],
    invalid: [{ name: 'urlopen', facts: [target('urllib.request.urlopen')], findings: [{ message: 'config instantiates urllib.request.urlopen at model._target_: instantiating it opens network connections (exfiltration, SSRF)' }] }],
  }),
];
