// What a task can hand back besides action results: a screenshot, a PDF, the page's HTML.
import { z } from 'zod';
import type { Page } from '../browsers/playwright.js';
import { withDeadline } from '../browsers/deadline.js';
import { NavisError } from '../errors.js';

const Length = z.union([z.string().regex(/^\d+(\.\d+)?(px|in|cm|mm)?$/, 'a length such as 10mm, 0.5in, 20px'), z.number().min(0)]);

export const PdfOptionsSchema = z.object({
  format: z.enum(['Letter', 'Legal', 'Tabloid', 'Ledger', 'A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6']).optional().describe('Paper format (default Letter)'),
  landscape: z.boolean().optional(),
  margin: z.object({ top: Length.optional(), right: Length.optional(), bottom: Length.optional(), left: Length.optional() }).optional(),
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

export async function renderPdf(page: Page, opts: PdfOptions, timeoutMs: number): Promise<Buffer> {
  const margin = opts.margin && Object.fromEntries(Object.entries(opts.margin).map(([k, v]) => [k, numberToPx(v)]));
  const { width, height, ...rest } = opts;
  const work = page.pdf({ ...rest, margin, width: numberToPx(width), height: numberToPx(height) });
  return withDeadline(work, timeoutMs, `timed out after ${timeoutMs} ms rendering the PDF.`);
}

export async function takeScreenshot(page: Page, opts: ScreenshotOptions, timeoutMs: number): Promise<Buffer> {
  if (opts.selector !== undefined) {
    const target = page.locator(opts.selector).first();
    if ((await target.count()) === 0) {
      throw new NavisError('SELECTOR_NOT_FOUND', `screenshot: selector '${opts.selector}' matched nothing on ${page.url()}.`, { selector: opts.selector });
    }
    return target.screenshot({ type: opts.type, quality: opts.quality, timeout: timeoutMs });
  }
  return page.screenshot({ fullPage: opts.fullPage ?? false, type: opts.type, quality: opts.quality, timeout: timeoutMs });
}

export async function pageContent(page: Page): Promise<{ html: string; url: string }> {
  return { html: await page.content(), url: page.url() };
}
