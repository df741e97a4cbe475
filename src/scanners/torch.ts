/**
 * Legacy PyTorch checkpoints: exactly the five pickles torch.load runs (a payload in any of them runs),
 * then raw storages that are never unpickled. The storage walk proves the tail is storage bytes; a tail
 * it cannot account for is reported, because bytes torch never reads are a place to hide things from a
 * loader-faithful scanner and show them to a naive one (or the other way round).
 */
import { LEGACY_PROTOCOL, walkStorages } from '../formats/torch/legacy.js';
import type { Value } from '../formats/pickle/values.js';
import { giveUp } from './archive/nested.js';
import { scanPickleStream } from './pickle/index.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

const ID = 'torch-legacy';

const intOf = (v: Value | undefined): bigint | undefined => (v?.t === 'int' ? BigInt(v.v) : undefined);

export const torchLegacyScanner: Scanner = {
  id: ID,
  formats: ['torch-legacy'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const { reader, location } = input;
    const res = await scanPickleStream(reader, location, input.depth, ctx, { maxStreams: 5, results: true, ...(input.quiet ? { quiet: true } : {}) });
    if (!res.ok) return; // the pickle engine reported where and why it stopped
    if (res.streams < 5) {
      giveUp(ctx, location, ID, 'TRUNCATED', `legacy checkpoint holds ${res.streams} of the 5 pickles torch.load reads`, res.end);
      return;
    }
    const proto = intOf(res.results[1]);
    const keys = res.results[4];
    const count = keys && (keys.t === 'list' || keys.t === 'tuple') ? keys.n : undefined;
    if (proto !== BigInt(LEGACY_PROTOCOL) || count === undefined) {
      giveUp(ctx, location, ID, 'PARSE_ERROR', 'not a legacy checkpoint after all: protocol or storage-key pickle has the wrong shape', res.end);
      return;
    }
    const walk = await walkStorages(reader, res.end, count);
    ctx.emit({ kind: 'torch.legacy', location: { ...location }, data: { storages: count, storagesEnd: walk.end, exact: walk.exact, key: 'legacy' } });
    if (!walk.exact) {
      ctx.emit({
        kind: 'torch.legacy-unaccounted',
        location: { ...location, offset: walk.end },
        data: { length: reader.size - walk.end, storagesMatched: walk.storages, storages: count, key: `tail@${walk.end}` },
      });
    }
  },
};
