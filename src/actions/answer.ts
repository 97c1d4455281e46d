// What one answer may carry. Every result and artifact of one answer draws on one AnswerBudget, so
// a tenant cannot make navis build (or Chromium draw) an answer of any size: past a cap the answer
// is 422 RESULT_TOO_LARGE, naming the size, the limit and the setting that raises it. Screenshots
// (the action and the task artifact) are drawn here, measured before Chromium draws them.
import type { Locator } from 'playwright-core';
import type { Page } from '../browsers/playwright.js';
import { withDeadline } from '../browsers/deadline.js';
import { NavisError } from '../errors.js';

/** The caps (config.ts has the same fields, so a Config is an AnswerLimits). */
export interface AnswerLimits {
  /** NAVIS_MAX_RESULT_BYTES: one result: an evaluate value's JSON, an extract's text, content's HTML. */
  maxResultBytes: number;
  /** NAVIS_MAX_ANSWER_BYTES: everything one answer carries together (results, screenshots, PDF, HTML). */
  maxAnswerBytes: number;
  /** NAVIS_MAX_SCREENSHOT_PX: the widest and tallest a full-page or element screenshot may be, in CSS px. */
  maxScreenshotPx: number;
  /** NAVIS_MAX_PDF_PAGES: the most pages a PDF may have. */
  maxPdfPages: number;
}

/** The defaults (config.ts reads the settings). 16384 px: the largest texture side Chromium's compositor supports. */
export const DEFAULT_ANSWER_LIMITS: Readonly<AnswerLimits> = Object.freeze({
  maxResultBytes: 10 * 1024 * 1024,
  maxAnswerBytes: 100 * 1024 * 1024,
  maxScreenshotPx: 16_384,
  maxPdfPages: 1000,
});

export interface Limit {
  setting: string;
  max: number;
  unit: 'bytes' | 'px' | 'pages';
  /** "one result may carry": what the limit is about, in words. */
  about: string;
}

/** "<statement> <size>, more than <limit> (<setting>). <advice>, or raise <setting>.", with the numbers as details. */
export function tooLarge(
  statement: string,
  size: number,
  limit: Limit,
  advice: string,
  opts: { atLeast?: boolean } = {},
): NavisError {
  const amount = `${opts.atLeast ? 'at least ' : ''}${size} ${limit.unit}`;
  return new NavisError(
    'RESULT_TOO_LARGE',
    `${statement} ${amount}, more than the ${limit.max} ${limit.unit} ${limit.about} (${limit.setting}). ${advice}, or raise ${limit.setting}.`,
    {
      limit: { setting: limit.setting, max: limit.max, unit: limit.unit },
      size,
    },
  );
}

/** Bytes `bytes` take in a JSON answer as base64. */
export const base64Bytes = (bytes: number) => Math.ceil(bytes / 3) * 4;

/**
 * What the answer being built may still carry. One per answer (a task with its artifacts); a step
 * run without one gets a budget of its own, so only the per-result caps hold for it.
 */
export class AnswerBudget {
  private carriedBytes = 0;

  constructor(readonly limits: AnswerLimits = DEFAULT_ANSWER_LIMITS) {}

  /** The most bytes the next result may have: the per-result cap or what the answer has left. */
  resultAllowance(): number {
    return Math.max(0, Math.min(this.limits.maxResultBytes, this.limits.maxAnswerBytes - this.carriedBytes));
  }

  /**
   * Counts one item into the answer, or refuses it. `isResult`: the per-result cap applies too
   * (screenshots and PDFs have caps of their own).
   */
  carry(what: string, bytes: number, advice: string, opts: { isResult?: boolean } = {}): void {
    const isResult = opts.isResult ?? true;
    if ((isResult && bytes > this.limits.maxResultBytes) || this.carriedBytes + bytes > this.limits.maxAnswerBytes)
      throw this.refusal(what, bytes, advice, { isResult });
    this.carriedBytes += bytes;
  }

