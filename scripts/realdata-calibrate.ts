/**
 * Full-size calibration on real data (run by bench/validate.bench.mjs through vite-node, or alone):
 *   node_modules/.bin/vite-node scripts/realdata-calibrate.ts -- [--seeds 20] [--attack-seeds 5]
 *     [--datasets a,b] [--sizes all|test] [--budget seconds] [--json out.json]
 * For every dataset × batch size × seed: profile the baseline, validate the clean batch and (for the
 * first --attack-seeds seeds) each attacked copy. Prints the false-alarm rate per dataset × size (with the rules that fired) and the
 * detection table per dataset × attack as markdown.
 */
import { writeFileSync } from 'node:fs';
import { DATASETS } from '../test/validation/realdata/datasets.js';
import { runSplit, type SplitOutcome } from '../test/validation/realdata/harness.js';
import { ATTACKS } from '../test/validation/realdata/catalog.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seeds = Number(arg('seeds') ?? 20);
const attackSeeds = Number(arg('attack-seeds') ?? seeds);
const only = arg('datasets')?.split(',');
const sizes = arg('sizes') ?? 'all';
const budgetS = Number(arg('budget') ?? 1e9);
const t0 = Date.now();

const results: SplitOutcome[] = [];
for (const ds of DATASETS.filter((d) => !only || only.includes(d.name))) {
  const table = ds.load();
  const use = (sizes === 'test' ? ds.sizes.slice(0, 2) : ds.sizes).filter((n) => n < table.rows.length);
  for (const size of use) {
    for (let seed = 1; seed <= seeds; seed++) {
      if ((Date.now() - t0) / 1000 > budgetS) break;
      results.push(await runSplit(ds, seed, size, { table, ...(seed > attackSeeds ? { attacks: [] } : {}) }));
    }
  }
  process.stderr.write(`${ds.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

const pct = (k: number, n: number) => (n ? `${((100 * k) / n).toFixed(0)} %` : '–');
const key = (f: { ruleId: string; column: string | null }) => `${f.ruleId.replace(/^validation\//, '')}${f.column ? `@${f.column}` : ''}`;

function tally(xs: string[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ×${n}`).join(', ');
}

const lines: string[] = [];
lines.push(`## False alarms on clean batches (${seeds} seeds; a batch fails when validate exits non-zero)\n`);
lines.push('| dataset | batch | baseline | seeds | failed | rate | rules that fired (batches) |');
lines.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
const groups = new Map<string, SplitOutcome[]>();
for (const r of results) groups.set(`${r.dataset}\u0000${r.size}`, [...(groups.get(`${r.dataset}\u0000${r.size}`) ?? []), r]);
let fa = 0;
for (const [, rs] of groups) {
  const bad = rs.filter((r) => r.clean.exit !== 0);
  fa += bad.length;
  const rules = bad.flatMap((r) => [...new Set(r.clean.failing.map(key))]);
  lines.push(`| ${rs[0]!.dataset} | ${rs[0]!.size} | ${rs[0]!.baselineRows} | ${rs.length} | ${bad.length} | ${pct(bad.length, rs.length)} | ${tally(rules) || (bad.length ? `exit ${bad[0]!.clean.exit}` : '')} |`);
}
lines.push(`\nOverall: ${fa} of ${results.length} clean batches failed (${pct(fa, results.length)}).\n`);

const names = ATTACKS.map((a) => a.name);
lines.push(`## Detection (caught by an expected rule, new against the clean batch / runs; all sizes × ${Math.min(seeds, attackSeeds)} seeds)\n`);
lines.push(`| dataset @batch | ${names.join(' | ')} |`);
lines.push(`| --- | ${names.map(() => '---:').join(' | ')} |`);
// one row per dataset × batch size: detection power depends on the batch size
const missed: string[] = [];
for (const [, rs] of groups) {
  const { dataset: ds, size } = rs[0]!;
  const cells = names.map((n) => {
    const os = rs.flatMap((r) => r.attacks.filter((a) => a.attack === n));
    if (!os.length) return 'n/a';
    const c = os.filter((a) => a.caught).length;
    if (c < os.length) {
      const other = tally(os.filter((a) => !a.caught).flatMap((a) => a.failing.map(key)));
      missed.push(`- ${ds} @${size} × ${n}: missed ${os.length - c}/${os.length}${other ? `; other rules that fired: ${other}` : '; nothing fired'}`);
    }
    return `${c}/${os.length}`;
  });
  if (cells.some((c) => c !== 'n/a')) lines.push(`| ${ds} @${size} | ${cells.join(' | ')} |`);
}
if (missed.length) lines.push('\nMissed attacks:\n', ...missed);
lines.push(`\n${results.length} splits, ${results.reduce((a, r) => a + 1 + r.attacks.length, 0)} validate runs in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(lines.join('\n'));
const out = arg('json');
if (out) writeFileSync(out, JSON.stringify(results, null, 1));
