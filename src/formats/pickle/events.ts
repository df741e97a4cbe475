/** What the pickle machine reports as it runs, and how it is bounded. */
import type { Budgets } from '../../model/budgets.js';
import type { GlobalRef, PayloadRef, Value } from './values.js';

export type CallValue = Extract<Value, { t: 'call' }>;

export interface MachineEvents {
  /** a global was imported (GLOBAL, STACK_GLOBAL, INST, or a resolver call that yields one) */
  global(g: GlobalRef, proto: number): void;
  call(call: CallValue, proto: number): void;
  computedGlobal(offset: number, module: Value, name: Value): void;
  ext(offset: number, code: number): void;
  mutation(offset: number, target: Value, op: string, state?: Value): void;
  /** [from, to): the bytes the two readings disagree about, to be re-read as opcodes */
  frameDivergence(offset: number, detail: string, from: number, to: number): void;
  persid(offset: number): void;
  /** a bytes/str payload that starts like a pickle (probe candidate) */
  embeddedPickle(ref: PayloadRef | Uint8Array, offset: number): void;
  buffer(offset: number): void;
  /** a global pushed again (GET/BINGET/LONG_BINGET, DUP): one more copy on the stack, which can end anywhere */
  copied?(v: Extract<Value, { t: 'global' }>): void;
}

export interface MachineOptions {
  budgets: Budgets;
  /** stack underflow and missing memo keys produce unknown values instead of errors (resync scans) */
  lenient?: boolean;
  /** deadline, ms since epoch */
  deadline: number;
}

const noop = (): void => {};

/** Events that do nothing: for a run that only needs the machine's verdict, or a few events (`{ ...SILENT_EVENTS, call }`). */
export const SILENT_EVENTS: MachineEvents = {
  global: noop,
  call: noop,
  computedGlobal: noop,
  ext: noop,
  mutation: noop,
  frameDivergence: noop,
  persid: noop,
  embeddedPickle: noop,
  buffer: noop,
};
