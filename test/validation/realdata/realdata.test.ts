/**
 * Issue 13 on real data (small samples; the full-size runs are `npm run bench -- validate`): for each
 * dataset, clean random batches at two sizes × two seeds must pass every default check (validate exits
 * 0), and each attack injected into a clean batch must be caught by its expected rule, on a rule@column
 * that did not fire on the clean batch. KNOWN lists the cases today's checks get wrong, each with the
 * reason measured; they run as `it.fails`, so a fix makes them fail here until the entry is removed.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicable, runSplit, seenKey, type SplitOutcome } from './harness.js';
import { dataset, type Dataset } from './datasets.js';

/**
 * dataset, the two clean sizes, the batch size the attacks go into (default: the larger clean size;
 * detection needs counts, so the larger datasets attack a larger batch), and a baseline cap for speed
 */
const CASES: Array<{ name: string; sizes: [number, number]; attackSize?: number; maxBaseline?: number }> = [
  { name: 'penguins', sizes: [100, 150] },
  { name: 'cars', sizes: [100, 200] },
  { name: 'weather', sizes: [200, 400], attackSize: 1000, maxBaseline: 1900 },
  { name: 'movies', sizes: [300, 500], attackSize: 1000, maxBaseline: 2200 },
  { name: 'birdstrikes', sizes: [200, 400], attackSize: 2000, maxBaseline: 2500 },
  { name: 'zipcodes', sizes: [300, 500], attackSize: 1000, maxBaseline: 3000 },
  { name: 'iris', sizes: [50, 60] },
  { name: 'breast_cancer', sizes: [150, 250] },
];
const SEEDS = [1, 2];
const SEED = 1; // the seed whose split carries the attacks

/**
 * Known gaps at the time of writing, `<dataset> clean <size>/<seed>` or `<dataset> <attack>`, each
 * with what was measured. Keep it short: every entry is a check to fix. Why most are silent: at these
 * batch sizes an attack is 1–5 rows (2 % of 150 = 3 copies, 0.5 % of 1000 = 5 values past the
 * baseline's maximum, 5 % of 200 = 10 nulls against none) and each check tests at a Bonferroni share
 * of a 1 % family-wise budget (alpha ≈ 0.0002–0.0003): e.g. weather temp_max, 5 of 1000 values past
 * every one of 1922 baseline values, p = 0.0047; cars nulls 10/200 vs 0/206, p = 0.00084. Random flips
 * on fresh rows change no statistic at n ≤ 1000. Trigger tokens: label-shift fires, trigger-token does not.
 */
const KNOWN: Record<string, string> = {
  // measured 2026-12-02 against src/validation at 3cb27f4, `MLVET_REALDATA_OUT=… npx vitest run test/validation/realdata`
  'penguins flip-targeted-1%': 'exit 0; fired: nothing',
  'penguins conflicting-dups-2%': 'exit 0; fired: nothing',
  'penguins repeat-row-2%': 'exit 0; fired: nothing',
  'penguins out-of-range-0.5%': 'exit 0; fired: nothing',
  'penguins nulls-5%': 'exit 0; fired: nothing',
  'penguins unseen-category-1%': 'exit 0; fired: nothing',
  'penguins class-shift': 'exit 0; fired: nothing',
  'penguins zero-width-1%': 'exit 0; fired: nothing',
  'cars flip-targeted-1%': 'exit 0; fired: nothing',
  'cars conflicting-dups-2%': 'exit 0; fired: nothing',
  'cars repeat-row-2%': 'exit 0; fired: nothing',
  'cars out-of-range-0.5%': 'exit 0; fired: nothing',
  'cars nulls-5%': 'exit 0; fired: nothing',
  'cars unseen-category-1%': 'exit 0; fired: nothing',
  'cars mean-drift-0.3sd': 'exit 0; fired: nothing',
  'cars class-shift': 'exit 0; fired: nothing',
  'cars trigger-token-1%': 'exit 0; fired: nothing',
  'cars zero-width-1%': 'exit 0; fired: nothing',
  'weather flip-targeted-1%': 'exit 0; fired: nothing',
  'weather out-of-range-0.5%': 'exit 0; fired: nothing',
  'movies flip-targeted-1%': 'exit 0; fired: nothing',
  'movies out-of-range-0.5%': 'exit 0; fired: nothing',
  'movies trigger-token-1%': 'exit 1; fired: validation/label-shift@MPAA Rating',
  'birdstrikes flip-targeted-1%': 'exit 0; fired: nothing',
  'birdstrikes out-of-range-0.5%': 'exit 0; fired: nothing',
  'birdstrikes trigger-token-1%': 'exit 1; fired: validation/label-shift@Effect Amount of damage',
  'iris conflicting-dups-2%': 'exit 0; fired: nothing',
  'iris repeat-row-2%': 'exit 0; fired: nothing',
  'iris out-of-range-0.5%': 'exit 0; fired: nothing',
  'iris nulls-5%': 'exit 0; fired: nothing',
  'iris mean-drift-0.3sd': 'exit 0; fired: nothing',
  'iris class-shift': 'exit 0; fired: nothing',
  'breast_cancer conflicting-dups-2%': 'exit 0; fired: nothing',
  'breast_cancer repeat-row-2%': 'exit 0; fired: nothing',
  'breast_cancer out-of-range-0.5%': 'exit 0; fired: nothing',
  'breast_cancer mean-drift-0.3sd': 'exit 0; fired: nothing',
  'breast_cancer class-shift': 'exit 0; fired: nothing',
  // measured 2026-12-02 on the DuckDB engine (b99889e): exact baseline quantiles put the robust range at
  // [6.39, 69.33] where the KLL sketch had [10.64, 65.36]; the 6th value counted before was a real Alaska
  // latitude (65.2 < x < 69.3) of the clean batch, not an injected one. 5 injected values of 1000 vs 0 of
  // 3000: p = 0.00098 > alpha 0.00025, the same limit as every other dataset's out-of-range-0.5% above.
  'zipcodes out-of-range-0.5%': 'exit 0; fired: nothing',
};

