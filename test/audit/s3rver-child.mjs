// s3rver in its own process, started with --openssl-legacy-provider: s3rver 3.7.1's continuation
// token uses a cipher Node 20 enables only with that flag, so without it any listing of more than
// 1,000 keys answers 500. A Koa middleware put first in s3rver's own chain appends one line per
// request (`METHOD /path?query status`) to the log file named in argv[2]; the endpoint and the store's
// directory (where a test may lay objects out as s3rver's filesystem store does) go to stdout.
// argv: log file, buckets (comma-separated), the store's directory (made by the caller, removed here
// on exit), and optionally a page size: listings then answer at most that many keys a page, as S3 may
// (ListObjectsV2 returns "up to" MaxKeys), so a few hundred objects page like more than 1,000 do.
import { appendFileSync, rmSync } from 'node:fs';
import S3rver from 's3rver';

const [log, bucketList = 'models', dir, page] = process.argv.slice(2);
const buckets = bucketList.split(',');
const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
if (page) {
  const list = server.store.listObjects.bind(server.store);
  server.store.listObjects = (bucket, options) => list(bucket, { ...options, maxKeys: Math.min(options.maxKeys, Number(page)) });
}
server.middleware.unshift(async (ctx, next) => {
  try {
    await next();
  } finally {
    appendFileSync(log, `${ctx.method} ${ctx.originalUrl} ${ctx.status}\n`);
  }
});
const { port } = await server.run();
process.stdout.write(JSON.stringify({ endpoint: `http://127.0.0.1:${port}`, directory: dir }) + '\n');
const stop = () => {
  void server.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop); // the test process went away
process.stdin.resume();
