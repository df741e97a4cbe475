/**
 * The HDF5 worker is kept for every file of a thread (issue 9): many files cost one thread and one
 * h5wasm load, each file's image is unlinked when it is done, and only a round that times out ends
 * the worker. The client's failure handling runs against tiny stand-in workers written here, so a
 * hang, a crash and an uncaught throw are exact and fast.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { hdf5WorkerStarts, readRootAttrs } from '../../src/formats/hdf5/attrs.js';
import { H5Client, type RoundBody, type Session } from '../../src/formats/hdf5/client.js';
import { FIXTURES, ROOT } from '../helpers/cli.js';

const H5 = (p: string): Uint8Array => readFileSync(join(FIXTURES, 'formats', p));
const LIM = { maxLoaded: 64 << 20, maxValue: 1 << 20, timeoutMs: 30_000 };
const read = (bytes: Uint8Array) => readRootAttrs(new BufferReader(bytes), ['keras_version', 'backend'], LIM);

describe('one HDF5 worker per thread, on real files', () => {
  it('reads five files in a row on a single worker, with the same answers each time', async () => {
    const before = hdf5WorkerStarts();
    const files = ['benign/keras-sequential.h5', 'malicious/e16-h5-lambda-safe-mode-bypass.h5'];
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) seen.push(Object.keys((await read(H5(files[i % 2]!))).text).join(','));
    expect(seen).toEqual(Array<string>(5).fill('keras_version,backend'));
    expect(hdf5WorkerStarts() - before).toBe(before === 0 ? 1 : 0);
  });

  it('after the endless-loop file times out, the next file gets a fresh worker and reads', async () => {
    const loop = readFileSync(join(FIXTURES, 'fuzz-regressions', 'h5-endless-loop.h5'));
    await read(H5('benign/keras-sequential.h5'));
    const before = hdf5WorkerStarts();
    const hang = await readRootAttrs(new BufferReader(loop), ['model_config'], { ...LIM, timeoutMs: 1_500 }).catch((e: { code?: string }) => e.code);
    const next = await read(H5('benign/keras-sequential.h5'));
    expect([hang, Object.keys(next.text), hdf5WorkerStarts() - before]).toEqual(['LIMIT_EXCEEDED', ['keras_version', 'backend'], 1]);
  }, 30_000);
});

describe('the HDF5 worker frees each file', () => {
  it("unlinks a file's image from h5wasm's file system when its session ends", async () => {
    const c = new H5Client(join(ROOT, 'dist', 'formats', 'hdf5', 'worker.js'));
    const bytes = H5('benign/keras-sequential.h5'); // under 1 MiB: one chunk, one round
    const body: RoundBody = (fresh) => ({ size: bytes.length, chunks: fresh ? [[0, bytes]] : [], wanted: ['backend'], maxValue: 1 << 20 });
    const mounted: Array<number | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const s = c.session(30_000);
      mounted.push((await c.round(s, body)).mounted);
      c.end(s);
    }
    const kept = c.session(30_000); // not ended: its image stays beside the next one
    mounted.push((await c.round(kept, body)).mounted, (await c.round(c.session(30_000), body)).mounted);
    expect([mounted, c.starts]).toEqual([[1, 1, 1, 1, 2], 1]);
  }, 30_000);
});

/** A stand-in worker: echoes the chunk numbers it got, or hangs, exits or throws when asked to. */
const STAND_IN = `
import { parentPort } from 'node:worker_threads';
const held = new Map();
parentPort.on('message', (m) => {
  if (m.end) { held.delete(m.sid); return; }
  const act = m.wanted[0];
  if (act === 'hang') for (;;);
  if (act === 'exit') process.exit(7);
  if (act === 'throw') throw new Error('boom');
  held.set(m.sid, [...(held.get(m.sid) ?? []), ...m.chunks.map((c) => c[0])]);
  parentPort.postMessage({ rid: m.rid, result: { text: { got: m.chunks.map((c) => c[0]).join(','), held: held.get(m.sid).join(',') }, names: [...held.keys()].map(String), loadedBytes: 0 }, misses: [] });
});
`;

