/**
 * The opcode loop's warm-up (src/formats/pickle/warm.ts): its pickles leave the loop through the exits
 * they are there for, and a stream large enough to trigger it reports only its own events.
 */
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { isMlvetError } from '../../src/errors.js';
import { SILENT_EVENTS } from '../../src/formats/pickle/events.js';
import { PickleMachine, type MachineEvents } from '../../src/formats/pickle/machine.js';
import { warmRuns } from '../../src/formats/pickle/warm.js';
import { Window } from '../../src/formats/pickle/window.js';
import { DEFAULT_BUDGETS } from '../../src/model/budgets.js';

async function outcome(bytes: Uint8Array, ev: MachineEvents, startOpcodes = 0): Promise<{ code: string; opcodes: number }> {
  const m = new PickleMachine(new Window(new BufferReader(bytes)), 0, ev, { budgets: DEFAULT_BUDGETS, deadline: Date.now() + 5000 });
  m.opcodes = startOpcodes;
  try {
    await m.run();
    return { code: 'STOP', opcodes: m.opcodes - startOpcodes };
  } catch (e) {
    if (!isMlvetError(e)) throw e;
    return { code: e.code, opcodes: m.opcodes - startOpcodes };
  }
}

describe('warm-up', () => {
  it('a 2 MiB stream (which warms the loop up first) reports its own import and nothing of the warm-up', async () => {
    const head = [0x80, 2, 0x63, ...Buffer.from('os\nsystem\n'), 0x71, 0, 0x42];
    const payload = 2 << 20;
    const bytes = new Uint8Array(head.length + 4 + payload + 2);
    bytes.set(head);
    new DataView(bytes.buffer).setUint32(head.length, payload, true);
    bytes.set([0x30, 0x2e], bytes.length - 2); // POP STOP
    const seen: string[] = [];
    const ev: MachineEvents = { ...SILENT_EVENTS, global: (g) => void seen.push(`${g.module}.${g.name}`), mutation: () => void seen.push('mutation') };
    expect(await outcome(bytes, ev)).toEqual({ code: 'STOP', opcodes: 6 });
    expect(seen).toEqual(['os.system']);
  });

  const runs = warmRuns();
  const expected = ['STOP', 'STOP', 'STOP', 'TRUNCATED', 'TRUNCATED', 'TRUNCATED'];
  it.each(runs.map((w, i) => [i, expected[i]!, w] as const))('run %i ends with %s', async (_i, code, w) => {
    const r = await outcome(w.bytes, SILENT_EVENTS, w.opcodes);
    expect(r.code).toBe(code);
    // every run goes through all 48 units before it ends
    expect(r.opcodes).toBeGreaterThan(1700);
  });
  it('has one run per exit of the loop', () => expect(runs.length).toBe(expected.length));
});
