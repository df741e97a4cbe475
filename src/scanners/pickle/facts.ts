/**
 * Turns what the pickle machine sees into neutral facts, and collects the follow-up work the scanner
 * does once the stream is read: loader calls whose payload is rebuilt, payloads that start like a
 * pickle, and byte ranges to re-read where the framing is ambiguous. One instance per stream.
 */
import type { CallValue, MachineEvents } from '../../formats/pickle/machine.js';
import { aliasOf, dunderParts, effectiveName, readings } from '../../formats/pickle/names.js';
import { preview, qualName, type GlobalRef, type PayloadRef, type Value } from '../../formats/pickle/values.js';
import type { Fact, Location } from '../../model/facts.js';
import type { ScanContext } from '../types.js';
import { isNestedLoader } from './loaders.js';

const MAX_NESTED_PER_STREAM = 64;
const MAX_PROBES = 32;
const MAX_RESYNC = 8;
const RESYNC_SPAN = 4096;

export interface LoaderCall {
  call: CallValue;
  loader: string;
}

export interface Probe {
  data: PayloadRef | Uint8Array;
  offset: number;
}

const globalKey = (module: string, name: string): string => `${module}\u0000${name}`;
const GETATTR = new Set([globalKey('builtins', 'getattr'), globalKey('__builtin__', 'getattr')]);
const MAX_GETATTR = 32;

/** One getattr(target, attr) call as the pickle-globals check reads it (decision record 0007). */
const RECONSTRUCTORS = new Set([globalKey('copyreg', '_reconstructor'), globalKey('copy_reg', '_reconstructor'), globalKey('copyreg', '__newobj__')]);

/** The class an instance was built from: NEWOBJ/REDUCE on the class, or copyreg's reconstructors with it first. */
function classOf(v: Value | undefined): Extract<Value, { t: 'global' }> | undefined {
  if (v?.t === 'global') return v;
  if (v?.t !== 'call' || v.fn.t !== 'global') return undefined;
  return RECONSTRUCTORS.has(globalKey(v.fn.g.module, v.fn.g.name)) ? (v.args[0]?.t === 'global' ? v.args[0] : undefined) : v.fn;
}

function getattrUse(c: CallValue): Record<string, unknown> {
  const [target, attr] = c.args;
  const cls = classOf(target);
  const kind = target?.t === 'global' ? 'class' : cls ? 'instance' : 'other';
  const constant = attr?.t === 'str' && !attr.computed && !attr.truncated ? attr.v : null;
  return { target: kind, ...(cls ? { module: cls.g.module, name: cls.g.name } : {}), attr: constant, args: c.args.length, offset: c.offset };
}

export class StreamFacts implements MachineEvents {
  readonly facts: Fact[] = [];
  readonly loaderCalls: LoaderCall[] = [];
  readonly probes: Probe[] = [];
  /** [from, to) ranges to re-read as opcodes */
  readonly resyncs: Array<[number, number]> = [];
  /** one pickle.global fact per imported global, counted */
  private readonly globals = new Map<string, Fact>();
  /** getattr calls by call id, so a later call that takes one's result as an argument marks it */
  private readonly getattrs = new Map<number, Record<string, unknown>>();
  /**
   * Per getattr global: stack copies of it (each import, memo get and DUP) and calls made on it. Each
   * call consumes one copy as its callable; a copy more than the calls ended somewhere else (an
   * argument, a container item, BUILD state, a kwarg, a persistent id, the result): `getattrPassed`.
   */
  private readonly getattrCopies = new Map<string, { copies: number; calls: number }>();

  constructor(
    private readonly loc: Location,
    private readonly ctx: ScanContext,
    private readonly quiet: boolean,
  ) {}

  at(offset: number): Location {
    return { ...this.loc, offset };
  }

  /** The pickle.global fact of the global a call is made on, if it was imported. */
  globalFact(fn: Value): Fact | undefined {
    return fn.t === 'global' ? this.globals.get(globalKey(fn.g.module, fn.g.name)) : undefined;
  }

  global(g: GlobalRef, proto: number): void {
    this.record(g, proto);
    this.getattrCopy(g, 'copies');
  }

  private record(g: GlobalRef, proto: number): void {
    const seen = this.globals.get(globalKey(g.module, g.name));
    if (seen) {
      seen.data.count = (seen.data.count as number) + 1;
      return;
    }
    const rs = readings(g.module, g.name, proto);
    const eff = effectiveName(g.module, g.name, proto);
    const fact: Fact = {
      kind: 'pickle.global',
      location: this.at(g.offset),
      data: {
        module: g.module,
        name: g.name,
        qualname: qualName(g),
        via: g.via,
        readings: rs,
        dunders: dunderParts(g.module, g.name),
        lastName: g.name.split('.').pop(),
        verb: 'imports',
        call: '',
        count: 1,
        key: qualName(g),
        ...(isNestedLoader(rs) ? { nested: 'none' } : {}),
        canonicalModule: aliasOf(eff.module),
        canonicalName: eff.name,
      },
    };
    this.globals.set(globalKey(g.module, g.name), fact);
    this.facts.push(fact);
  }

