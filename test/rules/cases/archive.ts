/** Rule tables for the `archive`, `artifact` and `zip` packs: container and tree facts. */
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

const inTar = { path: 'model.tar', member: '../../etc/cron.d/x' };
const traversal = fact('archive.path-traversal', { container: 'tar', name: '../../etc/cron.d/x', key: 'path-traversal:../../etc/cron.d/x' }, inTar);
const absolute = fact('archive.absolute-path', { container: 'zip', name: '/etc/passwd', key: 'absolute-path:/etc/passwd' }, { path: 'w.zip', member: '/etc/passwd' });
const link = fact(
  'archive.link',
  { container: 'tar', name: 'data/x', linkType: 'symlink', target: '/root/.ssh/id_rsa', escapes: true, key: 'link:data/x' },
  { path: 'model.tar', member: 'data/x' },
);
const special = fact('archive.special-file', { container: 'tar', name: 'dev/sda', fileType: 'block', typeflag: '4', key: 'special:dev/sda' }, { path: 'model.tar', member: 'dev/sda' });
const budget = (kind: string, ratio: number) =>
  fact('archive.decompression-budget', { container: 'gzip', codec: 'gzip', budget: kind, outBytes: 1024 * ratio, consumed: 1024, ratio, key: 'budget:gzip' }, { path: 'w.pkl.gz' });
const zipAt = (member: string) => ({ path: 'model.pt', member });

