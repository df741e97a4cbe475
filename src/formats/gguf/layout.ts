/**
 * Tensor-info checks gguf.c performs before mapping data (and a few it leaves to the backends):
 * known type, whole blocks, non-negative dims whose product does not overflow, offsets aligned,
 * inside the file, and not overlapping. Returned as problems, never thrown.
 */
import { GGML_TYPES, tensorBytes } from './ggml.js';

export interface GgufTensor {
  name: string;
  dims: bigint[];
  type: number;
  offset: bigint;
  infoOffset: number;
}

export type GgufProblemKind = 'bad-alignment' | 'unknown-type' | 'bad-shape' | 'misaligned' | 'out-of-bounds' | 'overlap' | 'duplicate-name';

export interface GgufProblem {
  problem: GgufProblemKind;
  detail: string;
  tensor?: string;
  offset: number;
}

const MAX_PROBLEMS = 50;
const INT64_MAX = 2n ** 63n - 1n;

function shapeProblem(t: GgufTensor): string | undefined {
  let n = 1n;
  for (const d of t.dims) {
    if (d < 0n) return `dimension ${d} is negative`;
    n *= d;
    if (n > INT64_MAX) return 'element count overflows int64';
  }
  if (tensorBytes(t.type, t.dims) === undefined) return `first dimension ${t.dims[0] ?? 1n} is not a multiple of the ${GGML_TYPES[t.type]![2]} block size`;
  return undefined;
}

export function checkTensors(tensors: readonly GgufTensor[], alignment: number, dataStart: number, fileSize: number): GgufProblem[] {
  const out: GgufProblem[] = [];
  const add = (p: GgufProblem): void => void (out.length < MAX_PROBLEMS && out.push(p));
  const names = new Set<string>();
  const spans: Array<[bigint, bigint, string]> = [];
  for (const t of tensors) {
    const at = { tensor: t.name, offset: t.infoOffset };
    if (names.has(t.name)) add({ problem: 'duplicate-name', detail: `tensor ${t.name} is listed twice`, ...at });
    names.add(t.name);
    if (!GGML_TYPES[t.type]) {
      add({ problem: 'unknown-type', detail: `ggml type ${t.type} is unknown or removed`, ...at });
      continue;
    }
    const bad = shapeProblem(t);
    if (bad) {
      add({ problem: 'bad-shape', detail: bad, ...at });
      continue;
    }
    if (t.offset % BigInt(alignment) !== 0n) add({ problem: 'misaligned', detail: `offset ${t.offset} is not a multiple of ${alignment}`, ...at });
    const end = BigInt(dataStart) + t.offset + tensorBytes(t.type, t.dims)!;
    if (end > BigInt(fileSize)) add({ problem: 'out-of-bounds', detail: `data ends at byte ${end}, the file has ${fileSize}`, ...at });
    spans.push([t.offset, end - BigInt(dataStart), t.name]);
  }
  spans.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < spans.length; i++) {
    const [s, , name] = spans[i]!;
    const prev = spans[i - 1]!;
    if (s < prev[1]) add({ problem: 'overlap', detail: `tensor ${name} starts inside ${prev[2]}`, tensor: name, offset: 0 });
  }
  return out;
}
