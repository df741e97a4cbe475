/**
 * `where` conditions compiled once, at load: each field path is split and each regex built a single
 * time, so evaluating a rule costs no allocation per fact. Problems (a bad regex) are collected with
 * the field they came from rather than thrown, so a pack reports all of them together.
 */
import type { Fact } from '../model/facts.js';
import type { Condition } from './types.js';

export type FactTest = (fact: Fact) => boolean;

/** The value at a dotted path (`unpinned.ref`), or undefined where the path leaves the object. */
export function getField(obj: unknown, path: string | readonly string[]): unknown {
  let cur: unknown = obj;
  for (const part of typeof path === 'string' ? path.split('.') : path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function nonEmpty(v: unknown): boolean {
  if (Array.isArray(v) || typeof v === 'string') return v.length > 0;
  return v !== undefined && v !== null;
}

/** One condition as a list of value tests; all must hold. */
function valueTests(c: Condition, re: RegExp | undefined): Array<(v: unknown) => boolean> {
  const tests: Array<(v: unknown) => boolean> = [];
  if (c.exists !== undefined) tests.push((v) => (v !== undefined && v !== null) === c.exists);
  if (c.eq !== undefined) tests.push((v) => v === c.eq);
  if (c.in !== undefined) {
    const set = new Set(c.in);
    tests.push((v) => set.has(v));
  }
  if (c.nonEmpty !== undefined) tests.push((v) => nonEmpty(v) === c.nonEmpty);
  if (c.gte !== undefined) {
    const min = c.gte;
    tests.push((v) => typeof v === 'number' && v >= min);
  }
  if (re) tests.push((v) => (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && re.test(x)));
  return tests;
}

/**
 * Compile `where` into one test over a fact's data. `field` names where the conditions sit in the
 * rule file (`match.where`), for problem messages.
 */
export function compileWhere(
  where: Record<string, Condition> | undefined,
  field: string,
  problems: string[],
): FactTest {
  const parts: Array<{ path: string[]; tests: Array<(v: unknown) => boolean> }> = [];
  for (const [path, cond] of Object.entries(where ?? {})) {
    let re: RegExp | undefined;
    if (cond.regex !== undefined) {
      try {
        re = new RegExp(cond.regex, 'u');
      } catch (e) {
        problems.push(`${field}.${path}.regex: ${(e as Error).message}`);
      }
    }
    parts.push({ path: path.split('.'), tests: valueTests(cond, re) });
  }
  if (parts.length === 0) return () => true;
  return (fact) =>
    parts.every(({ path, tests }) => {
      const v = getField(fact.data, path);
      return tests.every((t) => t(v));
    });
}