export const archiveTests: RuleTests[] = [
  defineRuleTests('archive/path-traversal', {
    valid: [{ name: 'an absolute path is another rule', facts: [absolute] }],
    invalid: [
      { name: '../ in a tar member', facts: [traversal], findings: [{ message: 'tar member ../../etc/cron.d/x contains ../ and would be written outside the extraction directory' }] },
    ],
  }),
  defineRuleTests('archive/absolute-path', {
    valid: [{ name: 'a traversal is another rule', facts: [traversal] }],
    invalid: [{ name: '/etc/passwd in a zip', facts: [absolute], findings: [{ message: 'zip member /etc/passwd has an absolute path' }] }],
  }),
  defineRuleTests('archive/decompression-bomb', {
    valid: [{ name: 'stopped by the size budget, not the ratio', facts: [budget('size', 2)] }],
    invalid: [
      { name: 'ratio budget', facts: [budget('ratio', 2000)], findings: [{ message: 'the gzip stream passed 2000:1 after 1024 compressed bytes and was stopped at 2048000 bytes' }] },
    ],
  }),
  defineRuleTests('archive/link', {
    valid: [{ name: 'a special file is another rule', facts: [special] }],
    invalid: [
      {
        name: 'symlink out of the archive',
        target: 'file:///m/model.tar',
        facts: [special, link],
        findings: [{ on: 1, message: 'tar member data/x is a symlink to /root/.ssh/id_rsa (escapes the archive: true)' }],
      },
    ],
  }),
  defineRuleTests('archive/special-file', {
    valid: [{ name: 'a link is another rule', facts: [link] }],
    invalid: [{ name: 'block device', facts: [special], findings: [{ message: 'tar member dev/sda is a block entry' }] }],
  }),
  defineRuleTests('artifact/special-file', {
    valid: [{ name: 'a broken symlink is not reported', facts: [fact('artifact.symlink-broken', { key: 'gone' }, { path: 'gone' })] }],
    invalid: [
      {
        name: 'FIFO',
        facts: [fact('artifact.special-file', { key: 'pipe' }, { path: 'pipe' })],
        findings: [{ message: 'pipe is not a regular file (device, FIFO or socket); it was not read' }],
      },
    ],
  }),
  defineRuleTests('artifact/symlink-escape', {
    valid: [{ name: 'an unreadable directory is not this rule', facts: [fact('artifact.unreadable', { error: 'EACCES' }, { path: 'sub' })] }],
    invalid: [
      {
        name: 'link to /etc',
        facts: [fact('artifact.symlink-escape', { target: '/etc/shadow', key: 'weights.bin' }, { path: 'weights.bin' })],
        findings: [{ message: 'weights.bin links to /etc/shadow, outside the scanned root: a loader that follows it reads files it should not (not followed by mlvet)' }],
      },
    ],
  }),
  defineRuleTests('zip/crc-mismatch', {
    valid: [{ name: 'flag bits on an unreadable member', facts: [fact('zip.flag-bits', { member: 'a', flags: 1, bits: ['encrypted'], readable: false, key: 'flags:a' }, zipAt('a'))] }],
    invalid: [
      {
        name: 'declared CRC differs',
        facts: [fact('zip.crc-mismatch', { member: 'archive/data.pkl', declared: '0x00000000', actual: '0x1c291ca3', key: 'crc:archive/data.pkl' }, zipAt('archive/data.pkl'))],
        findings: [{ message: 'archive/data.pkl: the directory says CRC 0x00000000 but the data hashes to 0x1c291ca3; PyTorch loads it anyway while zipfile-based scanners refuse it' }],
      },
    ],
  }),
  defineRuleTests('zip/duplicate-name', {
    valid: [{ name: 'an overlap is another rule', facts: [fact('zip.overlap', { member: 'b', other: 'a', key: 'overlap:b' }, zipAt('b'))] }],
    invalid: [
      {
        name: 'two data.pkl',
        facts: [fact('zip.duplicate-name', { member: 'archive/data.pkl', count: 2, key: 'duplicate-name:archive/data.pkl' }, zipAt('archive/data.pkl'))],
        findings: [{ message: '2 members are named archive/data.pkl; which one a reader returns depends on the reader' }],
      },
    ],
  }),
  defineRuleTests('zip/flag-bits', {
    valid: [{ name: 'flag bits on a member nobody can read', facts: [fact('zip.flag-bits', { member: 'a', flags: 1, bits: ['encrypted'], readable: false, key: 'flags:a' }, zipAt('a'))] }],
    invalid: [
      {
        name: 'encrypted bit on readable bytes',
        facts: [fact('zip.flag-bits', { member: 'archive/data.pkl', flags: 1, bits: ['encrypted'], readable: true, key: 'flags:archive/data.pkl' }, zipAt('archive/data.pkl'))],
        findings: [
          { message: 'archive/data.pkl has general-purpose flag bits encrypted set but its bytes are readable; PyTorch ignores the flags, zipfile-based scanners refuse the member' },
        ],
      },
    ],
  }),
  defineRuleTests('zip/name-mismatch', {
    valid: [{ name: 'prefix data is another rule', facts: [fact('zip.prefix-data', { length: 4, key: 'prefix-data:' }, { path: 'model.pt' })] }],
    invalid: [
      {
        name: 'local header names another file',
        facts: [fact('zip.name-mismatch', { member: 'archive/data.pkl', localName: 'archive/evil.pkl', key: 'name-mismatch:archive/data.pkl' }, zipAt('archive/data.pkl'))],
        findings: [{ message: 'archive/data.pkl is called archive/evil.pkl in its local header; PyTorch uses the central-directory name, zipfile refuses the mismatch' }],
      },
    ],
  }),
  defineRuleTests('zip/offset-shift', {
    valid: [{ name: 'prefix data is another rule', facts: [fact('zip.prefix-data', { length: 4, key: 'prefix-data:' }, { path: 'model.pt' })] }],
    invalid: [
      {
        name: 'directory moved',
        facts: [fact('zip.offset-shift', { shift: 512, key: 'offset-shift:' }, { path: 'model.pt' })],
        findings: [{ message: "the central directory is 512 bytes away from where the archive says; Python's zipfile adjusts for it, PyTorch does not" }],
      },
    ],
  }),
  defineRuleTests('zip/overlap', {
    valid: [{ name: 'a duplicate name is another rule', facts: [fact('zip.duplicate-name', { member: 'a', count: 2, key: 'duplicate-name:a' }, zipAt('a'))] }],
    invalid: [
      {
        name: 'member inside another',
        facts: [fact('zip.overlap', { member: 'archive/b', other: 'archive/a', key: 'overlap:archive/b' }, zipAt('archive/b'))],
        findings: [{ message: 'archive/b starts inside the data of archive/a' }],
      },
    ],
  }),
  defineRuleTests('zip/overlapping-entries', {
    valid: [{ name: 'one member inside another is zip/overlap', facts: [fact('zip.overlap', { member: 'b', other: 'a', key: 'overlap:b' }, zipAt('b'))] }],
    invalid: [
      {
        name: 'three entries over one range',
        facts: [
          fact(
            'zip.overlapping-entries',
            { members: ['a', 'b', 'c'], count: 3, ranges: 1, coincident: true, start: 30, end: 1054, notRescanned: 2, key: 'overlap:30-1054' },
            { path: 'bomb.zip' },
          ),
        ],
        findings: [{ message: '3 entries read the compressed bytes 30..1054 (1 distinct ranges); each range was scanned once, 2 entries not again: a, b, c' }],
      },
    ],
  }),
  defineRuleTests('zip/prefix-data', {
    valid: [{ name: 'an offset shift is another rule', facts: [fact('zip.offset-shift', { shift: 4, key: 'offset-shift:' }, { path: 'model.pt' })] }],
    invalid: [
      {
        name: 'bytes before the first entry',
        facts: [fact('zip.prefix-data', { length: 1024, key: 'prefix-data:' }, { path: 'model.pt' })],
        findings: [{ message: '1024 bytes precede the first ZIP entry; other readers may see them as a different file' }],
      },
    ],
  }),
];
