/**
 * Keras legacy HDF5 models (`model.save('m.h5')`): the root attributes `model_config` and
 * `training_config` are the JSON that `load_model` deserializes, and they go through the same
 * analyser as a `.keras` config.json. On this path Keras ignored `safe_mode` (CVE-2025-9905), so a
 * Lambda layer in an .h5 runs its bytecode even under `safe_mode=True`: the `keras.h5` fact lists the
 * Lambda layers for that rule. HDF5 files without `model_config` (weights, datasets) yield nothing.
 * h5wasm sees only the bytes it asks for (at most 512 MiB), never the whole file.
 */
import { analyzeKerasConfig, type KerasHit } from '../formats/keras/config.js';
import { readRootAttrs } from '../formats/hdf5/attrs.js';
import { giveUp } from './archive/nested.js';
import { emitKerasFacts } from './hfrepo/keras-facts.js';
import type { Location } from '../model/facts.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

const ID = 'keras-h5';
const MAX_LOADED = 512 * 1024 * 1024;
const MAX_CONFIG = 64 * 1024 * 1024;
const WANTED = ['model_config', 'training_config', 'keras_version', 'backend'] as const;

function analyse(ctx: ScanContext, loc: Location, name: string, text: string): KerasHit[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    giveUp(ctx, loc, ID, 'PARSE_ERROR', `${name} attribute is not JSON: ${(e as Error).message}`);
    return undefined;
  }
  return analyzeKerasConfig(doc);
}

export const kerasH5Scanner: Scanner = {
  id: ID,
  formats: ['hdf5'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const timeoutMs = Math.min(60_000, Math.max(1_000, ctx.deadline - Date.now()));
    const attrs = await readRootAttrs(input.reader, WANTED, { maxLoaded: MAX_LOADED, maxValue: MAX_CONFIG, timeoutMs });
    const config = attrs.text.model_config;
    if (config === undefined) {
      if (attrs.names.includes('model_config')) giveUp(ctx, input.location, ID, 'UNSUPPORTED', 'model_config attribute is not a string of at most 64 MiB');
      return;
    }
    const hits = analyse(ctx, input.location, 'model_config', config) ?? [];
    const training = attrs.text.training_config;
    if (training !== undefined) hits.push(...(analyse(ctx, input.location, 'training_config', training) ?? []));
    emitKerasFacts(ctx, input.location, 'h5', hits);
    const lambdas = hits.flatMap((h) => (h.kind === 'lambda' ? [h.layer] : []));
    ctx.emit({
      kind: 'keras.h5',
      location: { ...input.location },
      data: {
        kerasVersion: attrs.text.keras_version ?? null, backend: attrs.text.backend ?? null, lambdaLayers: lambdas,
        configBytes: config.length, bytesLoaded: attrs.loadedBytes, key: 'h5',
      },
    });
  },
};
