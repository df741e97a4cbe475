/**
 * The calibration harness: split a real dataset at random (seeded) into a baseline and a clean batch,
 * run `mlvet profile` on the baseline and `mlvet validate --baseline` on the batch in this process
 * (the argv a user types), record every finding, then inject each attack into the same clean batch
 * and record whether it was caught and by which rule. realdata.test.ts runs a few cases; the bench
 * (scripts/realdata-calibrate.ts) runs many seeds and prints the tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../../helpers/prng.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { ATTACKS, type Attack } from './catalog.js';
import type { Dataset } from './datasets.js';
import { writeCsv, type Table } from './table.js';

export interface Seen {
  ruleId: string;
  severity: string;
  column: string | null;
  type: string | null;
}

export interface Outcome {
  exit: number;
  /** findings at or above the failing severity (what makes exit 1) */
  failing: Seen[];
  /** info findings (reported, not failing) */
  info: Seen[];
  stderr?: string;
}

export interface AttackOutcome extends Outcome {
  attack: string;
  /** an expected rule fired (not info) on a column where it did not fire for the clean batch */
  caught: boolean;
  /** the expected rules that fired (rule@column), new against the clean batch */
  by: string[];
}

export interface SplitOutcome {
  dataset: string;
  seed: number;
  size: number;
  baselineRows: number;
  profileExit: number;
  clean: Outcome;
  attacks: AttackOutcome[];
}

/** Shuffle with the seed; the first `size` rows are the batch, the next (up to maxBaseline) the baseline. */
export function split(ds: Dataset, t: Table, seed: number, size: number): { baseline: Table; batch: Table } {
  const order = Array.from({ length: t.rows.length }, (_, i) => i);
  const rng = prng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rest = t.rows.length - size;
  const nb = Math.min(rest, ds.maxBaseline ?? rest);
  const pick = (from: number, n: number) => order.slice(from, from + n).map((i) => [...t.rows[i]!]);
  let baseline: Table = { columns: [...t.columns], rows: pick(size, nb) };
  let batch: Table = { columns: [...t.columns], rows: pick(0, size) };
  if (ds.rowId) {
    // new rows get ids after the baseline's, by construction outside its range
    baseline = { columns: ['row_id', ...baseline.columns], rows: baseline.rows.map((r, i) => [i + 1, ...r]) };
    batch = { columns: ['row_id', ...batch.columns], rows: batch.rows.map((r, i) => [nb + i + 1, ...r]) };
  }
  return { baseline, batch };
}

function seen(report: Record<string, unknown>): Seen[] {
  const fs = (report.findings ?? []) as Array<{ ruleId: string; severity: string; evidence?: Record<string, unknown> }>;
  return fs.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    column: typeof f.evidence?.column === 'string' ? f.evidence.column : null,
    type: typeof f.evidence?.type === 'string' ? f.evidence.type : null,
  }));
}

export const seenKey = (f: Seen): string => `${f.ruleId}@${f.column ?? ''}`;

export async function validateBatch(dir: string, name: string, batch: Table, label: string | undefined): Promise<Outcome> {
  const file = join(dir, `${name}.csv`);
  writeCsv(file, batch);
  const r = await runCliJson(['validate', file, '--baseline', join(dir, 'baseline.json'), ...(label ? ['--label', label] : [])]);
  const all = seen(r.report);
  return { exit: r.code, failing: all.filter((f) => f.severity !== 'info'), info: all.filter((f) => f.severity === 'info'), ...(r.code > 1 ? { stderr: r.stderr.slice(0, 500) } : {}) };
}

export interface RunOptions {
  /** attack names to run (default: every applicable one) */
  attacks?: string[];
  /** the loaded table (tests load each dataset once) */
  table?: Table;
}

export function applicable(ds: Dataset, t: Table): Attack[] {
  return ATTACKS.filter((a) => a.applies(ds, t));
}

export async function runSplit(ds: Dataset, seed: number, size: number, o: RunOptions = {}): Promise<SplitOutcome> {
  const t = o.table ?? ds.load();
  const { baseline, batch } = split(ds, t, seed, size);
  const dir = mkdtempSync(join(tmpdir(), `mlvet-realdata-${ds.name}-`));
  try {
    writeCsv(join(dir, 'baseline-data.csv'), baseline);
    const label = ds.roles.label;
    const p = await runCli(['profile', join(dir, 'baseline-data.csv'), '--out', join(dir, 'baseline.json'), ...(label ? ['--label', label] : [])]);
    const clean = await validateBatch(dir, 'clean', batch, label);
    const attacks: AttackOutcome[] = [];
    // a rule that already fired on the clean batch (same column) is a false alarm, not a catch
    const before = new Set(clean.failing.map(seenKey));
    for (const a of applicable(ds, t)) {
      if (o.attacks && !o.attacks.includes(a.name)) continue;
      const attacked = a.apply(batch, prng(seed * 7919 + a.name.length), ds, t);
      const out = await validateBatch(dir, a.name, attacked.table, label);
      const by = [...new Set(out.failing.filter((f) => a.expect.test(f.ruleId) && !before.has(seenKey(f))).map(seenKey))];
      attacks.push({ attack: a.name, ...out, caught: by.length > 0, by });
    }
    return { dataset: ds.name, seed, size, baselineRows: baseline.rows.length, profileExit: p.code, clean, attacks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
