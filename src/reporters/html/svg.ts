/**
 * Charts as inline SVG, drawn here rather than in the browser: the page carries no script (its CSP
 * forbids one), so every bar is computed now. Each chart is a fixed viewBox scaled to its container
 * (drawn at its natural width, shrunk to fit), with a `<title>` for screen readers and text labels cut to fit. Every label came
 * from a scanned file, so it goes through `escapeHtml` like everything else.
 */
import { escapeHtml as h } from '../escape.js';

export interface Bar {
  label: string;
  value: number;
  /** colour class: `bad` (over threshold / failed), `ok`, or a severity */
  tone?: string;
  /** shown at the bar's end instead of the value */
  text?: string;
}

/** natural width of a full chart; cards ask for a narrower one */
const W = 720;
const ROW = 22;
const labelWidth = (w: number): number => Math.round(w * 0.27);

/** Cut to `max` characters, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function svg(height: number, title: string, body: string[], stretch = false, width = W): string {
  // drawn at its own size (text stays 12px) and shrunk on narrow screens; a strip spans the column
  const size = stretch ? `width="100%" height="${height}" preserveAspectRatio="none"` : `width="${width}" height="${height}"`;
  return (
    `<svg class="chart${stretch ? ' strip' : ''}" role="img" viewBox="0 0 ${width} ${height}" ${size} xmlns="http://www.w3.org/2000/svg">` +
    `<title>${h(title)}</title>${body.join('')}</svg>`
  );
}

/** Cut from the front, for paths: the file name at the end is the part to keep. */
export function clipStart(s: string, max: number): string {
  return s.length > max ? `…${s.slice(s.length - max + 1)}` : s;
}

/** A number as a chart shows it: at most 3 significant digits, no exponent for ordinary sizes. */
export function short(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n !== 0 && Math.abs(n) < 0.001) return n.toExponential(1);
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toPrecision(3)}k`;
  return String(Number(n.toPrecision(3)));
}

/**
 * Horizontal bars, one row each, with an optional dashed threshold line. Values above `cap` times
 * the threshold are drawn to the edge and keep their number, so one huge drift does not flatten the rest.
 */
export function barChart(bars: Bar[], opts: { title: string; threshold?: number; thresholdLabel?: string; width?: number }): string {
  if (!bars.length) return '';
  const width = opts.width ?? W;
  const lw = labelWidth(width);
  const t = opts.threshold;
  const top = Math.max(...bars.map((b) => b.value), 0);
  const max = t !== undefined && t > 0 ? Math.min(Math.max(top, t * 1.25), t * 4) : top || 1;
  // room on the right for the longest value label (about 6.5 px a character at 12 px)
  const textW = Math.max(...bars.map((b) => (b.text ?? short(b.value)).length)) * 6.5 + 8;
  const plot = Math.max(60, width - lw - textW);
  const x = (v: number): number => lw + Math.min(1, Math.max(0, v) / max) * plot;
  const height = bars.length * ROW + 24;
  const body = bars.map((b, i) => {
    const y = 8 + i * ROW;
    const w = Math.max(1.5, x(b.value) - lw);
    return (
      `<text x="${lw - 6}" y="${y + 14}" text-anchor="end" class="lbl">${h(clip(b.label, 26))}</text>` +
      `<rect x="${lw}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 7}" class="bar ${b.tone ?? ''}"><title>${h(`${b.label}: ${b.text ?? short(b.value)}`)}</title></rect>` +
      `<text x="${(lw + w + 4).toFixed(1)}" y="${y + 14}" class="val">${h(b.text ?? short(b.value))}</text>`
    );
  });
  if (t !== undefined) {
    const tx = x(t).toFixed(1);
    body.push(
      `<line x1="${tx}" x2="${tx}" y1="4" y2="${height - 16}" class="thr"/>` +
        `<text x="${tx}" y="${height - 4}" text-anchor="middle" class="val">${h(opts.thresholdLabel ?? 'threshold')} ${h(short(t))}</text>`,
    );
  }
  return svg(height, opts.title, body, false, width);
}

export interface Pair {
  label: string;
  current: number;
  baseline?: number;
}

/**
 * Shares side by side: for each category a bar for this data and, when known, a thinner one for the
 * baseline under it. Values are shares (0..1) or counts; each series is normalised to its own total.
 */
export function pairChart(pairs: Pair[], opts: { title: string; shares?: boolean; width?: number }): string {
  if (!pairs.length) return '';
  const width = opts.width ?? W;
  const lw = labelWidth(width);
  const cut = Math.max(6, Math.floor(lw / 7));
  const norm = (vals: number[]): number[] => {
    if (opts.shares) return vals;
    const sum = vals.reduce((a, b) => a + b, 0) || 1;
    return vals.map((v) => v / sum);
  };
  const cur = norm(pairs.map((p) => p.current));
  const hasBase = pairs.some((p) => p.baseline !== undefined);
  const base = norm(pairs.map((p) => p.baseline ?? 0));
  const max = Math.max(...cur, ...(hasBase ? base : []), 0.0001);
  const plot = width - lw - 44;
  const rowH = hasBase ? 30 : ROW;
  const body = pairs.map((p, i) => {
    const y = 8 + i * rowH;
    const wc = Math.max(1.5, (cur[i]! / max) * plot);
    let s =
      `<text x="${lw - 6}" y="${y + 13}" text-anchor="end" class="lbl">${h(clip(p.label, cut))}</text>` +
      `<rect x="${lw}" y="${y + 2}" width="${wc.toFixed(1)}" height="14" class="bar cur"><title>${h(`${p.label}: ${pct(cur[i]!)}`)}</title></rect>` +
      `<text x="${(lw + wc + 4).toFixed(1)}" y="${y + 13}" class="val">${pct(cur[i]!)}</text>`;
    if (hasBase && p.baseline !== undefined) {
      const wb = Math.max(1.5, (base[i]! / max) * plot);
      s +=
        `<rect x="${lw}" y="${y + 18}" width="${wb.toFixed(1)}" height="7" class="bar base"><title>${h(`${p.label}: baseline ${pct(base[i]!)}`)}</title></rect>` +
        `<text x="${(lw + wb + 4).toFixed(1)}" y="${y + 25}" class="val mut">${pct(base[i]!)}</text>`;
    }
    return s;
  });
  return svg(pairs.length * rowH + 12, opts.title, body, false, width) + (hasBase ? legend() : '');
}

function pct(v: number): string {
  return `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
}

