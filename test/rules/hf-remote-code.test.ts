/**
 * trust_remote_code rating on Hub fixture repos (fixtures/hub/remote-code-*): a plain auto_map to a
 * model definition is hf/remote-code (medium); repository code that executes or fetches is also
 * hf/remote-code-executes (high) with its reasons. Scanned from the directory and through the local
 * Hub server at a pinned commit, with the same findings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES, runCliJson } from '../helpers/cli.js';
import { bufferBlob } from '../sources/blobs.js';
import { fastEnv } from '../sources/helpers.js';
import { startHubServer, type HubServer } from '../sources/hub-server.js';

const C = 'c'.repeat(40);
const repoDir = (name: string) => join(FIXTURES, 'hub', name);
const files = (name: string) =>
  readdirSync(repoDir(name)).map((f) => ({
    path: f,
    blob: bufferBlob(readFileSync(join(repoDir(name), f))),
  }));

interface Row {
  ruleId: string;
  severity: string;
  location: { path: string };
  evidence: Record<string, unknown>;
}
const hf = (findings: Row[]): string[] =>
  findings
    .filter((f) => f.ruleId.startsWith('hf/'))
    .map(
      (f) =>
        `${f.ruleId} ${f.severity} ${f.location.path.split('/').pop()!}${f.ruleId === 'hf/remote-code-executes' ? ` ${String(f.evidence.reasons as string[])}` : ''}`,
    )
    .sort();

const PLAIN = [
  'hf/python-file low configuration_tiny.py',
  'hf/python-file low modeling_tiny.py',
  'hf/remote-code medium config.json',
];
const EXECUTES = [
  'hf/python-file low configuration_tiny.py',
  'hf/python-file low modeling_tiny.py',
  'hf/remote-code medium config.json',
  'hf/remote-code-executes high modeling_tiny.py import subprocess:1,import requests:3,exec():19,requests.get():19,subprocess.run():20',
];

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer({
    repos: ['remote-code-plain', 'remote-code-executes'].map((n) => ({
      id: `acme/${n}`,
      commits: { [C]: files(n) },
      refs: { main: C },
    })),
  });
});
afterAll(() => hub.close());

describe('trust_remote_code: plain auto_map lower than code that executes or fetches', () => {
  it.each([
    ['remote-code-plain', PLAIN],
    ['remote-code-executes', EXECUTES],
  ])('%s, from the directory and from the Hub at a pinned commit', async (name, expected) => {
    const local = await scan({ targets: [repoDir(name)] });
    expect(hf(local.findings as unknown as Row[])).toEqual(expected);
    const env = { ...fastEnv(), HF_ENDPOINT: hub.url, HF_TOKEN: '' };
    const remote = await runCliJson(['scan', `hf://acme/${name}@${C}`], { env });
    expect(hf(remote.report.findings as Row[])).toEqual(expected);
  });
});
