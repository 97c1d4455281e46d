// navis's own Playwright connection to a session's browser, used to run typed actions. Clients
// connect through the CDP proxy with their own; both see the same pages.
import type { LookupFunction } from 'node:net';
import { chromium, type Browser, type ConnectOverCDPTransport, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { withDeadline } from './deadline.js';

export type { Browser, Page };

/**
 * Over a DevTools WebSocket: the user's own browser (cdp_url), or a navis browser whose pipe is
 * spent. With `lookup` (a cdp_url judged by the tenant's policy) the socket is navis's own, pinned
 * to the address that was judged, so a name that resolves elsewhere later leads nowhere new.
 */
export async function connectPlaywright(
  wsEndpoint: string,
  timeoutMs = 15_000,
  lookup?: LookupFunction,
): Promise<Browser> {
  if (!lookup) return watchCrashes(await chromium.connectOverCDP(wsEndpoint, { timeout: timeoutMs }));
  const transport = await WebSocketTransport.open(wsEndpoint, lookup, timeoutMs);
  return watchCrashes(await chromium.connectOverCDP(transport, { timeout: timeoutMs }));
}

/** A DevTools WebSocket as Playwright's transport: one message per task, as Playwright's own transport delivers them. */
class WebSocketTransport implements ConnectOverCDPTransport {
  onmessage?: (message: object) => void;
  onclose?: (reason?: string) => void;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      setImmediate(() => {
        let message: unknown;
        try {
          message = JSON.parse(text);
        } catch {
          return;
        }
        if (message && typeof message === 'object' && !Array.isArray(message)) this.onmessage?.(message);
      });
    });
    ws.once('close', () => setImmediate(() => this.onclose?.('the browser closed the connection')));
    ws.on('error', () => {});
  }

  static open(wsEndpoint: string, lookup: LookupFunction, timeoutMs: number): Promise<WebSocketTransport> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsEndpoint, {
        lookup,
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
        maxPayload: 256 * 1024 * 1024,
      });
      ws.once('open', () => resolve(new WebSocketTransport(ws)));
      ws.once('error', reject);
    });
  }

  send(message: object): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.ws.close();
  }
}

/** Over the DevTools pipe of a browser navis launched (BrowserProcess.playwright()). */
export async function connectPlaywrightOverPipe(
  transport: ConnectOverCDPTransport,
  timeoutMs = 15_000,
): Promise<Browser> {
  return watchCrashes(await chromium.connectOverCDP(transport, { timeout: timeoutMs }));
}

/** Pages whose renderer crashed (Playwright says so once, by the page's 'crash' event). */
const crashed = new WeakSet<Page>();

/** Notes every page of the browser's contexts, now and later, that crashes. */
function watchCrashes(browser: Browser): Browser {
  const watch = (page: Page) => page.once('crash', () => crashed.add(page));
  for (const context of browser.contexts()) {
    context.pages().forEach(watch);
    context.on('page', watch);
  }
  return browser;
}

/**
 * The page's renderer crashed (chrome://crash, out of memory, a Chromium bug): the page is still
 * open but answers every call with "Target crashed" until it is replaced (replaceCrashedPage).
 */
export function hasCrashed(page: Page): boolean {
  return crashed.has(page);
}

/**
 * A new blank page in place of a crashed one (same context, so the session keeps its cookies,
 * storage and other tabs); the crashed one is closed. A crashed renderer takes one page down, not
 * the browser: the session goes on.
 */
export async function replaceCrashedPage(page: Page): Promise<Page> {
  const fresh = await page.context().newPage();
  await page.close().catch(() => {});
  return fresh;
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

/** How long the one look at a page's size may take. */
const SIZE_LOOK_MS = 1000;

/** Pages whose size navis has looked at already. */
const sized = new WeakSet<Page>();

/**
 * Tells Playwright the size the ScreenKeeper gave the page, once per page: without it every
 * screenshot first asks the page for its size (~10 ms, bench/tasks). Only when the page still has
 * that size: a viewport or scale a client set over CDP is left as the client set it (the override
 * Playwright sends would replace it).
 */
async function adoptScreenSize(page: Page, screen: { width: number; height: number }): Promise<void> {
  const look = page.evaluate(() => [window.innerWidth, window.innerHeight, window.devicePixelRatio]);
  const seen = await withDeadline(look, SIZE_LOOK_MS, 'busy').catch(() => undefined); // a busy or closed page: leave it
  if (seen && seen[0] === screen.width && seen[1] === screen.height && seen[2] === 1)
    await withDeadline(page.setViewportSize(screen), SIZE_LOOK_MS, 'busy').catch(() => {});
}
