/**
 * Mutation fuzzing of every container parser through the real dispatcher: bit flips, truncations,
 * insertions and overwrites of committed fixtures. A run must finish and every problem must surface
 * as an inconclusive entry, never an exception. MLVET_FUZZ_ITERS raises the per-seed iteration count
 * (CI default 40); failures print the seed and iteration to reproduce.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { prng, scanBuffer } from '../helpers/scan-bytes.js';

const ITERS = Number(process.env.MLVET_FUZZ_ITERS ?? 40);
const F = (p: string): Buffer => readFileSync(join(FIXTURES, 'formats', p));

const SEEDS: Array<[string, Buffer]> = [
  ['torch zip', F('benign/torch-state-dict.pt')],
  ['torch legacy', F('benign/torch-state-dict-legacy.pt')],
  ['zip tricks', F('malicious/e12-overlap.zip')],
  ['deflated zip', F('malicious/e11-deflated-txt-member.pt')],
  ['legacy tar', F('malicious/combo-legacy-tar-crc-zip-nonpickle-name.tar')],
  ['tar.gz', F('malicious/e13-tar-gz-nested.tar.gz')],
  ['bz2', F('malicious/e13-bz2.pkl.bz2')],
  ['xz', F('malicious/e13-xz.pkl.xz')],
  ['joblib ZF', F('malicious/e13-joblib-legacy-zf.joblib')],
  ['npy', F('malicious/e13-npy-object.npy')],
  ['keras zip', F('malicious/e13-keras-weights-npz.keras')],
  ['keras config', F('malicious/e16-keras-lambda.keras')],
  ['safetensors', F('benign/model.safetensors')],
  ['tokenizer json', F('malicious/e16-tokenizer-config-ssti.json')],
  ['jinja', F('malicious/e16-chat-template-cycler.jinja')],
  ['gguf', F('benign/model.gguf')],
  ['gguf v1', F('benign/model-v1.gguf')],
  ['onnx', F('malicious/e16-onnx-custom-domain.onnx')],
  ['savedmodel', F('benign/saved_model.pb')],
  ['graphdef', F('malicious/e16-tf-writefile.pb')],
  ['keras h5', F('malicious/e16-h5-lambda-safe-mode-bypass.h5')],
  ['7z', F('malicious/e13-7z-broken-pickle.7z')],
];

function mutate(src: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(src);
  const pick = (n: number): number => Math.floor(rnd() * n);
  switch (pick(4)) {
    case 0:
      for (let i = 0, n = 1 + pick(8); i < n; i++) {
        const at = pick(b.length);
        b[at] = b[at]! ^ (1 << pick(8));
      }
      return b;
    case 1:
      return b.subarray(0, pick(b.length));
    case 2: {
      const at = pick(b.length);
      return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(16) }, () => pick(256))), b.subarray(at)]);
    }
    default: {
      const at = pick(b.length);
      b.fill(0xff, at, Math.min(b.length, at + 1 + pick(8)));
      return b;
    }
  }
}

describe.each(SEEDS)('fuzz %s', (name, seed) => {
  it(`survives ${ITERS} mutations`, async () => {
    const rnd = prng(name.length * 7919 + seed.length);
    for (let i = 0; i < ITERS; i++) {
      const input = mutate(seed, rnd);
      const r = await scanBuffer(input, { maxSecondsPerFile: 5, maxDecompressedBytes: 64 << 20 }).catch((e: unknown) => {
        throw new Error(`${name} iteration ${i}: ${String(e)}`);
      });
      expect(Array.isArray(r.inconclusive)).toBe(true);
      for (const inc of r.inconclusive) expect(inc.code, `${name} #${i}: ${inc.message}`).toMatch(/^[A-Z_]+$/);
    }
  }, 120_000);
});
