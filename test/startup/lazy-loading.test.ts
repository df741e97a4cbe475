/**
 * Start-up loads only what the command needs (issue 16): from each command's module, the static
 * imports (`import … from`, `export … from`; not `import type`, not `import()`) are followed through
 * src/, and none may reach a heavy package a plain local run never uses. A dynamic `import()` is where
 * such a package may load, on first use. The lazy S3, Hub and HTTPS records must match the real ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../src/sources/index.js';
import { hfSource } from '../../src/sources/hf/index.js';
import { httpsSource } from '../../src/sources/https/index.js';
import { s3Source } from '../../src/sources/s3/index.js';
import { ROOT } from '../helpers/cli.js';

const STATIC = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s*)?'([^']+)'/g;

/** Every package reached through static imports from `entry`, with one path that reaches it. */
function staticPackages(entry: string): Map<string, string[]> {
  return staticGraph(entry).pkgs;
}

/** What `entry` reaches through static imports: packages (with one path each) and src/ files. */
function staticGraph(entry: string): { pkgs: Map<string, string[]>; files: string[] } {
  const pkgs = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, path: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(STATIC)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(ts)) walk(ts, [...path, ts.slice(ROOT.length + 1)]);
      } else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!pkgs.has(name)) pkgs.set(name, path);
      }
    }
  };
  walk(join(ROOT, entry), [entry]);
  return { pkgs, files: [...seen].map((f) => f.slice(ROOT.length + 1)) };
}

const COMMANDS = ['scan', 'sign', 'verify', 'keygen', 'profile', 'validate', 'rules', 'report', 'audit'].map((c) => `src/cli/commands/${c}.ts`);

// packages a local scan, sign or verify of files never runs: remote SDKs, wasm, the schema compiler, dataset readers
const HEAVY = ['@aws-sdk/client-s3', '@huggingface/hub', 'h5wasm', '7z-wasm', 'ajv', 'apache-arrow', '@duckdb/node-api', 'hash-wasm', '@sigstore/verify', 'hyparquet', 'csv-parse', '@cyclonedx/cyclonedx-library'];

describe('start-up loads only what the command needs', () => {
  // every command module: `mlvet --help` registers them all, and loads what they import
  it.each(COMMANDS)('%s reaches no heavy package statically', (entry) => {
    const pkgs = staticPackages(entry);
    const heavy = HEAVY.filter((p) => pkgs.has(p)).map((p) => `${p} via ${pkgs.get(p)!.join(' -> ')}`);
    expect(heavy).toEqual([]);
  });

  // loaded on first use: the HTML and CycloneDX renderers, the https source (and artifact/remote), the bzip2/xz/zstd decoders
  it.each(COMMANDS)('%s reaches no lazily loaded renderer, source or decoder statically', (entry) => {
    const { pkgs, files } = staticGraph(entry);
    const lazy = /^src\/(reporters\/(html|cyclonedx)|sources\/https\/index|artifact\/remote\/)/;
    expect(files.filter((f) => lazy.test(f))).toEqual([]);
    expect(['seek-bzip', 'xz-decompress', 'fzstd'].filter((p) => pkgs.has(p))).toEqual([]);
  });

  // run.ts (every command's error path) and the commands that write no report: no reporter, rules engine or config
  it.each(['src/cli/run.ts', ...['sign', 'keygen', 'profile'].map((c) => `src/cli/commands/${c}.ts`)])('%s reaches no reporter, findings policy or config statically', (entry) => {
    const { pkgs, files } = staticGraph(entry);
    expect(files.filter((f) => /^src\/(reporters\/|findings\/policy|config\/config|cli\/output)/.test(f))).toEqual([]);
    expect(pkgs.has('picomatch')).toBe(false);
  });

  it('src/cli/main.ts answers --version before loading any package (commander included)', () => {
    expect([...staticPackages('src/cli/main.ts').keys()]).toEqual([]);
  });

  it('the parser sees what a real import graph holds (the scanners reach js-yaml, a command commander, a reader apache-arrow)', () => {
    expect(staticPackages('src/scan.ts').has('js-yaml')).toBe(true);
    expect(staticPackages('src/cli/commands/scan.ts').has('commander')).toBe(true);
    expect(staticPackages('src/validation/readers/arrow.ts').has('apache-arrow')).toBe(true);
    // ajv loads only for a json_schema expectation (createRequire on use), so the GX registry does not reach it
    expect(staticPackages('src/validation/gx/map-text-expectations.ts').has('ajv')).toBe(false);
  });

  it.each([
    ['s3', s3Source],
    ['hf', hfSource],
    ['https', httpsSource],
  ] as const)('the lazy %s record matches the real one', (kind, real) => {
    const lazy = SOURCES.find((s) => s.kind === kind)!;
    expect([lazy.kind, lazy.prefixes, lazy.provenance]).toEqual([real.kind, real.prefixes, real.provenance]);
  });
});
