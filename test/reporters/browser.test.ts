/// <reference lib="dom" />
/**
 * Every HTML report kind opened in a real browser (Debian's chromium, driven by puppeteer-core, which
 * downloads none): at 1280 px nothing is wider than the window, every chart has a non-empty box, and
 * the page logs no console error, throws nothing, breaks no CSP rule and requests nothing but itself.
 * `MLVET_SCREENSHOTS=<dir>` also saves the README screenshots (scripts/screenshots.mjs sets it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/reporters/html.js';
import { makeSamples, type Samples } from './html-samples.js';

const CHROMIUM = '/usr/bin/chromium';
const WIDTH = 1280;

interface Kind {
  name: string;
  sample: keyof Samples;
  /** charts the page must draw, at least */
  charts: number;
  /** saved as docs/img/<name>.png when screenshots are asked for, this many px tall (default 1000) */
  screenshot?: string;
  shotHeight?: number;
}

const KINDS: Kind[] = [
  { name: 'scan with many findings', sample: 'scan', charts: 1, screenshot: 'report-scan' },
  { name: 'validation, clean', sample: 'validationClean', charts: 3 },
  { name: 'validation with drift', sample: 'validationDrift', charts: 6, screenshot: 'report-validation-drift', shotHeight: 1750 },
  { name: 'verify', sample: 'verify', charts: 1, screenshot: 'report-verify' },
  { name: 'audit', sample: 'audit', charts: 1 },
];

let browser: Browser | undefined;
let samples: Samples;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the HTML reports are checked in Debian's chromium. Install it with \`apt-get install chromium\` (.ci/run does this when it is missing).`);
  }
  dir = mkdtempSync(join(tmpdir(), 'mlvet-browser-'));
  const launching = puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`],
  });
  [browser, samples] = await Promise.all([launching, makeSamples(join(dir, 'work'))]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface PageCheck {
  problems: string[];
  scrollWidth: number;
  charts: Array<{ w: number; h: number }>;
}

async function open(html: string, name: string, shot?: string, shotHeight = 1000): Promise<PageCheck> {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.html`);
  writeFileSync(file, html);
  const page = await browser!.newPage();
  const problems: string[] = [];
  try {
    await page.setViewport({ width: WIDTH, height: 1000 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.url() === pathToFileURL(file).href) void r.continue();
      else {
        problems.push(`request: ${r.url()}`);
        void r.abort();
      }
    });
    // injected by DevTools, so the page's own CSP (no scripts) does not stop it
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const check = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      charts: Array.from(document.querySelectorAll<SVGSVGElement>('svg.chart'), (s) => {
        const b = s.getBoundingClientRect();
        return { w: b.width, h: b.height };
      }),
    }));
    const out = process.env.MLVET_SCREENSHOTS;
    if (shot && out) {
      mkdirSync(resolve(out), { recursive: true });
      await page.screenshot({ path: join(resolve(out), `${shot}.png`), clip: { x: 0, y: 0, width: WIDTH, height: shotHeight } });
    }
    return { problems, ...check };
  } finally {
    await page.close();
  }
}

describe('HTML reports in chromium at 1280 px', () => {
  it.each(KINDS)('$name: no overflow, charts drawn, no console or CSP error', async (k) => {
    const r = await open(renderHtml(samples[k.sample]), k.name, k.screenshot, k.shotHeight);
    expect(r.problems).toEqual([]);
    expect(r.scrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(r.charts.length).toBeGreaterThanOrEqual(k.charts);
    // charts inside closed <details> have no box; every chart here is in an open part of the page
    for (const c of r.charts) {
      expect(c.w).toBeGreaterThan(0);
      expect(c.h).toBeGreaterThan(0);
    }
  });

  it('the checks can fail: an inline script is refused by the CSP and said on the console, a wide table overflows', async () => {
    const bad = renderHtml(samples.verify).replace('</body>', '<script>document.title = "ran"</script><table style="width:3000px"><tr><td>x</td></tr></table></body>');
    const r = await open(bad, 'broken on purpose');
    expect(r.problems.some((p) => p.includes('CSP violation: script-src'))).toBe(true);
    expect(r.scrollWidth).toBeGreaterThan(WIDTH);
  });
});
