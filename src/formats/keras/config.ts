/**
 * Keras model configs (`config.json` in `.keras` zips, the `model_config` attribute of `.h5` files):
 * walk every serialized object and list what `keras.saving.deserialize_keras_object` would resolve.
 * Lambda layers carry marshalled Python bytecode (base64); we pull the identifiers out of the marshal
 * stream (its string records) rather than unmarshal it, which works across Python versions.
 */
import { fileArgs, type FileArg } from './file-args.js';

export type KerasHit =
  | { kind: 'lambda'; layer: string; names: string[]; decoded: boolean }
  | { kind: 'unknown-class'; module: string; className: string }
  | { kind: 'torch-wrapper'; layer: string }
  | { kind: 'gadget'; ref: string }
  | ({ kind: 'file-read' } & FileArg);

const SAFE_MODULES = /^(keras|tf_keras|tensorflow\.keras|tensorflow\.python\.keras|keras_nlp|keras_hub|keras_cv)(\.|$)/;
/** callables whose deserialization disables or sidesteps safe_mode (CVE-2025-1550, -8747, -9906) */
const GADGETS = /(^|\.)(load_model|get_file|enable_unsafe_deserialization|load_weights|model_from_json|deserialize_keras_object|exec|eval|system|popen|__import__)$/;
const MAX_NODES = 500_000;
const MAX_HITS = 200;

/** Identifiers stored in a marshal stream: short/long ASCII and unicode string records. */
export function marshalNames(bytes: Uint8Array): string[] {
  const out = new Set<string>();
  for (let i = 0; i < bytes.length - 1; i++) {
    const t = bytes[i]! & 0x7f;
    let len = -1;
    let at = i + 1;
    if (t === 0x7a || t === 0x5a) {
      // 'z','Z' short ascii
      len = bytes[i + 1]!;
      at = i + 2;
    }
    else if ((t === 0x61 || t === 0x41 || t === 0x75 || t === 0x74) && i + 5 <= bytes.length) {
      len = bytes[i + 1]! | (bytes[i + 2]! << 8) | (bytes[i + 3]! << 16) | (bytes[i + 4]! << 24);
      at = i + 5;
    }
    if (len <= 0 || len > 200 || at + len > bytes.length) continue;
    const s = new TextDecoder('latin1').decode(bytes.subarray(at, at + len));
    if (/^[A-Za-z_][\w.]*$/.test(s)) out.add(s);
  }
  return [...out].slice(0, 64);
}

function lambdaHit(layer: string, fn: unknown): KerasHit {
  // Keras 3: {"class_name":"function","config":{"code":"<b64>"}}; Keras 2: ["<b64>", defaults, closure]
  const code: unknown = Array.isArray(fn) ? (fn as unknown[])[0] : (fn as { config?: { code?: unknown } } | undefined)?.config?.code;
  if (typeof code !== 'string') return { kind: 'lambda', layer, names: [], decoded: false };
  try {
    return { kind: 'lambda', layer, names: marshalNames(Buffer.from(code, 'base64')), decoded: true };
  } catch {
    return { kind: 'lambda', layer, names: [], decoded: false };
  }
}

export function analyzeKerasConfig(doc: unknown): KerasHit[] {
  const hits: KerasHit[] = [];
  let budget = MAX_NODES;
  const visit = (node: unknown): void => {
    if (budget-- <= 0 || hits.length >= MAX_HITS || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const o = node as Record<string, unknown>;
    const cls = typeof o.class_name === 'string' ? o.class_name : undefined;
    const mod = typeof o.module === 'string' ? o.module : undefined;
    const cfg = (o.config ?? {}) as Record<string, unknown>;
    const layer = typeof cfg.name === 'string' ? cfg.name : '?';
    if (cls === 'Lambda') hits.push(lambdaHit(layer, cfg.function));
    if (cls === 'TorchModuleWrapper') hits.push({ kind: 'torch-wrapper', layer });
    if (cls && mod && !SAFE_MODULES.test(mod) && !(mod === 'builtins' && cls === 'function' && typeof o.config === 'object')) hits.push({ kind: 'unknown-class', module: mod, className: cls });
    // functions serialize as {"module": m, "class_name": "function", "config": "<name>"}
    const fnRef = cls === 'function' && typeof o.config === 'string' ? `${mod ?? ''}.${o.config}` : undefined;
    for (const ref of [cls && mod ? `${mod}.${cls}` : cls, o.registered_name, fnRef]) {
      if (typeof ref === 'string' && GADGETS.test(ref)) hits.push({ kind: 'gadget', ref });
    }
    if (cls && typeof o.config === 'object') for (const f of fileArgs(cls, cfg, layer)) hits.push({ kind: 'file-read', ...f });
    if (cls && cfg.safe_mode === false) hits.push({ kind: 'gadget', ref: `${cls}(safe_mode=False)` });
    for (const v of Object.values(o)) if (typeof v === 'object') visit(v);
  };
  visit(doc);
  return hits;
}

/** Is this JSON a serialized Keras model (top-level class_name + config)? */
export function isKerasConfig(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const o = doc as Record<string, unknown>;
  return typeof o.class_name === 'string' && typeof o.config === 'object';
}
