/**
 * pip requirements files: dependencies without an exact pin (`==`/`===`) or a hash, VCS references
 * without a full commit, and plain-HTTP indexes. Parsed line by line as pip does (continuations,
 * comments, options), with PEP 508 names, extras, specifiers and markers.
 */
import type { Fact } from '../../model/facts.js';
import { isLoopbackHost } from './urls.js';

interface Line {
  text: string;
  line: number;
}

/** Logical lines: backslash continuations joined, comments (` #` or line-initial `#`) removed. */
function logicalLines(src: string): Line[] {
  const out: Line[] = [];
  let cur = '';
  let start = 0;
  src.split(/\r?\n/).forEach((raw, i) => {
    if (cur === '') start = i + 1;
    const noComment = raw.replace(/(^|\s)#.*$/, '');
    if (noComment.endsWith('\\')) {
      cur += noComment.slice(0, -1) + ' ';
      return;
    }
    cur += noComment;
    if (cur.trim()) out.push({ text: cur, line: start });
    cur = '';
  });
  return out;
}

function httpIndex(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && !isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

/** Is a PEP 508 requirement exactly pinned? */
export function requirementPinned(req: string, hashed: boolean): boolean {
  const at = /@\s*(\S+)/.exec(req);
  if (at || /^(git|hg|svn|bzr)\+/.test(req.trim())) {
    const url = at ? at[1]! : req.trim();
    if (/[#&]sha256=[0-9a-f]{64}/i.test(url)) return true;
    return /@[0-9a-f]{40}(#|$)/.test(url.replace(/^[a-z+]+:\/\/[^@/]*@/, ''));
  }
  if (hashed) return true;
  const spec = req.replace(/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?/, '').split(';')[0]!.trim().replace(/^\(|\)$/g, '');
  return /^===?\s*[^\s,*!<>=~]+$/.test(spec);
}

export function requirementsFacts(src: string, path: string): Fact[] {
  const facts: Fact[] = [];
  for (const { text, line } of logicalLines(src)) {
    const t = text.trim();
    const column = text.indexOf(t[0]!) + 1;
    const opt = /^(-i|--index-url|--extra-index-url|-f|--find-links)[\s=]+(\S+)/.exec(t);
    if (opt) {
      if (httpIndex(opt[2]!)) facts.push({ kind: 'source.insecure-url', location: { path, line, column }, data: { url: opt[2], context: 'requirements', key: opt[2] } });
      continue;
    }
    const editable = /^(-e|--editable)[\s=]+(\S+)/.exec(t);
    if (t.startsWith('-') && !editable) continue; // -r, -c, --require-hashes, …
    const req = editable ? editable[2]! : t.replace(/\s--hash[=\s]\S+/g, '').trim();
    if (editable && !/^(git|hg|svn|bzr)\+/.test(req)) continue; // local editable path
    const hashed = /--hash[=\s]sha(256|384|512):/.test(t);
    const name = /#egg=([\w.-]+)/.exec(req)?.[1] ?? /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(req)?.[0] ?? req;
    if (!requirementPinned(req, hashed)) {
      facts.push({ kind: 'dependency.unpinned', location: { path, line, column }, data: { manager: 'pip', name, spec: req, key: name } });
    }
    const url = /@\s*(http:\/\/\S+)/.exec(req)?.[1];
    if (url && httpIndex(url)) {
      facts.push({ kind: 'source.insecure-url', location: { path, line, column }, data: { url, context: 'requirements', key: url } });
    }
  }
  return facts;
}
