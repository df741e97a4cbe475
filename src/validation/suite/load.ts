/**
 * Reads GX expectation suites as they are: the 1.x form (`name`, `expectations[].type`) and the 0.x
 * form (`expectation_suite_name`, `expectation_type`, `evaluation_parameters`), even mixed in one file.
 * Every problem (unknown type, unknown kwarg, missing kwarg) is collected and reported together.
 */
import { readRegularFile } from '../../files.js';
import { MlvetError } from '../../errors.js';
import { POISON_CHECKS } from '../poison/checks.js';
import { kwargTypeProblem } from '../gx/kwarg-types.js';
import { parseJsonLoose } from './json.js';
import { GX_EXPECTATIONS, GX_NOT_RUNNABLE, type Spec } from './registry.js';

export interface ExpectationConfig {
  type: string;
  kwargs: Record<string, unknown>;
  meta: Record<string, unknown>;
  id?: string;
  notes?: unknown;
  description?: string;
  /** GX 1.x expectation severity; mlvet maps critical → critical, warning → medium, info → info */
  severity?: GxSeverity;
}

export type GxSeverity = 'critical' | 'warning' | 'info';
const SEVERITIES: ReadonlySet<string> = new Set(['critical', 'warning', 'info']);

export interface Suite {
  name: string;
  id: string | null;
  expectations: ExpectationConfig[];
  suite_parameters: Record<string, unknown>;
  meta: Record<string, unknown>;
  notes?: unknown;
  /** which GX format the file was written in */
  format: '1.x' | '0.x';
  source?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function specFor(type: string): Spec | undefined {
  return GX_EXPECTATIONS[type] ?? POISON_CHECKS[type];
}

/**
 * GX validates each kwarg against its pydantic field type when the suite is built; mlvet does the same
 * for GX types (mlvet's own checks validate their options when they run).
 */
function typeProblems(type: string, kwargs: Obj): string[] {
  const gx = GX_EXPECTATIONS[type];
  if (!gx) return mostlyProblem(kwargs);
  const out: string[] = [];
  for (const [k, v] of Object.entries(kwargs)) {
    const p = gx.kwargs.includes(k) ? kwargTypeProblem(k, v, gx.types) : undefined;
    if (p) out.push(p);
  }
  return out;
}

function mostlyProblem(kwargs: Obj): string[] {
  return 'mostly' in kwargs ? [kwargTypeProblem('mostly', kwargs.mostly)].filter((p): p is string => p !== undefined) : [];
}

export function parseSuite(raw: unknown, source = 'suite'): Suite {
  if (!isObj(raw)) throw new MlvetError('SUITE_INVALID', `${source}: a suite is a JSON object`);
  const exps = raw.expectations;
  if (!Array.isArray(exps)) throw new MlvetError('SUITE_INVALID', `${source}: "expectations" must be an array`);
  const zeroX = 'expectation_suite_name' in raw || exps.some((e) => isObj(e) && 'expectation_type' in e);
  const problems: string[] = [];
  const expectations: ExpectationConfig[] = [];
  exps.forEach((e, i) => {
    const where = `expectations[${i}]`;
    if (!isObj(e)) return void problems.push(`${where}: not an object`);
    const type = (e.type ?? e.expectation_type);
    if (typeof type !== 'string') return void problems.push(`${where}: missing "type"`);
    const spec = specFor(type);
    if (!spec) {
      const why = Object.hasOwn(GX_NOT_RUNNABLE, type) ? GX_NOT_RUNNABLE[type] : undefined;
      return void problems.push(`${where}: ${why ? `"${type}" cannot run on files (${why})` : `unknown expectation type "${type}"`}`);
    }
    const kwargs = isObj(e.kwargs) ? e.kwargs : {};
    for (const k of Object.keys(kwargs)) if (!spec.kwargs.includes(k)) problems.push(`${where} (${type}): unknown kwarg "${k}"`);
    for (const k of spec.required) if (!(k in kwargs)) problems.push(`${where} (${type}): missing required kwarg "${k}"`);
    problems.push(...typeProblems(type, kwargs).map((p) => `${where} (${type}): ${p}`));
    const severity = e.severity ?? (isObj(e.meta) ? e.meta.severity : undefined);
    if (severity !== undefined && severity !== null && (typeof severity !== 'string' || !SEVERITIES.has(severity))) {
      problems.push(`${where} (${type}): severity must be "critical", "warning" or "info"`);
    }
    expectations.push({
      type,
      kwargs,
      meta: isObj(e.meta) ? e.meta : {},
      ...(typeof (e.id ?? e.ge_cloud_id) === 'string' ? { id: String(e.id ?? e.ge_cloud_id) } : {}),
      ...(e.notes !== undefined && e.notes !== null ? { notes: e.notes } : {}),
      ...(typeof e.description === 'string' ? { description: e.description } : {}),
      ...(typeof severity === 'string' && SEVERITIES.has(severity) ? { severity: severity as GxSeverity } : {}),
    });
  });
  if (problems.length) {
    throw new MlvetError('SUITE_INVALID', `${source}: ${problems.length} problem(s): ${problems.join('; ')}`, { path: source, problems });
  }
  const meta = isObj(raw.meta) ? raw.meta : {};
  const params = (isObj(raw.suite_parameters) ? raw.suite_parameters : isObj(raw.evaluation_parameters) ? raw.evaluation_parameters : {});
  const notes = raw.notes ?? (zeroX ? meta.notes : undefined);
  return {
    name: typeof raw.name === 'string' ? raw.name : typeof raw.expectation_suite_name === 'string' ? raw.expectation_suite_name : 'default',
    id: typeof (raw.id ?? raw.ge_cloud_id) === 'string' ? String(raw.id ?? raw.ge_cloud_id) : null,
    expectations,
    suite_parameters: params,
    meta,
    ...(notes !== undefined && notes !== null ? { notes } : {}),
    format: zeroX ? '0.x' : '1.x',
    source,
  };
}

export function loadSuite(path: string): Suite {
  const text = readRegularFile(path, 'suite', 256 * 1024 * 1024);
  let raw: unknown;
  try {
    raw = parseJsonLoose(text);
  } catch (e) {
    throw new MlvetError('SUITE_INVALID', `${path}: not JSON: ${(e as Error).message}`, { path });
  }
  return parseSuite(raw, path);
}

