/**
 * How a recorded `https://` source is judged, apart from the source itself: sources/index.ts lists
 * the https record with this provenance and loads the opener (and artifact/remote) on first open.
 */
import type { Provenance } from '../source.js';

/** A URL pins nothing by itself: recorded as `url`, it is pinned only by a strong digest (the general rule). */
export const urlProvenance: Provenance = {
  kind: 'url',
  describe: (uri) => (/^https?:\/\//.test(uri) ? { annotations: { mlvetKind: 'url' }, digest: {} } : undefined),
};