  /**
   * Why an item of `bytes` does not fit: past the per-result cap, else past what the answer has
   * left. `atLeast`: `bytes` is a lower bound (measured in characters where the item was left).
   */
  refusal(
    what: string,
    bytes: number,
    advice: string,
    opts: { isResult?: boolean; atLeast?: boolean } = {},
  ): NavisError {
    const { maxResultBytes, maxAnswerBytes } = this.limits;
    if ((opts.isResult ?? true) && bytes > maxResultBytes) {
      return tooLarge(
        `${what} is`,
        bytes,
        { setting: 'NAVIS_MAX_RESULT_BYTES', max: maxResultBytes, unit: 'bytes', about: 'one result may carry' },
        advice,
        opts,
      );
    }
    const limit: Limit = {
      setting: 'NAVIS_MAX_ANSWER_BYTES',
      max: maxAnswerBytes,
      unit: 'bytes',
      about: 'one answer may carry',
    };
    return tooLarge(
      `with ${what} the answer would carry`,
      this.carriedBytes + bytes,
      limit,
      'Spread the work over several requests',
      opts,
    );
  }
}

/**
 * A screenshot of the viewport, the whole page or one element, refused before Chromium draws it
 * when wider or taller than NAVIS_MAX_SCREENSHOT_PX (it would allocate the whole bitmap). A whole
 * page is also clipped to the cap, for a page that grows (or lies about its size) after it was measured.
 */
export async function captureScreenshot(
  page: Page,
  opts: { fullPage?: boolean; element?: Locator; selector?: string; type?: 'png' | 'jpeg'; quality?: number },
  timeoutMs: number,
  answer = new AnswerBudget(),
): Promise<Buffer> {
  const { maxScreenshotPx: max } = answer.limits;
  const limit: Limit = {
    setting: 'NAVIS_MAX_SCREENSHOT_PX',
    max,
    unit: 'px',
    about: 'a screenshot may be on either side',
  };
  const started = Date.now();
  const left = () => Math.max(1, timeoutMs - (Date.now() - started));
  const format = { type: opts.type, quality: opts.quality };
  let image: Buffer;
  if (opts.element) {
    const box = await opts.element.boundingBox({ timeout: left() });
    const [width, height] = [Math.ceil(box?.width ?? 0), Math.ceil(box?.height ?? 0)];
    if (Math.max(width, height) > max) {
      const what = `the element${opts.selector ? ` '${opts.selector}'` : ''} is ${width}x${height} px, a side of`;
      throw tooLarge(what, Math.max(width, height), limit, 'Pick a smaller element');
    }
    image = await opts.element.screenshot({ ...format, timeout: left() });
  } else if (opts.fullPage) {
    const size = await withDeadline(
      page.evaluate(fullPageSize),
      left(),
      `timed out after ${timeoutMs} ms measuring the page (the page did not respond).`,
    );
    if (Math.max(size.width, size.height) > max) {
      throw tooLarge(
        `the page is ${size.width}x${size.height} px, a side of`,
        Math.max(size.width, size.height),
        limit,
        'Take the viewport (fullPage: false) or one element (selector)',
      );
    }
    image = await page.screenshot({
      ...format,
      fullPage: true,
      clip: { x: 0, y: 0, width: max, height: max },
      timeout: left(),
    });
  } else {
    image = await page.screenshot({ ...format, timeout: left() });
  }
  answer.carry('the screenshot', base64Bytes(image.length), 'Take the viewport or a smaller element', {
    isResult: false,
  });
  return image;
}

/** The size Playwright gives a full-page screenshot (its own formula), in CSS px. */
function fullPageSize(): { width: number; height: number } {
  const body = document.body;
  const root = document.documentElement;
  if (!body || !root) return { width: 0, height: 0 };
  return {
    width: Math.max(
      body.scrollWidth,
      root.scrollWidth,
      body.offsetWidth,
      root.offsetWidth,
      body.clientWidth,
      root.clientWidth,
    ),
    height: Math.max(
      body.scrollHeight,
      root.scrollHeight,
      body.offsetHeight,
      root.offsetHeight,
      body.clientHeight,
      root.clientHeight,
    ),
  };
}
