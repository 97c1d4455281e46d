// What to do when a call on a page ran out of time (issue 14: a session blocked for good behind a
// page that went busy or a navigation that never answered). Two things hold a page so that nothing
// navis sends it is answered:
//   - a navigation still waiting for its server's first byte: Chromium holds back every command to
//     the page until the new document commits; stopping the navigation (Page.stopLoading, answered
//     by the browser itself) leaves the page on the document it had, answering again;
//   - a script that never yields (`for (;;) {}`, the tenant's evaluate or the page's own timer):
//     Runtime.terminateExecution stops it, over navis's own CDP session on the page (page-session.ts),
//     which reaches a busy page only when attached beforehand (each run attaches it at its start).
// freePage() finds out which (a trivial script that does not answer within BUSY_PROBE_MS), frees the
// page, and says what it did, for the timed-out step's message. pageCall() is a page call with a
// deadline that frees the page when the deadline passes.
import type { CDPSession } from 'playwright-core';
import { withDeadline } from '../browsers/deadline.js';
import { hasCrashed, type Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import { pageSession } from './page-session.js';

/** How long a page may take to answer a trivial script before it counts as held. */
const BUSY_PROBE_MS = 250;
/** How long the browser may take to answer navis's own commands to free a page. */
const COMMAND_MS = 1000;

/** What held a page that did not answer in time, and whether navis freed it. */
export type PageHold =
  | 'none' // the page answers: it was not held (a wait that ran out, a slow element)
  | 'navigation' // a navigation that never got its answer, now stopped
  | 'script' // a script that never yielded, now stopped
  | 'unknown' // neither stopping the navigation nor the script made it answer
  | 'closed'; // closed, or crashed: nothing to free

/**
 * Attaches navis's own CDP session to the page before work on it starts: only a session attached
 * beforehand can stop a script that keeps the page busy. Cached for the page's life; a page that is
 * busy already is not waited for.
 */
export async function readyToFree(page: Page): Promise<void> {
  await withDeadline(pageSession(page), COMMAND_MS, 'attach').catch(() => undefined);
}

/** The page answers a trivial script within BUSY_PROBE_MS. */
async function answers(page: Page): Promise<boolean> {
  return withDeadline(
    page.evaluate(() => true),
    BUSY_PROBE_MS,
    'busy',
  ).then(
    () => true,
    () => false,
  );
}

const send = (cdp: CDPSession, method: 'Page.stopLoading' | 'Runtime.terminateExecution') =>
  withDeadline(cdp.send(method), COMMAND_MS, method).catch(() => undefined);

/**
 * After a call on `page` ran out of time: when the page does not answer, stop what holds it (the
 * pending navigation first: terminating a script on a page that runs none would stop its next one).
 */
export async function freePage(page: Page): Promise<PageHold> {
  if (page.isClosed() || hasCrashed(page)) return 'closed'; // a crashed page is replaced (sessions/work.ts)
  if (await answers(page)) return 'none';
  const cdp = await withDeadline(pageSession(page), COMMAND_MS, 'attach').catch(() => undefined);
  if (!cdp || page.isClosed()) return page.isClosed() ? 'closed' : 'unknown';
  await send(cdp, 'Page.stopLoading');
  if (await answers(page)) return 'navigation';
  await send(cdp, 'Runtime.terminateExecution');
  if (await answers(page)) return 'script';
  return page.isClosed() ? 'closed' : 'unknown';
}

/** What held the page, for the end of a timed-out step's message ('' when nothing did). */
export function describeHold(hold: PageHold, page: Page): string {
  switch (hold) {
    case 'navigation':
      return `the page was waiting for a navigation whose server never answered: navis stopped that navigation, the page stays on ${page.url().slice(0, 200)}`;
    case 'script':
      return "the page was busy running a script that never yielded: navis stopped it, so the session's next step or task can run";
    case 'unknown':
      return 'the page does not answer (busy in a way navis could not stop): navigate it elsewhere, or end the session if it stays so';
    default:
      return '';
  }
}

/**
 * A call on the page (an evaluate, a count: calls with no timeout of their own) that must end
 * within `ms`; past it, the page is freed and the call fails with 408 ACTION_TIMEOUT saying what
 * it was doing (`doing`: "reading the page's HTML") and what held the page.
 */
export async function pageCall<T>(page: Page, work: Promise<T>, ms: number, doing: string): Promise<T> {
  const message = `timed out after ${ms} ms ${doing}`;
  try {
    return await withDeadline(work, ms, message);
  } catch (error) {
    if (!(error instanceof NavisError) || error.code !== 'ACTION_TIMEOUT' || error.message !== message) throw error;
    const held = describeHold(await freePage(page), page);
    throw new NavisError('ACTION_TIMEOUT', held ? `${message}: ${held}.` : `${message}.`);
  }
}
