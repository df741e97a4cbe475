/**
 * FRAME accounting. The C unpickler only checks that a frame is fully present, then reads on
 * linearly; the Python unpickler reads frame by frame. An opcode straddling its frame, or a frame
 * inside a frame, is read differently by the two (cpython issue 154848): report it, with the bytes
 * the readings disagree about, so the scanner re-reads them as opcodes.
 */
import { fail } from './error.js';
import type { MachineEvents } from './events.js';
import type { OpInfo } from './opcodes.js';

export class Frames {
  /** end of the current FRAME, or -1 */
  end = -1;

  constructor(private readonly ev: MachineEvents) {}

  /** After each opcode inside a frame: [at, opEnd) is the opcode. */
  check(info: OpInfo, at: number, opEnd: number): void {
    if (at >= this.end) this.end = -1;
    else if (opEnd > this.end) {
      this.ev.frameDivergence(at, `${info.name} at ${at} runs past the end of its FRAME at ${this.end}`, at + 1, opEnd + 16);
      this.end = -1;
    }
  }

  /** FRAME at `at` (its 8-byte length at b[p+1..]); the frame's bytes start at `after`. */
  enter(b: Uint8Array, p: number, at: number, after: number, size: number): void {
    const lo = (b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24)) >>> 0;
    const hi = (b[p + 5]! | (b[p + 6]! << 8) | (b[p + 7]! << 16) | (b[p + 8]! << 24)) >>> 0;
    const flen = hi * 0x100000000 + lo;
    if (hi >= 0x80000000) fail('PARSE_ERROR', "FRAME length exceeds system's maximum", at);
    if (after + flen > size) fail('TRUNCATED', `FRAME of ${flen} bytes runs past end of data`, at);
    if (this.end >= 0 && at < this.end) {
      this.ev.frameDivergence(at, `FRAME at ${at} begins inside the frame ending at ${this.end}`, at + 1, this.end + 16);
    }
    this.end = after + flen;
  }
}
