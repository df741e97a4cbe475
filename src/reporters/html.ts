/**
 * One self-contained HTML page: inline CSS and inline SVG charts drawn here, no script, no external
 * requests (a CSP meta tag forbids them, so even a missed escape could not run code). The parts:
 * `html/layout.ts` (page, verdict, shared tables), `html/scan.ts` (findings by file),
 * `html/validation.ts` (expectations, columns, drift), `html/verify.ts` (signer and trust), and
 * `html/svg.ts` (the charts).
 */
import type { Report } from '../model/report.js';
import { auditSummaryHtml } from './audit-summary.js';
import { verdictOf } from './common.js';
import type { RenderOptions } from './formats.js';
import { inconclusiveSection, page, summary, suppressedSection } from './html/layout.js';
import { filesSection } from './html/scan.js';
import { expectationTally, validationSections } from './html/validation.js';
import { validationView } from './html/validation-data.js';
import { verifySections, verifyTally } from './html/verify.js';

export function renderHtml(report: Report, opts: RenderOptions = {}): string {
  const validation = validationView(report.validation);
  const sections: string[] = [];
  if (report.audit) sections.push(auditSummaryHtml(report));
  sections.push(summary(report, verdictOf(report), validation ? expectationTally(validation) : verifyTally(report)));
  sections.push(...verifySections(report));
  if (validation) sections.push(...validationSections(validation));
  // a clean validation's good news is its expectations; an empty findings list adds nothing to it
  if (!validation || report.findings.length || report.suppressed.length) sections.push(filesSection(report, opts, validation ? 'Findings' : 'Findings by file'));
  sections.push(inconclusiveSection(report), suppressedSection(report, opts));
  return page(report, sections);
}
