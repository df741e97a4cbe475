import type { KerasHit } from '../../formats/keras/config.js';
import type { Location } from '../../model/facts.js';
import type { ScanContext } from '../types.js';

/** Keras config hits → `keras.*` facts; `container` says whether the config came from .keras or .h5. */
export function emitKerasFacts(ctx: ScanContext, loc: Location, container: 'keras' | 'h5', hits: KerasHit[]): void {
  for (const [i, h] of hits.entries()) {
    const { kind, ...data } = h;
    ctx.emit({ kind: `keras.${kind}`, location: { ...loc }, data: { ...data, container, key: `${kind}#${i}` } });
  }
}
