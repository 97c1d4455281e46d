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
  if (screen && !page.viewportSize() && !sized.has(page)) {
    sized.add(page);
    await adoptScreenSize(page, screen);
  }
  return page;
}

/** Pages whose size navis has looked at already. */
const sized = new WeakSet<Page>();

/**
 * Tells Playwright the size the ScreenKeeper gave the page, once per page: without it every
 * screenshot first asks the page for its size (~10 ms, bench/tasks). Only when the page still has
 * that size: a viewport or scale a client set over CDP is left as the client set it (the override
 * Playwright sends would replace it).
 */
async function adoptScreenSize(page: Page, screen: { width: number; height: number }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const look = page.evaluate(() => [window.innerWidth, window.innerHeight, window.devicePixelRatio]);
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, 1000, undefined); // a busy page: leave it
  });
  const seen = await Promise.race([look.catch(() => undefined), gaveUp]).finally(() => clearTimeout(timer));
  if (seen && seen[0] === screen.width && seen[1] === screen.height && seen[2] === 1) await page.setViewportSize(screen).catch(() => {});
}
