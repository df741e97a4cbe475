/**
 * `mlvet.config.json`: validated with ajv; every problem is reported at once, naming its field.
 */
import { readRegularFile } from '../files.js';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MlvetError } from '../errors.js';
import type { FailOn } from '../model/report.js';
import { compiledSchema, formatAjvErrors } from '../schemas.js';
import type { AllowEntry } from '../model/policy.js';
import { DEFAULT_BUDGETS, type Budgets } from '../model/budgets.js';
import type { IgnoreEntry } from '../model/policy.js';

export interface MlvetConfig {
  failOn?: FailOn;
  rules?: string[];
  allow?: AllowEntry[];
  budgets?: Partial<Budgets>;
  ignore?: IgnoreEntry[];
  credentials?: { hfTokenEnv?: string; awsProfile?: string };
}

export interface LoadedConfig {
  config: MlvetConfig;
  /** absolute path, when a file was read */
  path?: string;
}


export function parseConfig(text: string, path: string): MlvetConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new MlvetError('CONFIG_INVALID', `${path}: not valid JSON: ${(e as Error).message}`, { path });
  }
  const validate = compiledSchema<MlvetConfig>('config.schema');
  if (!validate(doc)) {
    throw new MlvetError('CONFIG_INVALID', `${path}: ${formatAjvErrors(validate.errors)}`, { path });
  }
  return doc;
}

/** Load an explicit config, or `mlvet.config.json` in `cwd` if there is one. */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): LoadedConfig {
  const path = explicit ? resolve(cwd, explicit) : join(cwd, 'mlvet.config.json');
  if (!existsSync(path)) {
    if (explicit) throw new MlvetError('NOT_FOUND', `config file not found: ${explicit}`, { path: explicit });
    return { config: {} };
  }
  const config = parseConfig(readRegularFile(path, '--config'), path);
  if (config.rules) config.rules = config.rules.map((r) => resolve(dirname(path), r));
  return { config, path };
}

export function budgetsFrom(config: MlvetConfig): Budgets {
  return { ...DEFAULT_BUDGETS, ...(config.budgets ?? {}) };
}
