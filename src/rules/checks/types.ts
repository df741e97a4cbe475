/**
 * The shape of a built-in check, after ESLint's rules: `meta` says what it is and which options it
 * takes (a JSON Schema the loader validates each rule's `check.options` against), and `create()`
 * returns handlers the engine calls while it walks one target's facts. A rule stays declarative: it
 * names a check and gives options; the code lives here.
 */
import type { Fact } from '../../model/facts.js';
import type { AllowEntry } from '../../model/policy.js';

export interface CheckMeta {
  name: string;
  description: string;
  /** JSON Schema for the rule's `check.options` */
  options: Record<string, unknown>;
}

export interface CheckContext<O> {
  /** the rule's options, as `compile()` returned them */
  readonly options: O;
  /** allowlists by name: the packs' lists plus the config's additions */
  readonly lists: ReadonlyMap<string, readonly AllowEntry[]>;
  /**
   * Report the rule on `fact`, one the engine handed to this check: the finding takes its location
   * and key, and `extra` is added to its evidence (and so to the message's fields).
   */
  report(fact: Fact, extra?: Record<string, unknown>): void;
}

export interface CheckHandlers {
  /** a fact of the rule's `match.fact` kind that passed its `where` */
  fact?(fact: Fact): void;
  /** facts of the other kinds `watches()` named, by kind */
  on?: Readonly<Record<string, (fact: Fact) => void>>;
  /** after the target's last fact: the place for a verdict that needs several facts */
  endTarget?(): void;
}

export interface Check<O> {
  meta: CheckMeta;
  /**
   * Turn options that passed `meta.options` into what `create()` reads, once, at load. Problems are
   * pushed as `<field under check.options>: <text>`.
   */
  compile(options: unknown, problems: string[]): O;
  /** fact kinds besides the rule's `match.fact` that this check reads */
  watches?(options: O): readonly string[];
  /** called once per evaluation run (one target's facts) */
  create(ctx: CheckContext<O>): CheckHandlers;
}
