// navis's own Playwright connection to a session's browser, used to run typed actions. Clients
// connect through the CDP proxy with their own; both see the same pages.
import { chromium, type Browser, type ConnectOverCDPTransport, type Page } from 'playwright-core';

export type { Browser, Page };

/** Over a DevTools WebSocket: the user's own browser (cdp_url), or a navis browser whose pipe is spent. */
export function connectPlaywright(wsEndpoint: string, timeoutMs = 15_000): Promise<Browser> {
  return chromium.connectOverCDP(wsEndpoint, { timeout: timeoutMs });
}

/** Over the DevTools pipe of a browser navis launched (BrowserProcess.playwright()). */
export function connectPlaywrightOverPipe(transport: ConnectOverCDPTransport, timeoutMs = 15_000): Promise<Browser> {
  return chromium.connectOverCDP(transport, { timeout: timeoutMs });
}

/**
 * The page actions run on: the newest open page of the default context (the one a client driving
 * the session over CDP sees first), or a new one when every page was closed. `screen`: the size
 * navis keeps that context's pages at (ScreenKeeper), for a browser navis launched.
 */
export async function activePage(browser: Browser, screen?: { width: number; height: number }): Promise<Page> {
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const pages = context.pages().filter((p) => !p.isClosed());
  const page = pages.at(-1) ?? (await context.newPage());
  // Tell Playwright the size the ScreenKeeper gave the page (the same override, once per page):
  // without it every screenshot first asks the page for its size (~10 ms, bench/tasks).
  if (screen && !page.viewportSize()) await page.setViewportSize(screen);
  return page;
}
