/**
 * 7-Zip (7z-wasm: 7-Zip 24.09 compiled to WebAssembly) run on an in-memory archive. The wasm binary is
 * compiled once per thread; every archive gets a fresh instance (a C++ exception leaves an instance
 * unusable). 7-Zip never prompts: a dummy password makes encrypted members fail instead of reading
 * stdin. Output goes to the instance's in-memory file system, so callers bound what they extract.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SevenZipModule, SevenZipModuleFactory } from '7z-wasm';

/** The slice of the WebAssembly API we use (not in the Node typings this project compiles against). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: Promise<object> | undefined;

export interface SevenZipRun {
  code: number;
  /** 7-Zip threw (a C++ exception surfaced as a number) */
  threw: boolean;
  lines: string[];
}

export interface SevenZipSession {
  fs: SevenZipModule['FS'];
  run(args: string[]): SevenZipRun;
}

const NO_PASSWORD = '-pmlvet-no-password';

export async function openSevenZip(archive: Uint8Array): Promise<SevenZipSession> {
  const require = createRequire(import.meta.url);
  // the package is UMD: require() gives the factory itself
  const factory = require('7z-wasm') as SevenZipModuleFactory;
  compiled ??= readFile(require.resolve('7z-wasm/7zz.wasm')).then((b) => WA.compile(b));
  const wasm = await compiled;
  let lines: string[] = [];
  const opts = {
    print: (s: string) => void lines.push(s),
    printErr: (s: string) => void lines.push(s),
    stdin: () => null,
    instantiateWasm: (imports: object, done: (instance: object, module: object) => void) => {
      void WA.instantiate(wasm, imports).then((inst) => done(inst, wasm));
      return {};
    },
  };
  const mod = await factory(opts as unknown as Parameters<SevenZipModuleFactory>[0]);
  mod.FS.writeFile('/archive', archive);
  return {
    fs: mod.FS,
    run(args: string[]): SevenZipRun {
      lines = [];
      try {
        const code = mod.callMain([...args, NO_PASSWORD, '-bd', '-y', '/archive']) as unknown;
        return { code: typeof code === 'number' ? code : 0, threw: false, lines };
      } catch (e) {
        const code = typeof e === 'object' && e !== null && 'status' in e ? Number(e.status) : 2;
        return { code, threw: typeof e === 'number', lines };
      }
    },
  };
}

export interface SevenZipEntry {
  path: string;
  size: number;
  dir: boolean;
  encrypted: boolean;
  /** unix mode string from Attributes (`lrwxrwxrwx` for links), if stored */
  mode: string;
}

/** Parse `7zz l -slt` output: the blocks after the `----------` line. */
export function parseListing(lines: readonly string[]): { type: string; entries: SevenZipEntry[] } {
  const at = lines.indexOf('----------');
  let type = '';
  for (const l of lines.slice(0, at < 0 ? lines.length : at)) if (l.startsWith('Type = ')) type = l.slice(7);
  const entries: SevenZipEntry[] = [];
  let cur: Record<string, string> = {};
  const flush = (): void => {
    if (cur.Path === undefined) return;
    const attrs = cur.Attributes ?? '';
    entries.push({
      path: cur.Path,
      size: Number(cur.Size ?? 0) || 0,
      dir: cur.Folder === '+' || attrs.startsWith('D'),
      encrypted: cur.Encrypted === '+',
      mode: attrs.split(' ')[1] ?? '',
    });
    cur = {};
  };
  for (const l of at < 0 ? [] : lines.slice(at + 1)) {
    if (l === '') flush();
    const m = /^(\w[\w ]*?) = (.*)$/.exec(l);
    if (m) cur[m[1]!] = m[2]!;
  }
  flush();
  return { type, entries };
}
