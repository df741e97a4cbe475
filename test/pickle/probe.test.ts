/**
 * looksLikePickle on protocol 0/1 heads (no magic): the probe stops at the first identifier-like import,
 * so what follows an import no longer matters, and everything without one is judged as before.
 */
import { describe, expect, it } from 'vitest';
import { looksLikePickle } from '../../src/formats/pickle/probe.js';

const t = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const b = (...x: number[]): Uint8Array => Uint8Array.from(x);

describe('looksLikePickle', () => {
  it.each<[string, Uint8Array, number | undefined, boolean]>([
    ['GLOBAL, call, STOP', t("cposix\nsystem\n(S'echo hi'\ntR."), undefined, true],
    ['GLOBAL then bytes no unpickler accepts', t('cos\nsystem\n\xff\xfe\xfd'), undefined, true],
    ['GLOBAL then a stack underflow', t('cos\nsystem\nR'), undefined, true],
    ['INST then garbage', t('(ios\nsystem\n\xff'), undefined, true],
    ['EXT1 then garbage', b(0x82, 7, 0xff), undefined, true],
    ['STACK_GLOBAL then garbage', t("S'os'\nS'system'\n\x93\xff"), undefined, true],
    ['a GLOBAL line that is not a dotted name (Python source)', t('class Net(Module):\n    pass\n'), undefined, false],
    ['protocol 0 data to STOP, no import', t('(lp0\nI1\naI2\na.'), undefined, true],
    ['protocol 0 data cut at the end of a whole file', t('(lp0\nI1\naI2\na'), undefined, true],
    ['text that breaks at once', t('hello world\n'), undefined, false],
    ['a GLOBAL cut before its last newline', t('cposix\nsystem'), undefined, true],
    ['PROTO 2', b(0x80, 2, 0x4e, 0x2e), undefined, true],
  ])('%s', async (_name, head, size, expected) => {
    expect(await looksLikePickle(head, size ?? head.length)).toBe(expected);
  });
});
