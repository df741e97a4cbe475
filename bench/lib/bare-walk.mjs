#!/usr/bin/env node
// The floor for pickle scanning (issue 16): read each file and decode its opcodes and their inline
// arguments, nothing else (no stack, no memo, no values, no facts). Every later cost mlvet pays is
// measured against this. `node bench/lib/bare-walk.mjs <file or dir>…` prints opcodes and bytes walked.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

// arg kinds: 0 none, n>0 fixed n bytes, -1 line, -2 two lines, -11/-14/-18 length-prefixed (1/4/8-byte length)
const ARG = new Int8Array(256).fill(-100);
const set = (chars, kind) => { for (const c of chars) ARG[c.charCodeAt(0)] = kind; };
set('(.012NQRabde}]lotsu)\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98', 0);
set('Khq\x80\x82', 1);
set('M\x83', 2);
set('Jjr\x84', 4);
set('G\x95', 8);
set('FILPSVgp', -1);
set('ci', -2);
set('UC\x8a\x8c', -11);
set('TXB\x8b', -14);
set('\x8d\x8e\x96', -18);

/** Walk one pickle in a buffer; returns the opcode count, or -1 at a byte that is no opcode. */
export function walk(b, end = b.length) {
  let p = 0;
  let n = 0;
  while (p < end) {
    const op = b[p++];
    n++;
    const k = ARG[op];
    if (k === 0) {
      if (op === 0x2e) return n;
    } else if (k > 0) p += k;
    else if (k === -1) p = b.indexOf(10, p) + 1;
    else if (k === -2) p = b.indexOf(10, b.indexOf(10, p) + 1) + 1;
    else if (k === -11) p += 1 + b[p];
    else if (k === -14) p += 4 + b.readUInt32LE(p);
    else if (k === -18) p += 8 + Number(b.readBigUInt64LE(p));
    else return -1;
    if (p <= 0) return -1;
  }
  return n;
}

function* files(target) {
  if (statSync(target).isDirectory()) for (const n of readdirSync(target).sort()) yield* files(join(target, n));
  else yield target;
}

/** Walk every file under the targets, reading each into one reused buffer (files larger than it are read whole). */
export function walkAll(targets) {
  let buf = Buffer.alloc(1 << 20);
  let ops = 0;
  let bytes = 0;
  for (const t of targets)
    for (const f of files(t)) {
      const fd = openSync(f, 'r');
      const size = statSync(f).size;
      if (size > buf.length) buf = Buffer.alloc(size);
      let got = 0;
      while (got < size) got += readSync(fd, buf, got, size - got, got);
      closeSync(fd);
      ops += Math.max(0, walk(buf, size));
      bytes += size;
    }
  return { ops, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(walkAll(process.argv.slice(2))));
