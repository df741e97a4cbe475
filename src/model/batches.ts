/**
 * Work cut into batches for threads that claim them from a shared counter (the scan pool and the
 * hashing pool): jobs largest first, so the last batches claimed are the small ones and the threads
 * finish together, cut where a batch reaches `maxFiles` jobs or `maxBytes` bytes.
 */
export interface BatchPlan {
  /** job indexes, largest first (ties in input order) */
  order: Int32Array;
  /** batch b is order[bounds[b]] … order[bounds[b + 1] - 1] */
  bounds: Int32Array;
}

export function planBatches(sizes: ArrayLike<number>, maxFiles: number, maxBytes: number): BatchPlan {
  const order = Int32Array.from({ length: sizes.length }, (_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const bounds = [0];
  let files = 0;
  let bytes = 0;
  for (let k = 0; k < order.length; k++) {
    files++;
    bytes += sizes[order[k]!]!;
    if (bytes >= maxBytes || files >= maxFiles || k === order.length - 1) {
      bounds.push(k + 1);
      files = 0;
      bytes = 0;
    }
  }
  return { order, bounds: Int32Array.from(bounds) };
}
