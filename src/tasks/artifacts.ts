// What a task can hand back besides action results: a screenshot, a PDF, the page's HTML, each
// drawing on the answer's budget (actions/answer.ts), so no answer grows past its caps, and each
// within the artifacts' deadline: a page that does not answer is freed (actions/page-recovery.ts).
import { z } from 'zod';
import { AnswerBudget, base64Bytes, captureScreenshot, tooLarge } from '../actions/answer.js';
import type { Page } from '../browsers/playwright.js';
import { describeHold, freePage, pageCall } from '../actions/page-recovery.js';
import { translateBrowserError } from '../actions/executor.js';
import { NavisError } from '../errors.js';

export { AnswerBudget, DEFAULT_ANSWER_LIMITS, type AnswerLimits } from '../actions/answer.js';

const Length = z.union([
  z.string().regex(/^\d+(\.\d+)?(px|in|cm|mm)?$/, 'a length such as 10mm, 0.5in, 20px'),
  z.number().min(0),
]);

export const PdfOptionsSchema = z.object({
  format: z
    .enum(['Letter', 'Legal', 'Tabloid', 'Ledger', 'A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6'])
    .optional()
    .describe('Paper format (default Letter)'),
  landscape: z.boolean().optional(),
  margin: z
    .object({ top: Length.optional(), right: Length.optional(), bottom: Length.optional(), left: Length.optional() })
    .optional(),
  printBackground: z.boolean().optional(),
  scale: z.number().min(0.1).max(2).optional(),
  pageRanges: z.string().max(200).optional().describe("e.g. '1-5, 8'"),
  displayHeaderFooter: z.boolean().optional(),
  headerTemplate: z.string().max(100_000).optional(),
  footerTemplate: z.string().max(100_000).optional(),
  width: Length.optional(),
  height: Length.optional(),
  preferCSSPageSize: z.boolean().optional(),
});
export type PdfOptions = z.infer<typeof PdfOptionsSchema>;

export const ScreenshotOptionsSchema = z.object({
  fullPage: z.boolean().optional(),
  selector: z.string().min(1).max(4000).optional(),
  type: z.enum(['png', 'jpeg']).optional().describe('Image format (default png)'),
  quality: z.number().int().min(0).max(100).optional().describe('jpeg only'),
});
export type ScreenshotOptions = z.infer<typeof ScreenshotOptionsSchema>;

const numberToPx = (v: string | number | undefined) => (typeof v === 'number' ? `${v}px` : v);

/**
 * The PDF of the page, refused past NAVIS_MAX_PDF_PAGES. Chromium is asked for one page more
 * than the cap at most, so a document of thousands of pages is never printed whole.
 */
export async function renderPdf(
  page: Page,
  opts: PdfOptions,
  timeoutMs: number,
  answer = new AnswerBudget(),
): Promise<Buffer> {
  const { maxPdfPages } = answer.limits;
  const margin = opts.margin && Object.fromEntries(Object.entries(opts.margin).map(([k, v]) => [k, numberToPx(v)]));
  const { width, height, pageRanges, ...rest } = opts;
  const ranges = firstPages(pageRanges, maxPdfPages + 1) ?? pageRanges;
  const work = page.pdf({ ...rest, pageRanges: ranges, margin, width: numberToPx(width), height: numberToPx(height) });
  const pdf = await pageCall(page, work, timeoutMs, 'rendering the PDF');
  const pages = pdfPageCount(pdf);
  if (pages > maxPdfPages) {
    const advice = `Ask for fewer pages with pageRanges (e.g. '1-${maxPdfPages}')`;
    throw tooLarge(
      'the PDF would have',
      pages,
      { setting: 'NAVIS_MAX_PDF_PAGES', max: maxPdfPages, unit: 'pages', about: 'one PDF may have' },
      advice,
      { atLeast: true },
    );
  }
  answer.carry('the PDF', base64Bytes(pdf.length), 'Ask for fewer pages with pageRanges', { isResult: false });
  return pdf;
}

