/**
 * `AWS_PROFILE` naming a profile that no shared file defines. The SDK's chain would skip it and end in
 * "Could not load credentials from any providers", which names nothing; we refuse up front (AUTH,
 * exit 3) and name the profile and the files looked in. Only section names are read, never a value.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MlvetError } from '../../errors.js';

function sections(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Set();
  }
  const out = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*\[([^\]\r\n]+)\][ \t]*$/gm)) out.add(m[1]!.trim().replace(/^profile\s+/, ''));
  return out;
}

/** The files the SDK reads profiles from, as it finds them (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`). */
export function profileFiles(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME || env.USERPROFILE || homedir();
  return [env.AWS_CONFIG_FILE || join(home, '.aws', 'config'), env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')];
}

/** An AUTH error when `AWS_PROFILE` names a profile neither shared file has; undefined otherwise. */
export function missingProfile(env: NodeJS.ProcessEnv, uri: string): MlvetError | undefined {
  const name = env.AWS_PROFILE?.trim();
  if (!name) return undefined;
  const files = profileFiles(env);
  if (files.some((f) => sections(f).has(name))) return undefined;
  return new MlvetError('AUTH', `${uri}: AWS_PROFILE=${name}: no such profile in ${files.join(' or ')}`, { path: uri, profile: name });
}
