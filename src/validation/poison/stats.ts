/**
 * Distribution distances and tests for the drift checks, as Evidently computes them so its default
 * thresholds carry over: PSI and Jensen–Shannon distance on shared bins, Wasserstein distance from two
 * quantile sketches, KS statistic and p-value, chi-square and two-proportion z tests.
 */
import type { Kll } from '../sketch/kll.js';

const norm = (xs: number[]): number[] => {
  const s = xs.reduce((a, b) => a + b, 0);
  return s > 0 ? xs.map((x) => x / s) : xs.map(() => 0);
};

/** population stability index with a floor on each share (Deepchecks floors at 1%) */
export function psi(expected: number[], actual: number[], floor = 0.0001): number {
  const e = norm(expected);
  const a = norm(actual);
  let s = 0;
  for (let i = 0; i < e.length; i++) {
    const p = Math.max(e[i]!, floor);
    const q = Math.max(a[i]!, floor);
    s += (q - p) * Math.log(q / p);
  }
  return s;
}

/** Jensen–Shannon distance, natural log (scipy.spatial.distance.jensenshannon) */
export function jsDistance(p0: number[], q0: number[]): number {
  const p = norm(p0);
  const q = norm(q0);
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) d += 0.5 * p[i]! * Math.log(p[i]! / m);
    if (q[i]! > 0) d += 0.5 * q[i]! * Math.log(q[i]! / m);
  }
  return Math.sqrt(Math.max(0, d));
}

export function wasserstein(a: Kll, b: Kll, steps = 400): number {
  let s = 0;
  for (let i = 0; i < steps; i++) {
    const q = (i + 0.5) / steps;
    s += Math.abs(a.quantile(q) - b.quantile(q));
  }
  return s / steps;
}

export function ksStatistic(a: Kll, b: Kll): number {
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const x = a.quantile(i / 400);
    d = Math.max(d, Math.abs(a.cdf(x) - b.cdf(x)));
    const y = b.quantile(i / 400);
    d = Math.max(d, Math.abs(a.cdf(y) - b.cdf(y)));
  }
  return d;
}

/** asymptotic two-sample KS p-value */
export function ksPValue(d: number, n: number, m: number): number {
  const en = Math.sqrt((n * m) / (n + m));
  const lambda = (en + 0.12 + 0.11 / en) * d;
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    // the alternating series converges badly for small λ; use the Jacobi-theta form of the CDF
    let cdf = 0;
    for (let k = 1; k <= 50; k++) cdf += Math.exp(-((2 * k - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * cdf));
  }
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lambda * lambda);
  return Math.min(1, Math.max(0, p));
}

// Lanczos coefficients (Numerical Recipes gammln), to double precision
const LANCZOS = [76.1800917294715, -86.5053203294168, 24.0140982408309, -1.23173957245016, 0.00120865097386618, -0.000005395239384953];

function lnGamma(x: number): number {
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of LANCZOS) ser += ci / ++y;
  return -tmp + Math.log((Math.sqrt(2 * Math.PI) * ser) / x);
}

/** lnGamma(m + 1) = ln m! for integers m < LN_FACT_MAX, computed once each (the same doubles lnGamma gives) */
const LN_FACT_MAX = 1 << 20;
let lnFacts = new Float64Array(0);
let lnFactsKnown = 0;

function lnFact(m: number): number {
  if (m >= LN_FACT_MAX) return lnGamma(m + 1);
  if (m >= lnFactsKnown) {
    const size = Math.min(LN_FACT_MAX, Math.max(1024, 2 * (m + 1)));
    if (size > lnFacts.length) {
      const next = new Float64Array(size);
      next.set(lnFacts.subarray(0, lnFactsKnown));
      lnFacts = next;
    }
    for (let i = lnFactsKnown; i <= m; i++) lnFacts[i] = lnGamma(i + 1);
    lnFactsKnown = m + 1;
  }
  return lnFacts[m]!;
}

/** upper regularised incomplete gamma Q(a, x) */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    for (let n = 1; n < 500; n++) {
      del *= x / (a + n);
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-14) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** chi-square goodness-of-fit of observed counts against expected shares */
export function chiSquareP(expectedShares: number[], observed: number[]): number {
  const n = observed.reduce((a, b) => a + b, 0);
  const e = norm(expectedShares);
  let chi = 0;
  let k = 0;
  for (let i = 0; i < e.length; i++) {
    const ex = Math.max(e[i]! * n, 1e-9);
    chi += (observed[i]! - ex) ** 2 / ex;
    k++;
  }
  return gammaQ((k - 1) / 2, chi / 2);
}

export function normalSf(z: number): number {
  // Abramowitz–Stegun 7.1.26 on erfc
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = y * Math.exp(-(z * z) / 2);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** two-proportion z statistic */
export function twoPropZ(x1: number, n1: number, x2: number, n2: number): number {
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return se > 0 ? (x2 / n2 - x1 / n1) / se : 0;
}

/** regularised incomplete beta I_x(a, b) (Numerical Recipes betai/betacf) */
export function betaI(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaCf(a, b, x)) / a;
  return 1 - (front * betaCf(b, a, 1 - x)) / b;
}

function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/** P(X ≥ k) for X ~ Binomial(n, p) */
export function binomUpper(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return betaI(k, n - k + 1, p);
}