/**
 * `pageRanges` cut to the first `count` pages they select ('1-5, 8, 11-' with 7 → '1-5,8,11'; none:
 * the whole document). Chromium prints pages in document order, once, and ignores pages past the
 * end, so the cut prints the same pages up to `count`. Undefined when the ranges cannot be read:
 * Chromium judges them then, and the page count is checked after.
 */
export function firstPages(pageRanges: string | undefined, count: number): string | undefined {
  const spans: Array<[number, number]> = [];
  for (const part of pageRanges?.trim() ? pageRanges.split(',') : ['1-']) {
    const m = /^\s*(?:(\d+)|(\d*)\s*-\s*(\d*))\s*$/.exec(part);
    if (!m || (m[1] === undefined && !m[2] && !m[3])) return undefined;
    const from = Number(m[1] ?? (m[2] || 1));
    const to = m[1] !== undefined ? from : m[3] ? Number(m[3]) : Infinity;
    if (from < 1 || to < from) return undefined;
    spans.push([from, to]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const kept: string[] = [];
  let left = count;
  let next = 1; // the first page not taken yet
  for (const [from, to] of spans) {
    const start = Math.max(from, next);
    if (start > to) continue;
    const end = Math.min(to, start + left - 1);
    kept.push(start === end ? `${start}` : `${start}-${end}`);
    left -= end - start + 1;
    next = end + 1;
    if (left === 0) break;
  }
  return kept.join(',');
}

/** Pages of a PDF as Chromium writes it (one uncompressed `/Type /Page` object per page). */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}

export async function takeScreenshot(
  page: Page,
  opts: ScreenshotOptions,
  timeoutMs: number,
  answer = new AnswerBudget(),
): Promise<Buffer> {
  if (opts.selector !== undefined) {
    const started = Date.now();
    const target = page.locator(opts.selector).first();
    const count = await pageCall(page, target.count(), timeoutMs, `looking for '${opts.selector}' to screenshot`);
    if (count === 0) {
      throw new NavisError(
        'SELECTOR_NOT_FOUND',
        `screenshot: selector '${opts.selector}' matched nothing on ${page.url()}.`,
        { selector: opts.selector },
      );
    }
    const left = Math.max(1, timeoutMs - (Date.now() - started));
    return captureScreenshot(page, { ...opts, element: target }, left, answer);
  }
  return captureScreenshot(page, opts, timeoutMs, answer);
}

/**
 * The page's HTML, as page.content() serialises it, measured in the page: HTML past the answer's
 * allowance is left there and refused (only its length crosses over).
 */
export async function pageContent(
  page: Page,
  timeoutMs: number,
  answer = new AnswerBudget(),
): Promise<{ html: string; url: string }> {
  const read = page.evaluate((maxChars) => {
    const doctype = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '';
    const html = `${doctype}${document.documentElement?.outerHTML ?? ''}`;
    return html.length > maxChars ? { chars: html.length } : { html };
  }, answer.resultAllowance());
  const serialised = await pageCall(page, read, timeoutMs, "reading the page's HTML");
  const advice = 'Read the part you need with extract or evaluate instead of content: true';
  if (serialised.html === undefined)
    throw answer.refusal("the page's HTML", serialised.chars, advice, { atLeast: true });
  answer.carry("the page's HTML", Buffer.byteLength(serialised.html), advice);
  return { html: serialised.html, url: page.url() };
}

/**
 * What a capture threw, typed (executor.ts translateBrowserError); a timeout frees the page first,
 * so the session's next request does not meet the same busy page, and says what held it.
 */
export async function artifactFailure(error: unknown, page: Page): Promise<NavisError> {
  const typed = translateBrowserError(error, page);
  if (typed.code !== 'ACTION_TIMEOUT') return typed;
  const held = describeHold(await freePage(page), page);
  if (!held) return typed;
  return new NavisError(typed.code, `${typed.message.replace(/\.$/, '')}; ${held}.`, typed.details, {
    cause: typed.cause,
  });
}
