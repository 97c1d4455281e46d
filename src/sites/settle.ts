// seed 002 steps 4 and 5, "navigates to the state's URL" and "waits for the DOM to settle": after
// `load`, the page counts as settled once neither its DOM has changed nor a request has been in
// flight for QUIET_MS. Bounded: a page that never goes quiet (polling, animations, long-lived
// requests) is used as it is after MAX_SETTLE_MS.
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';

export const QUIET_MS = 300;
export const MAX_SETTLE_MS = 3_000;
const POLL_MS = 50;
const NAVIGATION_TIMEOUT_MS = 30_000;

/** seed 002 steps 4 and 5: navigate to the state's URL (an error status counts as a failure), then wait for the DOM to settle. */
export async function openState(page: Page, url: string): Promise<SettleResult> {
  const network = new NetworkWatch(page);
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
    if (response && response.status() >= 400) throw new NavisError('ACTION_FAILED', `the page answered HTTP ${response.status()}`);
    return await settle(page, network);
  } finally {
    network.stop();
  }
}

/** Requests of one page in flight, watched from before its navigation starts. */
export class NetworkWatch {
  private readonly inflight = new Set<unknown>();
  private lastActivityMs = Date.now();
  private readonly started = (request: unknown) => {
    this.inflight.add(request);
    this.lastActivityMs = Date.now();
  };
  private readonly ended = (request: unknown) => {
    this.inflight.delete(request);
    this.lastActivityMs = Date.now();
  };

  constructor(private readonly page: Page) {
    page.on('request', this.started);
    page.on('requestfinished', this.ended);
    page.on('requestfailed', this.ended);
  }

  /** Milliseconds since the last request started or ended; 0 while one is in flight. */
  quietForMs(): number {
    return this.inflight.size > 0 ? 0 : Date.now() - this.lastActivityMs;
  }

  stop(): void {
    this.page.off('request', this.started);
    this.page.off('requestfinished', this.ended);
    this.page.off('requestfailed', this.ended);
  }
}

/**
 * Milliseconds since the page's DOM last changed. The first call on a document installs a
 * MutationObserver and answers 0; a new document (the page navigated) starts over.
 */
function domQuietForMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const key = '__navisLastMutation';
    const w = window as unknown as Record<string, number>;
    if (typeof w[key] !== 'number') {
      w[key] = performance.now();
      new MutationObserver(() => {
        w[key] = performance.now();
      }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      return 0;
    }
    return performance.now() - w[key];
  });
}

export interface SettleResult {
  settled: boolean;
  waitedMs: number;
}

/** Waits until DOM and network have been quiet for `quietMs` together, or `maxMs` have passed. */
export async function settle(page: Page, network: NetworkWatch, opts: { quietMs?: number; maxMs?: number } = {}): Promise<SettleResult> {
  const quietMs = opts.quietMs ?? QUIET_MS;
  const started = Date.now();
  const deadline = started + (opts.maxMs ?? MAX_SETTLE_MS);
  for (;;) {
    if (page.isClosed()) return { settled: false, waitedMs: Date.now() - started };
    // A navigation under way destroys the context the observer lives in: count it as a change.
    const dom = await domQuietForMs(page).catch(() => 0);
    if (Math.min(dom, network.quietForMs()) >= quietMs) return { settled: true, waitedMs: Date.now() - started };
    if (Date.now() >= deadline) return { settled: false, waitedMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}
