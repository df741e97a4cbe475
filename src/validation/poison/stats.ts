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

function lnGamma(x: number): number {
  // Lanczos coefficients (Numerical Recipes gammln), to double precision
  const c = [76.1800917294715, -86.5053203294168, 24.0140982408309, -1.23173957245016, 0.00120865097386618, -0.000005395239384953];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((Math.sqrt(2 * Math.PI) * ser) / x);
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
