/**
 * Where the Hub is and who we are there, resolved as the Python client does: `HF_ENDPOINT` for mirrors
 * and private hubs; the token from `HF_TOKEN`, else `HF_TOKEN_PATH`, else `$HF_HOME/token`
 * (`~/.cache/huggingface/token`). The token is only ever put in an Authorization header.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_HUB = 'https://huggingface.co';

export function hubUrl(env: NodeJS.ProcessEnv): string {
  return (env.HF_ENDPOINT || DEFAULT_HUB).replace(/\/+$/, '');
}

export function hubToken(env: NodeJS.ProcessEnv): string | undefined {
  const direct = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim();
  if (direct) return direct;
  const home = env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface');
  const file = env.HF_TOKEN_PATH || join(home, 'token');
  try {
    const t = readFileSync(file, 'utf8').trim();
    return t || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `HF_HUB_OFFLINE` as huggingface_hub reads it (1/true/yes/on, any case): the value when it asks for
 * offline mode, so hf:// is then refused as with `--offline`.
 */
export function hubOffline(env: NodeJS.ProcessEnv): string | undefined {
  const v = env.HF_HUB_OFFLINE?.trim();
  return v && /^(1|true|yes|on)$/i.test(v) ? v : undefined;
}
