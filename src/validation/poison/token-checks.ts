/**
 * Text checks for backdoor triggers. Trigger–label association: for frequent tokens, the one-sided
 * z of P(label | token) against the label prior (He et al.'s Z-defence), flagged when the token is
 * nearly pure and z is large, or z is an outlier among all tokens — unless the baseline shows the
 * same association (a genuinely predictive word). Emergent tokens: frequent now, absent or rare in
 * the baseline.
 */
import { num, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';

interface Assoc {
  token: string;
  label: string;
  docs: number;
  purity: number;
  z: number;
}

const triggerTokens: Check = (kw, ctx) => {
  const column = String(kw.column);
  const p = ctx.current.columns.get(column);
  const minPurity = num(kw, 'min_purity', 0.95);
  const minZ = num(kw, 'min_z', 10);
  const sigmas = num(kw, 'sigmas', 20);
  const labelCounts = ctx.current.labelCounts;
  const n = [...labelCounts.values()].reduce((a, b) => a + b, 0);
  if (!p || !ctx.label || n === 0) return outcome(true, null, { min_purity: minPurity, min_z: minZ }, { note: 'needs a text column and --label' });
  const minDocs = Math.max(20, Math.ceil(1e-5 * n));
  const perToken = new Map<string, Map<string, number>>();
  for (const [k, c] of p.tokenLabel.counts) {
    const [t, l] = k.split('\u0000') as [string, string];
    let m = perToken.get(t);
    if (!m) {
      m = new Map<string, number>();
      perToken.set(t, m);
    }
    m.set(l, c);
  }
  const all: Assoc[] = [];
  for (const [token, df] of p.tokenDf.counts) {
    if (df < minDocs) continue;
    for (const [label, c] of perToken.get(token) ?? []) {
      const p0 = (labelCounts.get(label) ?? 0) / n;
      if (p0 <= 0 || p0 >= 1) continue;
      all.push({ token, label, docs: df, purity: c / df, z: (c / df - p0) / Math.sqrt((p0 * (1 - p0)) / df) });
    }
  }
  const zs = all.map((a) => a.z);
  const mean = zs.reduce((a, b) => a + b, 0) / (zs.length || 1);
  const sd = Math.sqrt(zs.reduce((a, b) => a + (b - mean) ** 2, 0) / (zs.length || 1));
  const baseLabels = ctx.baseline?.stats[column]?.text?.labels;
  const known = (a: Assoc): boolean => {
    const bl = baseLabels?.[a.token];
    if (!bl) return false;
    const tot = Object.values(bl).reduce((x, y) => x + y, 0);
    return tot >= 20 && (bl[a.label] ?? 0) / tot >= 0.8;
  };
  const flagged = all
    .filter((a) => ((a.purity >= minPurity && a.z >= minZ) || (zs.length >= 30 && a.z > mean + sigmas * sd)) && !known(a))
    .sort((a, b) => b.z - a.z);
  const top = flagged[0];
  return outcome(flagged.length === 0, top ? top.z : (zs.length ? Math.max(...zs) : 0), { min_purity: minPurity, min_z: minZ, sigmas }, {
    tokens_tested: all.length,
    min_docs: minDocs,
    z_mean: mean,
    z_sd: sd,
    examples: flagged.slice(0, 20),
  }, !p.tokenDf.exact || !p.tokenLabel.exact);
};

const emergentTokens: Check = (kw, ctx) => {
  const column = String(kw.column);
  const p = ctx.current.columns.get(column);
  const t = ctx.baseline?.stats[column]?.text;
  const minRatio = num(kw, 'min_ratio', 10);
  if (!p || !t || p.docs === 0) return outcome(true, null, { min_ratio: minRatio }, { note: 'needs a text column with a baseline' });
  const minDocs = num(kw, 'min_docs', Math.max(20, Math.ceil(1e-4 * p.docs)));
  const baseDf = new Map(t.tokens);
  const flagged: Array<{ token: string; docs: number; baseline_docs: number; ratio: number }> = [];
  for (const [token, df] of p.tokenDf.counts) {
    if (df < minDocs) continue;
    const b = baseDf.get(token) ?? t.minDf;
    const ratio = df / p.docs / Math.max(b / t.docs, 0.5 / t.docs);
    if (ratio >= minRatio) flagged.push({ token, docs: df, baseline_docs: baseDf.get(token) ?? 0, ratio });
  }
  flagged.sort((a, b) => b.ratio - a.ratio);
  return outcome(flagged.length === 0, flagged[0]?.ratio ?? 0, { min_ratio: minRatio, min_docs: minDocs }, { examples: flagged.slice(0, 20) }, !t.exact);
};

export const TOKEN_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_column_no_trigger_token_label_association',
    kwargs: ['column', 'label', 'min_purity', 'min_z', 'sigmas'],
    required: ['column'],
    doc: 'a frequent token predicts one label far beyond its prior (a backdoor trigger)',
    run: triggerTokens,
  }),
  poisonCheck({
    type: 'expect_column_no_emergent_tokens_vs_baseline',
    kwargs: ['column', 'min_ratio', 'min_docs'],
    required: ['column'],
    doc: 'a token is frequent now and absent or rare in the baseline',
    run: emergentTokens,
  }),
];