function standIn(): H5Client {
  const script = join(mkdtempSync(join(tmpdir(), 'mlvet-h5w-')), 'stand-in.mjs');
  writeFileSync(script, STAND_IN);
  return new H5Client(script);
}
/** A round asking for `act`; chunk 0 is sent whenever the serving worker holds none of the session. */
const ask = (act: string): RoundBody => (fresh) => ({ size: 1, chunks: fresh ? [[0, new Uint8Array(1)]] : [], wanted: [act], maxValue: 0 });
const outcome = (c: H5Client, s: Session, act: string): Promise<string> =>
  c.round(s, ask(act)).then(
    (r) => `got:${r.result?.text.got} held:${r.result?.text.held}`,
    (e: { code?: string }) => String(e.code),
  );

describe('HDF5 worker client', () => {
  it('reuses one worker across sessions and frees a session at its end', async () => {
    const c = standIn();
    const a = c.session(5_000);
    const b = c.session(5_000);
    const got = [await outcome(c, a, 'read'), await outcome(c, a, 'read'), await outcome(c, b, 'read')];
    c.end(a);
    const names = (await c.round(b, ask('read'))).result?.names;
    expect([got, names, c.starts]).toEqual([['got:0 held:0', 'got: held:0', 'got:0 held:0'], [String(b.sid)], 1]);
  });

  it.each([
    ['hang', 'LIMIT_EXCEEDED'],
    ['exit', 'PARSE_ERROR'],
    ['throw', 'PARSE_ERROR'],
  ])('a worker that fails with %s fails that round only (%s); queued rounds run on a fresh worker', async (act, code) => {
    const c = standIn();
    const other = c.session(5_000);
    const first = await outcome(c, other, 'read');
    // queued at once: the second waits for the first and must not inherit its failure
    const results = await Promise.all([outcome(c, c.session(300), act), outcome(c, other, 'read')]);
    // the fresh worker held nothing of `other`, so its chunk went again
    expect([first, ...results, c.starts]).toEqual(['got:0 held:0', code, 'got:0 held:0', 2]);
  });

  it("a file's budget counts only its own rounds, not time queued behind a hang", async () => {
    const c = standIn();
    // were queued time counted, the read would run out at 1.2 s, while the hang still holds the worker
    const results = await Promise.all([outcome(c, c.session(1_500), 'hang'), outcome(c, c.session(1_200), 'read')]);
    expect(results).toEqual(['LIMIT_EXCEEDED', 'got:0 held:0']);
  });

  it('an idle worker does not keep the process alive: a script that read a file exits by itself', () => {
    const attrs = pathToFileURL(join(ROOT, 'dist', 'formats', 'hdf5', 'attrs.js')).href;
    const reader = pathToFileURL(join(ROOT, 'dist', 'artifact', 'buffer-reader.js')).href;
    const code = `const { readRootAttrs } = await import(${JSON.stringify(attrs)});
      const { BufferReader } = await import(${JSON.stringify(reader)});
      const bytes = (await import('node:fs')).readFileSync(${JSON.stringify(join(FIXTURES, 'formats', 'benign', 'keras-sequential.h5'))});
      const r = await readRootAttrs(new BufferReader(bytes), ['backend'], { maxLoaded: 1 << 26, maxValue: 1 << 20 });
      process.stdout.write(Object.keys(r.text).join(','));`;
    // a file, not `-e`: workers inherit execArgv, and `--input-type` is refused in a worker
    const script = join(mkdtempSync(join(tmpdir(), 'mlvet-h5w-')), 'read-one.mjs');
    writeFileSync(script, code);
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect([r.status, r.signal, r.stdout]).toEqual([0, null, 'backend']);
  }, 40_000);
});
