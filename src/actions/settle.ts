// seed 002 steps 4 and 5, "navigates to the state's URL" and "waits for the DOM to settle". After
// `load` the page counts as settled when no request is in flight and either
//   - nothing happened since `load` (no DOM change, no request) while the page ran two animation
//     frames: its load handlers, 0 ms timers and first frame callbacks had their turn and started
//     nothing; or
//   - the DOM and the network have been quiet for the quiet window (NAVIS_SITE_SETTLE_QUIET_MS,
//     100 ms), counted from the page's real last change, not from when navis started to look.
// DOM changes are watched from the start of the document (an init script's MutationObserver),
// requests from the start of the navigation. Bounded: a page that never goes quiet (polling,
// animations, long-lived requests) is used as it is after NAVIS_SITE_SETTLE_MAX_MS.
import type { Page } from '../browsers/playwright.js';
import { withDeadline } from '../browsers/deadline.js';
import { navigate, type NavigationOptions } from './navigate.js';

export const QUIET_MS = 100;
export const MAX_SETTLE_MS = 3_000;
/** Shortest sleep between two looks at the page. */
const MIN_SLEEP_MS = 10;
/** Where the observer keeps the time of the DOM's last change (the document's performance.now()). */
const LAST_MUTATION_KEY = '__navisLastMutation';

export interface SettleOptions {
  quietMs?: number;
  maxMs?: number;
}

interface DomProbe {
  /** Milliseconds since the DOM last changed (0 on a document the observer had not reached). */
  quietMs: number;
  /** Whether the DOM changed after the load event ended (true when that cannot be told). */
  changedSinceLoad: boolean;
}

/**
 * The page side, self-contained (it runs in the page). Installs the MutationObserver once per
 * document; as an init script that is all it does. With `frames`, it first lets the page run two
 * animation frames (at most 100 ms: a hidden tab may not paint), then reports.
 */
async function probeDom([key, frames]: readonly [string, boolean]): Promise<DomProbe> {
  const w = window as unknown as Record<string, number>;
  if (typeof w[key] !== 'number') {
    w[key] = performance.now();
    new MutationObserver(() => {
      w[key] = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    if (!frames) return { quietMs: 0, changedSinceLoad: true };
  }
  if (frames) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 100);
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          clearTimeout(timer);
          resolve();
        }),
      );
    });
  }
  const loadEnd =
    (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd ?? 0;
  return { quietMs: performance.now() - w[key], changedSinceLoad: loadEnd <= 0 || w[key] >= loadEnd };
}

/**
 * Watches the DOM of every document the page loads from its start, for settle(). Without it a
 * page is still settled, only later: its changes are watched from the first look on.
 */
export async function watchDomChanges(page: Page): Promise<void> {
  if (watched.has(page)) return; // once per page: a session's tab is navigated many times
  watched.add(page);
  await page.addInitScript(probeDom, [LAST_MUTATION_KEY, false] as const);
}
const watched = new WeakSet<Page>();

/**
 * seed 002 steps 4 and 5: navigate to the state's URL, then wait for the DOM to settle. What a
 * navigate step with `settle: true` does (a site action's state URL is one). The settling ends
 * within the navigation's own deadline (`nav.timeoutMs`), whatever NAVIS_SITE_SETTLE_MAX_MS says.
 */
export async function openState(
  page: Page,
  url: string,
  nav: NavigationOptions,
  opts: SettleOptions = {},
): Promise<SettleResult & { status: number | null }> {
  const started = Date.now();
  await watchDomChanges(page);
  const network = new NetworkWatch(page);
  try {
    const response = await navigate(page, url, nav);
    const maxMs = Math.max(1, Math.min(opts.maxMs ?? MAX_SETTLE_MS, nav.timeoutMs - (Date.now() - started)));
    return { ...(await settle(page, network, { ...opts, maxMs })), status: response?.status() ?? null };
  } finally {
    network.stop();
  }
}

/** Requests of one page in flight, watched from before its navigation starts. */
export class NetworkWatch {
  private readonly inflight = new Set<unknown>();
  private lastActivityMs = Date.now();
  /** Requests started so far: compared by count, not by clock, since events can share a millisecond. */
  private startedCount = 0;
  private readonly started = (request: unknown) => {
    this.inflight.add(request);
    this.startedCount++;
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

  /** A mark to pass to startedNothingSince() later. */
  mark(): number {
    return this.startedCount;
  }

  /**
   * Whether no request is in flight and none started since `mark`. One that started before and
   * ended since does not count: what it brought shows as a DOM change.
   */
  startedNothingSince(mark: number): boolean {
    return this.inflight.size === 0 && this.startedCount === mark;
  }

  stop(): void {
    this.page.off('request', this.started);
    this.page.off('requestfinished', this.ended);
    this.page.off('requestfailed', this.ended);
  }
}

export interface SettleResult {
  settled: boolean;
  /** Which rule ended the wait: nothing changed since load, the quiet window, the bound, or the page closed. */
  how: 'unchanged-since-load' | 'quiet' | 'max-wait' | 'page-closed';
  waitedMs: number;
}

/**
 * Waits for the page loaded just now to settle (the rules at the top of this file), or until
 * `maxMs` have passed. Between looks it sleeps just as long as the quiet window still needs.
 */
export async function settle(page: Page, network: NetworkWatch, opts: SettleOptions = {}): Promise<SettleResult> {
  const quietMs = opts.quietMs ?? QUIET_MS;
  const started = Date.now();
  const deadline = started + (opts.maxMs ?? MAX_SETTLE_MS);
  const done = (how: SettleResult['how']): SettleResult => ({
    settled: how === 'unchanged-since-load' || how === 'quiet',
    how,
    waitedMs: Date.now() - started,
  });
  const mark = network.mark();
  let first = true;
  for (;;) {
    if (page.isClosed()) return done('page-closed');
    // A navigation under way destroys the context the observer lives in: count it as a change.
    // Bounded too: a page whose script never yields does not answer at all.
    const probe = page.evaluate(probeDom, [LAST_MUTATION_KEY, first] as const);
    const dom = await withDeadline(probe, Math.max(MIN_SLEEP_MS, deadline - Date.now()), 'busy').catch(
      (): DomProbe => ({ quietMs: 0, changedSinceLoad: true }),
    );
    if (first && !dom.changedSinceLoad && network.startedNothingSince(mark)) return done('unchanged-since-load');
    first = false;
    const quiet = Math.min(dom.quietMs, network.quietForMs());
    if (quiet >= quietMs) return done('quiet');
    if (Date.now() >= deadline) return done('max-wait');
    await new Promise((r) => setTimeout(r, Math.max(MIN_SLEEP_MS, Math.min(quietMs - quiet, deadline - Date.now()))));
  }
}