/** The key under charts that overlay a baseline. */
export function legend(baselineAsLine = false): string {
  return `<div class="legend"><span class="sw cur"></span>this data <span class="sw ${baselineAsLine ? 'line' : 'base'}"></span>baseline</div>`;
}

/**
 * A histogram on shared bin edges: bars for this data, a step line for the baseline, both as shares
 * of their own totals so different row counts compare.
 */
export function histogram(edges: number[], counts: number[], baseline: number[] | undefined, title: string, width = W): string {
  const n = counts.length;
  if (!n || edges.length !== n + 1) return '';
  const H = 120;
  const PAD = 18;
  const share = (xs: number[]): number[] => {
    const s = xs.reduce((a, b) => a + b, 0) || 1;
    return xs.map((x) => x / s);
  };
  const cur = share(counts);
  const base = baseline && baseline.length === n ? share(baseline) : undefined;
  const max = Math.max(...cur, ...(base ?? []), 0.0001);
  const bw = (width - 20) / n;
  const y = (v: number): number => PAD + (1 - v / max) * (H - PAD * 2);
  const body = cur.map(
    (v, i) =>
      `<rect x="${(10 + i * bw + 0.5).toFixed(1)}" y="${y(v).toFixed(1)}" width="${Math.max(0.5, bw - 1).toFixed(1)}" height="${(H - PAD - y(v)).toFixed(1)}" class="bar cur">` +
      `<title>${h(`${short(edges[i]!)} – ${short(edges[i + 1]!)}: ${pct(v)}`)}</title></rect>`,
  );
  if (base) {
    const pts = base.flatMap((v, i) => [`${(10 + i * bw).toFixed(1)},${y(v).toFixed(1)}`, `${(10 + (i + 1) * bw).toFixed(1)},${y(v).toFixed(1)}`]);
    body.push(`<polyline points="${pts.join(' ')}" class="step"/>`);
  }
  body.push(
    `<line x1="10" x2="${width - 10}" y1="${H - PAD}" y2="${H - PAD}" class="axis"/>`,
    `<text x="10" y="${H - 4}" class="val">${h(short(edges[0]!))}</text>`,
    `<text x="${width - 10}" y="${H - 4}" text-anchor="end" class="val">${h(short(edges[n]!))}</text>`,
  );
  return svg(H, title, body, false, width) + (base ? legend(true) : '');
}

/** One stacked bar of counts by kind (findings by severity), with the counts written under it. */
export function stackedBar(parts: Array<{ label: string; value: number; tone: string }>, title: string): string {
  const total = parts.reduce((a, p) => a + p.value, 0);
  if (!total) return '';
  let x = 0;
  const body: string[] = [];
  for (const p of parts) {
    if (!p.value) continue;
    const w = (p.value / total) * W;
    body.push(`<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="14" class="bar ${p.tone}"><title>${h(`${p.value} ${p.label}`)}</title></rect>`);
    x += w;
  }
  return svg(14, title, body, true);
}