/**
 * Not asserted either way (reported by the bench): 2 % random flips on rows the baseline never saw
 * move only the label distribution, by less than sampling noise at n ≤ 2000; birdstrikes@2000 was
 * caught at 3cb27f4 and missed by the next working tree, and 2 of 3 seeds in the full run. A flip the
 * checks can see is the targeted one (P(label | level) halves), which stays asserted.
 */
const LIMITS: Record<string, string> = Object.fromEntries(CASES.map((c) => [`${c.name} flip-random-2%`, 'below the noise floor of a fresh batch; see the bench']));

/** MLVET_REALDATA_OUT=file.json writes each failing case and what was measured (to refresh KNOWN) */
const measured: Record<string, string> = {};
afterAll(() => {
  if (process.env.MLVET_REALDATA_OUT) writeFileSync(process.env.MLVET_REALDATA_OUT, JSON.stringify(measured, null, 1) + '\n');
});
const note = (name: string, bad: boolean, why: string): void => {
  if (bad) measured[name] = why;
};

for (const c of CASES) {
  const ds: Dataset = { ...dataset(c.name), ...(c.maxBaseline ? { maxBaseline: c.maxBaseline } : {}) };
  const table = ds.load();
  const attacks = applicable(ds, table).map((a) => a.name);
  const attackSize = c.attackSize ?? c.sizes[1];
  describe(`real data: ${c.name}`, () => {
    const runs = new Map<string, SplitOutcome>();
    beforeAll(async () => {
      for (const size of c.sizes) {
        for (const seed of SEEDS) {
          const withAttacks = size === attackSize && seed === SEED;
          runs.set(`${size}/${seed}`, await runSplit(ds, seed, size, { table, attacks: withAttacks ? attacks : [] }));
        }
      }
      if (!c.sizes.includes(attackSize)) runs.set(`${attackSize}/${SEED}`, await runSplit(ds, SEED, attackSize, { table, attacks }));
    }, 60_000);

    for (const size of c.sizes) {
      for (const seed of SEEDS) {
        const name = `${c.name} clean ${size}/${seed}`;
        (KNOWN[name] ? it.fails : it)(`${name}: no failing finding`, () => {
          const r = runs.get(`${size}/${seed}`)!;
          note(name, r.profileExit !== 0 || r.clean.exit !== 0, `profile exit ${r.profileExit}, validate exit ${r.clean.exit}: ${r.clean.failing.map(seenKey).join(', ') || r.clean.stderr || ''}`);
          expect(r.profileExit, 'profile exit').toBe(0);
          expect(r.clean.failing.map(seenKey)).toEqual([]);
          expect(r.clean.exit).toBe(0);
        });
      }
    }

    for (const attack of attacks) {
      const name = `${c.name} ${attack}`;
      const test = LIMITS[name] ? it.skip : KNOWN[name] ? it.fails : it;
      test(`${name} @${attackSize}: caught`, () => {
        const r = runs.get(`${attackSize}/${SEED}`)!;
        const o = r.attacks.find((a) => a.attack === attack)!;
        note(name, !o.caught, `exit ${o.exit}; fired: ${o.failing.map(seenKey).join(', ') || 'nothing'}${o.stderr ? `; ${o.stderr}` : ''}`);
        expect(o.exit, `fired: ${o.failing.map(seenKey).join(', ')}`).toBe(1);
        expect(o.by.length, `expected rule not new; fired: ${o.failing.map(seenKey).join(', ')}`).toBeGreaterThan(0);
      });
    }
  });
}
