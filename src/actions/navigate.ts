// THE navigation path: every page load navis starts itself — a task's `url` and `navigate` steps,
// back and forward, a site state's URL, discovery's crawl, the LLM's navigate tool, the live
// view's address bar — comes through here. The URL is checked first (scheme, then the tenant's
// network policy on the resolved host: network/guard.ts); a navigation the egress guard refused on
// the way (a redirect to a private address) answers that refusal, not the blank page it left. One
// whose server never answers is stopped at its deadline, so the page answers the next task.
import type { Frame, Response } from 'playwright-core';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import { EGRESS_HEADER } from '../network/egress-proxy.js';
import type { NavigationGuard } from '../network/guard.js';
import { withDeadline } from '../browsers/deadline.js';
import { pageSession } from './page-session.js';
import { describeHold, freePage } from './page-recovery.js';

export type WaitUntil = 'domcontentloaded' | 'load' | 'networkidle';

export interface NavigationOptions {
  guard: NavigationGuard;
  waitUntil: WaitUntil;
  timeoutMs: number;
  /** An HTTP error status (4xx/5xx) of the page counts as a failed navigation (site states, seed 002). */
  failOnHttpError?: boolean;
}

/** Opens `url` in `page` once the guard lets it; the page's response (null for about:blank and the like). */
export async function navigate(page: Page, url: string, opts: NavigationOptions): Promise<Response | null> {
  await opts.guard.check(url);
  return guarded(page, url, url.slice(0, 200), opts, () =>
    page.goto(url, { waitUntil: opts.waitUntil, timeout: opts.timeoutMs }),
  );
}

/**
 * One step back or forward in the tab's history. Its entries were opened through this path or
 * through the CDP firewall, so their schemes passed already; the network is still judged on the
 * wire, and a refusal there answers as for navigate().
 */
export async function stepHistory(
  page: Page,
  direction: 'back' | 'forward',
  opts: Omit<NavigationOptions, 'failOnHttpError'>,
): Promise<Response | null> {
  const options = { waitUntil: opts.waitUntil, timeout: opts.timeoutMs };
  const target = `the ${direction === 'back' ? 'previous' : 'next'} page of this tab's history`;
  return guarded(page, page.url(), target, opts, () =>
    direction === 'back' ? page.goBack(options) : page.goForward(options),
  );
}

/**
 * How long a navigation that failed in the network waits for Chromium's error page to commit: it
 * commits just after page.goto rejected, and a navigation started before that is "interrupted by
 * another navigation to chrome-error://chromewebdata/" (Playwright #35944): the next task on the
 * session would fail for nothing. Error pages commit within a few hundred ms.
 */
const ERROR_PAGE_WAIT_MS = 1000;

async function guarded(
  page: Page,
  url: string,
  /** What is being opened, in words (the URL, or a history entry). */
  target: string,
  opts: NavigationOptions,
  load: () => Promise<Response | null>,
): Promise<Response | null> {
  const mark = opts.guard.mark();
  let errorPageCommitted!: () => void;
  const errorPage = new Promise<void>((resolve) => (errorPageCommitted = resolve));
  let committed = false;
  const onNavigated = (frame: Frame) => {
    if (frame !== page.mainFrame()) return;
    committed = true;
    if (frame.url().startsWith('chrome-error:')) errorPageCommitted();
  };
  page.on('framenavigated', onNavigated);
  let response: Response | null;
  try {
    response = await load();
  } catch (error) {
    // A timed-out navigation failed by its deadline, whatever else the guard refused meanwhile (an
    // image of the page): no refusal explains it, and it is still under way (no error page). A
    // navigation that failed in the network is explained by the guard's refusal, when there was
    // one (its own request, or a redirect of it: it fails at once, before its page loads anything).
    if ((error as Error)?.name === 'TimeoutError' && !page.isClosed())
      throw await timedOut(page, target, committed, opts);
    if (page.isClosed()) throw error;
    await within(errorPage, ERROR_PAGE_WAIT_MS);
    throw (await opts.guard.explain(mark, url)) ?? error;
  } finally {
    page.off('framenavigated', onNavigated);
  }
  if (response?.headers()[EGRESS_HEADER]) {
    const refusal = await opts.guard.explain(mark, response.url());
    if (refusal) throw refusal;
  }
  if (response && response.status() >= 590 && response.status() <= 599) {
    // The guard's proxy answers a connection that failed on its side with 59x (proxy-chain): for
    // navis that is the failed navigation the browser would have reported without a proxy.
    throw new NavisError(
      'ACTION_FAILED',
      `could not load ${response.url().slice(0, 200)}: ${response.statusText() || 'connection failed'}`,
    );
  }
  if (opts.failOnHttpError && response && response.status() >= 400)
    throw new NavisError('ACTION_FAILED', `the page answered HTTP ${response.status()}`);
  return response;
}

/**
 * A navigation past its deadline. One that never committed (its server never answered) is stopped:
 * Chromium holds back every other command to the page while it waits (page-recovery.ts), so left
 * alone it would block the session's next task until the server answered, if ever. One that
 * committed is left loading (its page is there; only its last images or scripts are late).
 */
async function timedOut(page: Page, target: string, committed: boolean, opts: NavigationOptions): Promise<NavisError> {
  if (committed) {
    return new NavisError(
      'ACTION_TIMEOUT',
      `timed out after ${opts.timeoutMs} ms waiting for ${target} to reach '${opts.waitUntil}': the page opened but was still loading (it is left loading; wait for an element on it, or use waitUntil 'domcontentloaded')`,
    );
  }
  const stopped = await stopNavigation(page);
  const hold = await freePage(page);
  if (hold !== 'none')
    return new NavisError(
      'ACTION_TIMEOUT',
      `timed out after ${opts.timeoutMs} ms opening ${target}: ${describeHold(hold, page)}`,
    );
  return new NavisError(
    'ACTION_TIMEOUT',
    `timed out after ${opts.timeoutMs} ms: ${target} did not answer (its server sent nothing back)${stopped ? `; navis stopped the navigation, the page stays on ${page.url().slice(0, 200)}` : ''}`,
  );
}

/** Stops the page's pending navigation (as the browser's Stop button does); false when the browser did not answer. */
async function stopNavigation(page: Page): Promise<boolean> {
  const stop = async () => {
    const cdp = await pageSession(page);
    if (!cdp) return false;
    await cdp.send('Page.stopLoading');
    return true;
  };
  return withDeadline(stop(), STOP_MS, 'stop').catch(() => false);
}

/** How long the browser may take to stop a navigation. */
const STOP_MS = 1000;

/** Waits for `promise`, at most `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