  call(c: CallValue): void {
    const fn = c.fn;
    this.markPassed(c);
    if (fn.t === 'global') {
      const fact = this.globalFact(fn);
      if (fact && fact.data.verb !== 'calls') {
        fact.data.verb = 'calls';
        fact.data.call = `(${c.args.slice(0, 4).map((a) => preview(a)).join(', ')}${c.args.length > 4 ? ', …' : ''})`;
        fact.data.callOffset = c.offset;
        fact.data.callKind = c.kind;
      }
      if (fact && GETATTR.has(globalKey(fn.g.module, fn.g.name))) this.getattrCall(fact, c);
      this.getattrCopy(fn.g, 'calls');
      const loader = isNestedLoader(readings(fn.g.module, fn.g.name, 4));
      if (loader && this.loaderCalls.length < MAX_NESTED_PER_STREAM) this.loaderCalls.push({ call: c, loader });
    } else if (fn.t !== 'module') {
      this.facts.push({
        kind: 'pickle.indirect-call',
        location: this.at(c.offset),
        data: { callable: preview(fn), kind: c.kind, callableType: fn.t, key: `${c.kind}@${c.offset}` },
      });
    }
  }

  private getattrCall(fact: Fact, c: CallValue): void {
    const uses = ((fact.data.getattrCalls as Record<string, unknown>[] | undefined) ??= []);
    if (uses.length >= MAX_GETATTR) {
      fact.data.getattrMore = true;
      return;
    }
    const use = getattrUse(c);
    uses.push(use);
    this.getattrs.set(c.id, use);
  }

  copied(v: Extract<Value, { t: 'global' }>): void {
    this.getattrCopy(v.g, 'copies');
  }

  /** Count a copy of, or a call on, a getattr global, and keep its fact's `getattrPassed` current. */
  private getattrCopy(g: GlobalRef, what: 'copies' | 'calls'): void {
    const key = globalKey(g.module, g.name);
    if (!GETATTR.has(key)) return;
    let n = this.getattrCopies.get(key);
    if (!n) this.getattrCopies.set(key, (n = { copies: 0, calls: 0 }));
    n[what]++;
    const fact = this.globals.get(key);
    if (!fact) return;
    if (n.copies > n.calls) fact.data.getattrPassed = true;
    else delete fact.data.getattrPassed;
  }

  /** A getattr result handed to another call (an argument, or an item of one) can be invoked by it. */
  private markPassed(c: CallValue): void {
    if (this.getattrs.size === 0) return;
    const kw = c.kwargs?.t === 'dict' ? c.kwargs.items : [];
    for (const a of [...c.args, ...kw]) {
      const items = a.t === 'tuple' || a.t === 'list' ? [a, ...a.items] : [a];
      for (const v of items) if (v.t === 'call' && this.getattrs.has(v.id)) this.getattrs.get(v.id)!.passed = true;
    }
  }

  computedGlobal(offset: number, module: Value, name: Value): void {
    this.facts.push({
      kind: 'pickle.computed-global',
      location: this.at(offset),
      data: { module: preview(module), name: preview(name), key: `sg@${offset}` },
    });
  }

  ext(offset: number, code: number): void {
    this.facts.push({ kind: 'pickle.ext', location: this.at(offset), data: { code, key: `ext${code}` } });
  }

  mutation(offset: number, target: Value, op: string, state?: Value): void {
    const targetOffset = target.t === 'global' ? target.g.offset : target.t === 'module' ? target.offset : undefined;
    const data = { target: preview(target), op, targetOffset, ...(state ? { state: preview(state) } : {}), key: preview(target) };
    this.facts.push({ kind: 'pickle.global-mutation', location: this.at(offset), data });
  }

  frameDivergence(offset: number, detail: string, from: number, to: number): void {
    this.facts.push({ kind: 'pickle.frame-divergence', location: this.at(offset), data: { detail, key: `frame@${offset}` } });
    if (!this.quiet) {
      const { path, member } = this.loc;
      this.ctx.inconclusive({ path, member, offset, code: 'PARSE_ERROR', message: `ambiguous framing: ${detail}`, scanner: 'pickle' });
    }
    if (this.resyncs.length < MAX_RESYNC) this.resyncs.push([from, Math.min(to, from + RESYNC_SPAN)]);
  }

  persid(): void {}

  embeddedPickle(data: PayloadRef | Uint8Array, offset: number): void {
    if (this.probes.length < MAX_PROBES) this.probes.push({ data, offset });
  }

  buffer(offset: number): void {
    this.facts.push({ kind: 'pickle.out-of-band-buffer', location: this.at(offset), data: { key: `buf@${offset}` } });
  }

  /** For re-reading ambiguous bytes: only what they import counts, not what they call or carry. */
  importsOnly(): MachineEvents {
    const noop = (): void => {};
    return {
      global: (g, proto) => this.global(g, proto),
      computedGlobal: (offset, module, name) => this.computedGlobal(offset, module, name),
      ext: (offset, code) => this.ext(offset, code),
      persid: noop,
      call: noop,
      mutation: noop,
      buffer: noop,
      embeddedPickle: noop,
      frameDivergence: noop,
    };
  }
}
