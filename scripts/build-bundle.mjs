#!/usr/bin/env node
// Bundles the CLI for start-up (issue 16): tsc's dist/cli/main.js and everything a local scan needs
// become a few ES modules in dist/bundle/ (entry dist/bundle/mlvet.mjs, the `mlvet` bin), instead of
// ~200 files resolved and compiled one by one. `npm run build` runs this after tsc and the rule pack;
// the library entry (dist/index.js) stays tsc's output.
//
// - Each command, remote source and lazily loaded stage stays behind its dynamic import(), as a chunk
//   of its own (esbuild `splitting`): `mlvet scan` of a file loads no validation, lineage or SDK code.
// - Only the small pure-JS packages on the paths of the commands are inlined (INLINE); every other
//   dependency stays external and loads from node_modules on first use, as before: the remote SDKs,
//   DuckDB's native binding, the wasm packages (h5wasm and 7z-wasm read their .wasm beside
//   themselves; hash-wasm, for blake3 only), ajv and CycloneDX (loaded through createRequire),
//   sigstore. A new dependency is external until listed here.
// - Files found at run time by path (rules/, schemas/, the rule pack, docs/rules, package.json, the
//   worker scripts, createRequire bases) are found from `import.meta.url`. In the bundle every module's
//   `import.meta.url` is rewritten to the URL of its own tsc output (dist/<same path>.js), so all of them
//   resolve exactly as in the unbundled build. Worker scripts are bundled entries of their own (below).
// - Without esbuild (an install without dev dependencies), dist/bundle/mlvet.mjs is a two-line shim
//   that imports dist/cli/main.js, so the bin still works, only slower to start.
//
//   node scripts/build-bundle.mjs            build dist/bundle/
//   node scripts/build-bundle.mjs --analyze  also print the bytes of each chunk and what it holds
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
export const OUT_DIR = join(DIST, 'bundle');
const ENTRY = join(DIST, 'cli', 'main.js');
const OUT_ENTRY = join(OUT_DIR, 'mlvet.mjs');

/**
 * Dependencies inlined into the bundle: pure JavaScript, no files read beside themselves (wasm, where
 * there is any, is inline base64). The first row is on a scan's path; the second only in the lazily
 * loaded validation chunks, where it saves `mlvet validate` the resolution of ~200 package files
 * (0.35 -> 0.22 s CPU for a small CSV), with the packages' own dependencies (flatbuffers and tslib for
 * Arrow, hysnappy for hyparquet-compressors). Not seek-bzip: it calls `new Buffer(n)`, which Node
 * flags (DEP0005) only outside node_modules.
 */
export const INLINE = [
  ...['commander', 'js-yaml', 'picomatch', 'smol-toml', 'fzstd', 'xz-decompress', '@huggingface/jinja'],
  ...['apache-arrow', 'flatbuffers', 'tslib', 'hyparquet', 'hyparquet-compressors', 'hysnappy', 'csv-parse', 're2js'],
];

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});
const external = deps.filter((d) => !INLINE.includes(d)).flatMap((d) => [d, `${d}/*`]);

/** The package a bundled input belongs to (`node_modules/@a/b/x.js` → `@a/b`), or undefined for ours. */
function packageOf(input) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m?.[1];
}

// A worker thread's script is found beside the module that starts it: `workerScript(import.meta.url,
// './pool-worker.js')` (src/package.ts). Each such script is bundled too, as an entry of its own
// (dist/scanners/pool-worker.js → dist/bundle/worker-scanners-pool-worker.mjs), and that call is
// pointed at it: a worker then loads a few chunks instead of ~150 files (half its start-up CPU).
const WORKER_CALL = /\bworkerScript\(import\.meta\.url, '(\.\/[^']+\.js)'\)/g;
const workerEntry = (script) => `worker-${relative(DIST, script).replace(/\.js$/, '').split(sep).join('-')}`;

/** Every worker script a dist/ module starts through workerScript, by its bundle entry name. */
function workerScripts(dir = DIST, found = {}) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && p !== OUT_DIR) workerScripts(p, found);
    else if (e.isFile() && e.name.endsWith('.js')) {
      for (const m of readFileSync(p, 'utf8').matchAll(WORKER_CALL)) {
        const script = join(dirname(p), m[1]);
        if (existsSync(script)) found[workerEntry(script)] = script;
      }
    }
  }
  return found;
}

