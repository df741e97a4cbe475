/**
 * A small Hugging Face Hub for tests: fixture repos served over the endpoints and JSON shapes the real
 * Hub uses, so the real `@huggingface/hub` client talks to it through `HF_ENDPOINT`:
 * - `GET /api/{models|datasets|spaces}/{repo}/revision/{rev}` → repo info with `sha`
 * - `GET /api/{type}s/{repo}/tree/{rev}[/{path}]?recursive&expand` → entries (`oid`, `size`,
 *   `lfs{oid,size,pointerSize}`, `lastCommit`, `securityFileStatus`), paginated by `Link: rel="next"`
 * - `GET|HEAD /[datasets/|spaces/]{repo}/resolve/{rev}/{path}` with `Range`, `X-Repo-Commit`, `ETag`,
 *   and for LFS files `X-Linked-Etag`/`X-Linked-Size` and a 302 to a CDN path, as huggingface.co does.
 * Private and gated repos answer 401/403 with `X-Error-Code` unless the Bearer token is granted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gitBlobOf, sha256Of, type Blob } from './blobs.js';
import { applyFault, Faults } from './faults.js';

export interface HubFile {
  path: string;
  blob: Blob;
  /** stored with LFS (big binaries); the tree then reports `lfs.oid` = sha256 */
  lfs?: boolean;
  /** precomputed sha256 (for huge generated blobs) */
  sha256?: string;
  /** served as `securityFileStatus` with expand=true */
  security?: unknown;
}

export interface HubRepo {
  type?: 'model' | 'dataset' | 'space';
  id: string;
  /** commit sha → files */
  commits: Record<string, HubFile[]>;
  /** branch or tag → commit sha */
  refs: Record<string, string>;
  private?: boolean;
  gated?: boolean;
}

export interface HubServer {
  url: string;
  faults: Faults;
  /** body bytes served by resolve/CDN, per repo path */
  served: Map<string, number>;
  requests: string[];
  close(): Promise<void>;
}

type Found = { repo: HubRepo; rest: string[] };

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

