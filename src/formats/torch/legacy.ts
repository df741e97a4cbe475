/**
 * PyTorch's legacy (pre-1.6, `_use_new_zipfile_serialization=False`) layout: five pickles (magic number
 * 0x1950A86A20F9469CFC6C, protocol 1001, sys_info, the object, the sorted storage keys), then for each
 * key the raw storage: an int64 element count and count × element-size bytes. The element size lives
 * in the object pickle's persistent ids, so we recover the layout by search instead: each storage's
 * size must be 1, 2, 4, 8 or 16 bytes per element, and the storages must end exactly at EOF.
 */
import type { RandomAccessReader } from '../../artifact/types.js';

export const LEGACY_PROTOCOL = 1001;

/** protocol-2 pickle of LONG1(magic) + STOP, the exact first bytes torch.save wrote */
export const LEGACY_HEAD = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);

export function hasLegacyHead(h: Uint8Array): boolean {
  return h.length >= LEGACY_HEAD.length && LEGACY_HEAD.every((b, i) => h[i] === b);
}

const ELEMENT_SIZES = [4, 2, 8, 1, 16];
const MAX_STEPS = 20_000;

export interface StorageWalk {
  /** every storage accounted for and the last one ends at EOF */
  exact: boolean;
  /** offset where the walk stopped (EOF when exact) */
  end: number;
  storages: number;
}

/** Walk `count` raw storages starting at `start`. Bounded search; never reads storage bodies. */
export async function walkStorages(r: RandomAccessReader, start: number, count: number): Promise<StorageWalk> {
  let steps = 0;
  let best = { end: start, storages: 0 };
  const numelAt = async (pos: number): Promise<number | undefined> => {
    if (pos + 8 > r.size) return undefined;
    const b = await r.read(pos, 8);
    const v = new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true);
    return v < 0n || v > BigInt(r.size) ? undefined : Number(v);
  };
  const dfs = async (pos: number, i: number): Promise<boolean> => {
    if (i > best.storages) best = { end: pos, storages: i };
    if (i === count) return pos === r.size;
    if (++steps > MAX_STEPS) return false;
    const n = await numelAt(pos);
    if (n === undefined) return false;
    for (const es of ELEMENT_SIZES) {
      const next = pos + 8 + n * es;
      if (next > r.size) continue;
      if (await dfs(next, i + 1)) return true;
      if (n === 0) break; // every element size gives the same next offset
    }
    return false;
  };
  const exact = count === 0 ? start === r.size : await dfs(start, 0);
  return exact ? { exact, end: r.size, storages: count } : { exact, ...best };
}
