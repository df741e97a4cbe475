// Loader hooks for module-log.mjs (they run on the loader's own thread).
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  const r = await next(url, context);
  if (process.env.MLVET_MODULE_LOG) appendFileSync(process.env.MLVET_MODULE_LOG, `${url}\n`);
  return r;
}