export async function startHubServer(opts: { repos: HubRepo[]; tokens?: string[]; pageSize?: number }): Promise<HubServer> {
  const faults = new Faults();
  const served = new Map<string, number>();
  const requests: string[] = [];
  const digests = new Map<Blob, { sha256: string; oid: string }>();
  const byLfs = new Map<string, { file: HubFile; repo: HubRepo; commit: string }>();
  const digestOf = (f: HubFile): { sha256: string; oid: string } => {
    let d = digests.get(f.blob);
    if (!d) digests.set(f.blob, (d = { sha256: f.sha256 ?? sha256Of(f.blob), oid: f.lfs ? '' : gitBlobOf(f.blob) }));
    return d;
  };
  let base = '';

  function findRepo(type: string, segs: string[]): Found | undefined {
    for (const repo of opts.repos) {
      if ((repo.type ?? 'model') !== type) continue;
      const id = repo.id.split('/');
      if (id.every((s, i) => segs[i] === s)) return { repo, rest: segs.slice(id.length) };
    }
    return undefined;
  }

  /** 401/403 for private or gated repos the caller may not see; true when the request may proceed. */
  function allowed(req: IncomingMessage, res: ServerResponse, repo: HubRepo): boolean {
    if (!repo.private && !repo.gated) return true;
    const auth = req.headers.authorization ?? '';
    const tok = auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (tok && (opts.tokens ?? []).includes(tok)) return true;
    if (repo.gated && tok) {
      json(res, 403, { error: `Access to model ${repo.id} is restricted and you are not in the authorized list.` }, { 'x-error-code': 'GatedRepo' });
    } else if (repo.gated) {
      json(res, 401, { error: `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it.` }, { 'x-error-code': 'GatedRepo' });
    } else {
      json(res, 401, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
    }
    return false;
  }

  function commitOf(repo: HubRepo, rev: string): string | undefined {
    if (repo.commits[rev]) return rev;
    return repo.refs[rev === 'HEAD' ? 'main' : rev];
  }

  function revisionInfo(res: ServerResponse, repo: HubRepo, rev: string): void {
    const sha = commitOf(repo, rev);
    if (!sha) return json(res, 404, { error: `Invalid rev id: ${rev}` }, { 'x-error-code': 'RevisionNotFound' });
    const files = repo.commits[sha] ?? [];
    json(res, 200, {
      _id: `id-${repo.id}`,
      id: repo.id,
      sha,
      private: repo.private ?? false,
      gated: repo.gated ? 'auto' : false,
      downloads: 0,
      likes: 0,
      lastModified: '2026-01-01T00:00:00.000Z',
      siblings: files.map((f) => ({ rfilename: f.path })),
    });
  }

  function listRepos(type: string, author: string | null): unknown[] {
    return opts.repos
      .filter((r) => (r.type ?? 'model') === type && !r.private && !r.gated && (!author || r.id.startsWith(`${author}/`)))
      .map((r) => ({ _id: `id-${r.id}`, id: r.id, sha: commitOf(r, 'main'), private: false, gated: false, downloads: 0, likes: 0, lastModified: '2026-01-01T00:00:00.000Z' }));
  }

  function treeEntries(repo: HubRepo, sha: string, sub: string, recursive: boolean, expand: boolean): unknown[] {
    const files = (repo.commits[sha] ?? []).filter((f) => !sub || f.path === sub || f.path.startsWith(sub + '/'));
    const dirs = new Set<string>();
    const out: unknown[] = [];
    for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
      const rel = sub ? f.path.slice(sub.length + 1) : f.path;
      if (!recursive && rel.includes('/')) {
        dirs.add((sub ? sub + '/' : '') + rel.split('/')[0]);
        continue;
      }
      const parts = f.path.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      const d = digestOf(f);
      out.push({
        type: 'file',
        oid: f.lfs ? '0'.repeat(40) : d.oid,
        size: f.blob.size,
        path: f.path,
        ...(f.lfs ? { lfs: { oid: d.sha256, size: f.blob.size, pointerSize: 134 } } : {}),
        ...(expand ? { lastCommit: { id: sha, title: 'fixture', date: '2026-01-01T00:00:00.000Z' } } : {}),
        ...(expand && f.security ? { securityFileStatus: f.security } : {}),
      });
    }
    const dirEntries = [...dirs].filter((d) => !sub || d.startsWith(sub + '/')).map((d) => ({ type: 'directory', oid: '1'.repeat(40), size: 0, path: d }));
    return [...dirEntries, ...out];
  }

  function tree(req: IncomingMessage, res: ServerResponse, repo: HubRepo, rev: string, sub: string, q: URLSearchParams): void {
    const sha = commitOf(repo, rev);
    if (!sha) return json(res, 404, { error: `Invalid rev id: ${rev}` }, { 'x-error-code': 'RevisionNotFound' });
    const all = treeEntries(repo, sha, sub, q.get('recursive') === 'true', q.get('expand') === 'true');
    if (sub && all.length === 0) return json(res, 404, { error: `Entry not found` }, { 'x-error-code': 'EntryNotFound' });
    const size = opts.pageSize ?? 50;
    const cursor = Number(q.get('cursor') ?? 0);
    const page = all.slice(cursor, cursor + size);
    const headers: Record<string, string> = {};
    if (cursor + size < all.length) {
      const next = new URL(req.url ?? '/', base);
      next.searchParams.set('cursor', String(cursor + size));
      headers.link = `<${next.href}>; rel="next"`;
    }
    json(res, 200, page, headers);
  }

  function sendRange(req: IncomingMessage, res: ServerResponse, f: HubFile, extra: Record<string, string>): void {
    const size = f.blob.size;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = size - 1;
    let status = 200;
    if (m) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      if (start >= size) return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      status = 206;
    }
    const headers: Record<string, string> = { ...extra, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    const body = req.method === 'HEAD' ? new Uint8Array(0) : f.blob.read(start, end - start + 1);
    const fault = faults.take(req);
    if (fault) return applyFault(fault, res, status, headers, body);
    served.set(f.path, (served.get(f.path) ?? 0) + body.length);
    res.writeHead(status, { ...headers, 'content-length': String(req.method === 'HEAD' ? end - start + 1 : body.length) }).end(body);
  }

  function resolve(req: IncomingMessage, res: ServerResponse, repo: HubRepo, rev: string, path: string): void {
    const sha = commitOf(repo, rev);
    const f = sha ? repo.commits[sha]?.find((x) => x.path === path) : undefined;
    if (!sha || !f) return json(res, 404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
    const d = digestOf(f);
    if (f.lfs) {
      byLfs.set(d.sha256, { file: f, repo, commit: sha });
      res.writeHead(302, {
        location: `${base}/cdn-lfs/${d.sha256}?path=${encodeURIComponent(path)}`,
        'x-repo-commit': sha,
        'x-linked-etag': `"${d.sha256}"`,
        'x-linked-size': String(f.blob.size),
        etag: `"${d.sha256}"`,
      });
      return void res.end();
    }
    sendRange(req, res, f, { 'x-repo-commit': sha, etag: `"${d.oid}"` });
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', base);
    requests.push(`${req.method} ${u.pathname}${u.search}`);
    const segs = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segs[0] === 'cdn-lfs') {
      const hit = byLfs.get(segs[1] ?? '');
      return hit ? sendRange(req, res, hit.file, { etag: `"${segs[1]}"` }) : json(res, 404, { error: 'no such object' });
    }
    if (segs[0] === 'api' && ['models', 'datasets', 'spaces'].includes(segs[1] ?? '')) {
      const fault = faults.take(req);
      if (fault) return applyFault(fault, res, 200, { 'content-type': 'application/json' }, new TextEncoder().encode('[]'));
      // the list endpoints (`/api/models?author=org&expand=sha`), as listModels/listDatasets call them
      if (segs.length === 2) return json(res, 200, listRepos(segs[1]!.slice(0, -1), u.searchParams.get('author')));
      const found = findRepo(segs[1]!.slice(0, -1), segs.slice(2));
      if (!found) return json(res, 401, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
      if (!allowed(req, res, found.repo)) return;
      const [op, rev = 'main', ...sub] = found.rest;
      if (op === 'revision') return revisionInfo(res, found.repo, rev);
      if (op === 'tree') return tree(req, res, found.repo, rev, sub.join('/'), u.searchParams);
      return json(res, 404, { error: 'unknown api' });
    }
    const type = segs[0] === 'datasets' ? 'dataset' : segs[0] === 'spaces' ? 'space' : 'model';
    const found = findRepo(type, type === 'model' ? segs : segs.slice(1));
    if (!found) return json(res, 401, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
    if (!allowed(req, res, found.repo)) return;
    const [op, rev = 'main', ...path] = found.rest;
    if (op === 'resolve') return resolve(req, res, found.repo, rev, path.join('/'));
    json(res, 404, { error: 'not found' });
  }

  const server: Server = createServer((req, res) => {
    try {
      route(req, res);
    } catch (e) {
      json(res, 500, { error: String(e) });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    faults,
    served,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
