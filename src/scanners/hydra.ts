/**
 * Hydra / OmegaConf configs (NeMo `model_config.yaml`, `.hydra/*.yaml`, Lightning `hparams.yaml`, any
 * YAML or JSON with `_target_`), alone or inside a `.nemo` tar or any other archive: one neutral
 * `hydra.target` fact per instantiation target, split into module/name like a pickle global and with
 * every reading a resolver could take, so the pickle allowlist and denylist checks judge it.
 * Chosen by name or by a `_target_` in the first bytes; the whole file is byte-searched before any
 * parse, so a YAML of data costs one `indexOf`.
 */
import { MlvetError } from '../errors.js';
import { mentionsTarget, readConfigText, MAX_CONFIG_BYTES } from '../formats/hydra/read.js';
import { hydraTargets, splitTarget, type HydraTarget } from '../formats/hydra/targets.js';
import { aliasOf, readings } from '../formats/pickle/names.js';
import type { Fact, Location } from '../model/facts.js';
import { giveUp } from './archive/nested.js';
import type { Probe, ScanContext, Scanner, ScanInput } from './types.js';

const ID = 'hydra';
const CONFIG_EXT = /\.(ya?ml|json)$/i;
/** names Hydra, NeMo and Lightning write; their root `target` is read even without `_target_` */
const CONFIG_NAME = /(^|\/)(config|model_config|hparams|[\w-]+_config)\.ya?ml$|(^|\/)\.hydra\/[^/]+\.ya?ml$/i;

const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

function wanted(probe: Probe): boolean {
  return CONFIG_EXT.test(probe.name) || CONFIG_NAME.test(probe.name) || mentionsTarget(probe.head);
}

/** The `hydra.target` fact of one target; exported so rule tables build facts exactly as the scanner does. */
export function targetFact(loc: Location, t: HydraTarget, format: string): Fact {
  const { module, name } = splitTarget(t.target);
  const first = t.target.indexOf('.');
  const rs = first < 0 ? [] : readings(t.target.slice(0, first), t.target.slice(first + 1), 4);
  return {
    kind: 'hydra.target',
    location: { ...loc },
    data: {
      ...t,
      module,
      name,
      qualname: t.target,
      readings: rs,
      canonicalModule: aliasOf(module),
      canonicalName: name,
      format,
      key: t.path,
    },
  };
}

export const hydraScanner: Scanner = {
  id: ID,
  formats: ['unknown', 'json', 'jinja'],
  required: wanted,
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const { reader, location, probe } = input;
    const named = CONFIG_NAME.test(probe.name) || CONFIG_NAME.test(baseName(location.path));
    if (reader.size > MAX_CONFIG_BYTES) {
      if (named || mentionsTarget(probe.head)) giveUp(ctx, location, ID, 'LIMIT_EXCEEDED', `config is ${reader.size} bytes, over ${MAX_CONFIG_BYTES}`);
      return;
    }
    const bytes = await reader.read(0, reader.size);
    const hasTarget = mentionsTarget(bytes);
    // a named config without `_target_` can still carry NeMo's root `target:`; other files are data
    if (!hasTarget && !(named && Buffer.from(bytes).includes('target:'))) return;
    try {
      const doc = readConfigText(new TextDecoder('utf-8').decode(bytes));
      const format = probe.format === 'json' ? 'json' : 'yaml';
      const found = hydraTargets(doc);
      for (const t of found.targets) ctx.emit(targetFact(location, t, format));
      if (found.limit && !input.quiet) giveUp(ctx, location, ID, found.limit.code, found.limit.message);
    } catch (e) {
      if (!(e instanceof MlvetError)) throw e;
      const err = e as MlvetError;
      // a YAML that never mentions `_target_` and fails to parse is someone else's format
      if (hasTarget && !input.quiet) giveUp(ctx, location, ID, err.code, err.message);
    }
  },
};
