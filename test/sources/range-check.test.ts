/**
 * The one range check (src/artifact/remote/range-check.ts): which answers to `bytes=a-b` are the bytes
 * asked for, and how a body that is longer, shorter or stalled fails: always a TransientError (retried,
 * then inconclusive), and the body is cancelled rather than read on.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { headProblem, readRangeResponse, TransientError, type RangeRequest, type RangeResponse } from '../../src/artifact/remote/index.js';

const REQ: RangeRequest = { name: 's3://b/k', offset: 4096, length: 100, size: 10_000 };
const WHOLE: RangeRequest = { name: 's3://b/k', offset: 0, length: 100, size: 100 };

describe('headProblem', () => {
  it.each<[string, RangeRequest, Pick<RangeResponse, 'status' | 'contentRange' | 'contentLength'>, RegExp | undefined]>([
    ['exact 206', REQ, { status: 206, contentRange: 'bytes 4096-4195/10000', contentLength: 100 }, undefined],
    ['206 without a declared length', REQ, { status: 206, contentRange: 'bytes 4096-4195/10000' }, undefined],
    ['206 of unknown total', REQ, { status: 206, contentRange: 'bytes 4096-4195/*' }, undefined],
    ['200 for the whole object, asked whole', WHOLE, { status: 200, contentLength: 100 }, undefined],
    ['shifted range, honestly labelled', REQ, { status: 206, contentRange: 'bytes 8192-8291/10000', contentLength: 100 }, /wrong range/],
    ['range ends elsewhere', REQ, { status: 206, contentRange: 'bytes 4096-4199/10000' }, /wrong range/],
    ['other object size', REQ, { status: 206, contentRange: 'bytes 4096-4195/20000' }, /object size 20000/],
    ['no Content-Range', REQ, { status: 206 }, /missing Content-Range/],
    ['garbage Content-Range', REQ, { status: 206, contentRange: 'items 1-2' }, /unparsable Content-Range/],
    ['declared length differs', REQ, { status: 206, contentRange: 'bytes 4096-4195/10000', contentLength: 50 }, /Content-Length 50, expected 100/],
    ['200 to a partial range', REQ, { status: 200, contentLength: 10_000 }, /answered 200 for bytes=4096-4195: the whole object/],
    ['200 to a range from 0', { ...REQ, offset: 0 }, { status: 200 }, /whole object/],
    ['416', REQ, { status: 416, contentRange: 'bytes */10000' }, /answered 416/],
    ['204', REQ, { status: 204 }, /answered 204/],
  ])('%s', (_n, req, res, problem) => {
    const got = headProblem(req, res);
    if (problem) expect(got).toMatch(problem);
    else expect(got).toBeUndefined();
  });
});

function response(status: number, chunks: Uint8Array[], contentRange = 'bytes 4096-4195/10000', tail?: 'stall'): RangeResponse & { cancelled: () => boolean } {
  const body = tail === 'stall' ? new Readable({ read() {} }) : Readable.from(chunks);
  if (tail === 'stall') for (const c of chunks) body.push(c);
  return { status, contentRange, body, cancel: () => body.destroy(), cancelled: () => body.destroyed };
}

describe('readRangeResponse', () => {
  it('returns exactly the bytes of an exact 206 and counts them', async () => {
    let n = 0;
    const got = await readRangeResponse(REQ, response(206, [new Uint8Array(60).fill(1), new Uint8Array(40).fill(2)]), { onBytes: (k) => (n += k) });
    expect(got.length).toBe(100);
    expect([got[0], got[99]]).toEqual([1, 2]);
    expect(n).toBe(100);
  });
  it.each<[string, RangeResponse & { cancelled: () => boolean }, RegExp]>([
    ['a shifted 206 is refused unread', response(206, [new Uint8Array(100)], 'bytes 8192-8291/10000'), /wrong range/],
    ['a 200 is cancelled, not read', response(200, [new Uint8Array(10_000)], ''), /whole object/],
    ['a long body is cut off', response(206, [new Uint8Array(60), new Uint8Array(60)]), /long body/],
    ['a short body fails', response(206, [new Uint8Array(99)]), /short body: got 99 of 100/],
  ])('%s', async (_n, res, message) => {
    const err = await readRangeResponse(REQ, res).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain('s3://b/k');
    if (!/short/.test(message.source)) expect(res.cancelled()).toBe(true);
  });
  it('a body that stalls is cancelled when the attempt times out', async () => {
    const ctl = new AbortController();
    const res = response(206, [new Uint8Array(10)], undefined, 'stall');
    const t0 = Date.now();
    setTimeout(() => ctl.abort(new TransientError('timed out after 50 ms')), 50);
    await expect(readRangeResponse(REQ, res, { signal: ctl.signal })).rejects.toThrow(/timed out after 50 ms/);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(res.cancelled()).toBe(true);
  });
});