/**
 * One-sided test that an event is more frequent in the current data (x1 of n1) than in the baseline
 * (x0 of n0): conditional on the x0 + x1 events, x1 is Binomial(x0 + x1, n1 / (n0 + n1)) when the
 * rates are equal (the exact comparison of two Poisson rates). Small and zero counts stay exact.
 */
export function rateIncreaseP(x0: number, n0: number, x1: number, n1: number): number {
  if (n1 <= 0 || x1 <= 0) return 1;
  if (n0 <= 0) return x1 > 0 ? 0 : 1;
  return binomUpper(x1, x0 + x1, n1 / (n0 + n1));
}

/**
 * Chi-square test of homogeneity for two count vectors over the same bins (baseline, current).
 * Adjacent bins are pooled until each pooled bin holds at least `minPool` rows of both samples
 * together, so expected counts are never tiny.
 */
export function homogeneity(ref: number[], cur: number[], minPool = 10): { chi2: number; df: number; p: number } {
  const a: number[] = [];
  const b: number[] = [];
  let pa = 0;
  let pb = 0;
  for (let i = 0; i < ref.length; i++) {
    pa += ref[i] ?? 0;
    pb += cur[i] ?? 0;
    if (pa + pb >= minPool) {
      a.push(pa);
      b.push(pb);
      pa = pb = 0;
    }
  }
  if (pa + pb > 0) {
    if (a.length) {
      a[a.length - 1]! += pa;
      b[b.length - 1]! += pb;
    } else {
      a.push(pa);
      b.push(pb);
    }
  }
  const na = a.reduce((x, y) => x + y, 0);
  const nb = b.reduce((x, y) => x + y, 0);
  const n = na + nb;
  if (a.length < 2 || na === 0 || nb === 0) return { chi2: 0, df: 0, p: 1 };
  let chi = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]! + b[i]!;
    const ea = (t * na) / n;
    const eb = (t * nb) / n;
    chi += (a[i]! - ea) ** 2 / ea + (b[i]! - eb) ** 2 / eb;
  }
  const df = a.length - 1;
  return { chi2: chi, df, p: gammaQ(df / 2, chi / 2) };
}

/** two-sided p-value of a two-proportion z test */
export function twoPropP(x1: number, n1: number, x2: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 1;
  return Math.min(1, 2 * normalSf(Math.abs(twoPropZ(x1, n1, x2, n2))));
}

/**
 * Mann–Whitney U on two histograms over the same ordered bins (ties within a bin corrected), as a
 * location-shift test: returns the AUC of current over baseline and its two-sided p-value.
 */
export function mannWhitneyBinned(ref: number[], cur: number[]): { auc: number; p: number } {
  const n0 = ref.reduce((a, b) => a + b, 0);
  const n1 = cur.reduce((a, b) => a + b, 0);
  if (n0 === 0 || n1 === 0) return { auc: 0.5, p: 1 };
  let below = 0;
  let u = 0;
  let ties = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] ?? 0;
    const c = cur[i] ?? 0;
    u += c * (below + r / 2);
    below += r;
    const t = r + c;
    ties += t * t * t - t;
  }
  const n = n0 + n1;
  const variance = ((n0 * n1) / 12) * (n + 1 - ties / (n * (n - 1)));
  const z = variance > 0 ? (u - (n0 * n1) / 2) / Math.sqrt(variance) : 0;
  return { auc: u / (n0 * n1), p: Math.min(1, 2 * normalSf(Math.abs(z))) };
}

const lnChoose = (n: number, k: number): number => lnFact(n) - lnFact(k) - lnFact(n - k);

/**
 * Two-sided Fisher exact test of x1/n1 against x0/n0 (a 2×2 table): the normal approximation is far
 * too confident in the tails a Bonferroni share lives in when a level holds a few dozen rows.
 * Falls back to the z test when the table is so large that the approximation is fine.
 */
export function fisherP(x0: number, n0: number, x1: number, n1: number): number {
  if (n0 <= 0 || n1 <= 0) return 1;
  const k = x0 + x1;
  const n = n0 + n1;
  const lo = Math.max(0, k - n0);
  const hi = Math.min(k, n1);
  if (hi - lo > 20_000) return twoPropP(x0, n0, x1, n1);
  // lnChoose(n1, x) + lnChoose(n0, k - x) - lnChoose(n, k), term by term in the same order (the same doubles)
  const f1 = lnFact(n1);
  const f0 = lnFact(n0);
  const all = lnChoose(n, k);
  const lp = (x: number): number => f1 - lnFact(x) - lnFact(n1 - x) + (f0 - lnFact(k - x) - lnFact(n0 - k + x)) - all;
  const obs = lp(x1);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const l = lp(x);
    if (l <= obs + 1e-7) p += Math.exp(l);
  }
  return Math.min(1, p);
}

/**
 * Exchangeability test for values past the baseline's extremes: if baseline and batch come from one
 * distribution, the chance that k batch values lie beyond every one of n0 baseline values (above the
 * maximum or below the minimum) is at most 2·C(n1, k) / C(n0 + n1, k). Distribution-free and exact,
 * however heavy the tails.
 */
export function beyondExtremesP(k: number, n0: number, n1: number): number {
  if (k <= 0 || n1 <= 0) return 1;
  let p = 2;
  for (let i = 0; i < k; i++) p *= (n1 - i) / (n0 + n1 - i);
  return Math.min(1, p);
}
