// navis's own Playwright connection to a session's browser, used to run typed actions. Clients
// connect through the CDP proxy with their own; both see the same pages.
import { chromium, type Browser, type Page } from 'playwright-core';

export type { Browser, Page };

export function connectPlaywright(wsEndpoint: string, timeoutMs = 15_000): Promise<Browser> {
  return chromium.connectOverCDP(wsEndpoint, { timeout: timeoutMs });
}

/**
 * The page actions run on: the newest open page of the default context (the one a client driving
 * the session over CDP sees first), or a new one when every page was closed.
 */
export async function activePage(browser: Browser): Promise<Page> {
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const pages = context.pages().filter((p) => !p.isClosed());
  return pages.at(-1) ?? (await context.newPage());
}