// Every other use of import.meta.url sees its own tsc output's URL: the bundle's files all sit in
// OUT_DIR, one level below dist/, so `new URL('../x/y.js', <this chunk's URL>)` is dist/x/y.js
// whichever chunk the module lands in.
const metaUrl = {
  name: 'mlvet-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(DIST + sep)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      const rest = text.replace(/\bimport\.meta\.url\b/g, '');
      if (/\bimport\.meta\b/.test(rest)) throw new Error(`${relative(ROOT, args.path)}: import.meta other than import.meta.url; teach scripts/build-bundle.mjs what it should be`);
      const rel = relative(OUT_DIR, args.path).split(sep).join('/');
      const workers = [];
      const held = text.replace(WORKER_CALL, (call, name) => {
        const script = join(dirname(args.path), name);
        if (!existsSync(script)) return call;
        workers.push(`workerScript(import.meta.url, './${workerEntry(script)}.mjs')`);
        return `\0worker${workers.length - 1}\0`;
      });
      const contents = held.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(rel)}, import.meta.url).href`).replace(/\0worker(\d+)\0/g, (_, i) => workers[Number(i)]);
      return { contents, loader: 'js' };
    });
  },
};

async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return undefined;
  }
}

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${relative(ROOT, ENTRY)} is missing: run tsc first (npm run build)`);
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const esbuild = await loadEsbuild();
  if (!esbuild) {
    writeFileSync(OUT_ENTRY, `#!/usr/bin/env node\n// esbuild was not installed when this was built: the unbundled CLI\nimport '../cli/main.js';\n`);
    chmodSync(OUT_ENTRY, 0o755);
    console.warn('build-bundle: esbuild not found; dist/bundle/mlvet.mjs imports dist/cli/main.js');
    return;
  }
  const common = {
    // metafile paths (the checks below) relative to the package root, whatever the caller's cwd
    absWorkingDir: ROOT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: `node${pkg.engines.node.replace(/^>=/, '')}`,
    external,
    // inlined CommonJS packages require() Node's built-ins (xz-decompress: stream/web); esbuild's
    // shim needs a real `require` in an ES module
    banner: { js: "import { createRequire as __mlvetCreateRequire } from 'node:module';\nconst require = __mlvetCreateRequire(import.meta.url);" },
    plugins: [metaUrl],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  };
  // the CLI split into chunks; each worker script one file of its own, so the workers' entries do not
  // cut the CLI's chunks finer (a scan would load more of them)
  const results = await Promise.all([
    esbuild.build({ ...common, entryPoints: { mlvet: ENTRY }, outdir: OUT_DIR, splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: '[name]-[hash]' }),
    ...Object.entries(workerScripts()).map(([name, script]) => esbuild.build({ ...common, entryPoints: [script], outfile: join(OUT_DIR, `${name}.mjs`) })),
  ]);
  const inputs = [...new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)))];
  const stray = [...new Set(inputs.map(packageOf).filter((p) => p !== undefined && !INLINE.includes(p)))];
  if (stray.length) throw new Error(`build-bundle: packages inlined that are not in INLINE: ${stray.join(', ')} (add them to INLINE, or to package.json dependencies so they stay external)`);
  const ours = inputs.filter((i) => packageOf(i) === undefined && !i.startsWith('dist/'));
  if (ours.length) throw new Error(`build-bundle: inputs outside dist/: ${ours.join(', ')}`);
  chmodSync(OUT_ENTRY, 0o755);
  const outputs = results.flatMap((r) => Object.entries(r.metafile.outputs)).filter(([k]) => k.endsWith('.mjs'));
  const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
  const workers = results.length - 1;
  console.log(`build-bundle: ${relative(ROOT, OUT_ENTRY)}, ${outputs.length - 1 - workers} chunks and ${workers} worker scripts, ${(bytes / 1024).toFixed(0)} KiB, from ${inputs.length} modules`);
  if (process.argv.includes('--analyze')) {
    for (const [file, o] of outputs.sort((a, b) => b[1].bytes - a[1].bytes)) {
      const by = new Map();
      for (const [i, v] of Object.entries(o.inputs)) {
        const k = packageOf(i) ?? i.split('/').slice(0, 3).join('/');
        by.set(k, (by.get(k) ?? 0) + v.bytesInOutput);
      }
      const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}K`);
      console.log(`  ${relative(ROOT, file).padEnd(40)} ${(o.bytes / 1024).toFixed(0).padStart(5)} KiB  ${top.join(', ')}`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
