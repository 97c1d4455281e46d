// The crawl: breadth first from the start URL over same-origin links, in one page of a real
// browser, bounded by maxPages, maxDepth, a few samples per URL pattern and the deadline; polite
// (a delay between loads, robots.txt's Crawl-delay) and never loading what robots.txt disallows.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { navigate } from '../../actions/navigate.js';
import type { Page } from '../../browsers/playwright.js';
import type { NavigationGuard } from '../../network/guard.js';
import { withDeadline } from '../../browsers/deadline.js';
import { takeSnapshot } from '../../agent/snapshot.js';
import type { PageSnapshot } from '../../agent/types.js';
import { NetworkWatch, settle, watchDomChanges } from '../../actions/settle.js';
import { provisionalKey } from './group.js';
import { readPageFacts } from './page-facts.js';
import type { RobotsRules } from './robots.js';
import type { CrawledPage, PageFacts } from './types.js';
import { normalizeUrl, skipReason } from './urls.js';

export type PageOpener = () => Promise<{ page: Page; close(): Promise<void> }>;

const PAGE_TIMEOUT_MS = 15_000;
/** Snapshot, facts and selector checks of one loaded page. */
const READ_TIMEOUT_MS = 15_000;
/** Pages with the same id-templated URL beyond this many are not loaded (one state is enough). */
const SAMPLES_PER_PATTERN = 3;
/** Longer URLs (tracking, session state) would not make a readable state URL. */
const MAX_URL = 1500;

export interface CrawlOptions {
  startUrl: string;
  maxPages: number;
  maxDepth: number;
  delayMs: number;
  robots: RobotsRules;
  /** The tenant's schemes and network policy, for every page the crawl opens. */
  guard: NavigationGuard;
  /** Epoch ms: no page load starts after it. */
  deadline: number;
  signal?: AbortSignal;
  onPage(message: string, pagesVisited: number, pagesQueued: number): void;
}

export interface CrawlResult {
  pages: CrawledPage[];
  /** Page loads started (failed ones included). */
  pagesVisited: number;
  skippedByRobots: string[];
  /** Same-origin pages found but not loaded, when maxPages or the deadline ended the crawl. */
  notLoaded: number;
}

export async function crawl(openPage: PageOpener, log: Logger, opts: CrawlOptions): Promise<CrawlResult> {
  const origin = new URL(opts.startUrl).origin;
  const queue: Array<{ url: string; depth: number }> = [];
  const seen = new Set<string>();
  const skippedByRobots: string[] = [];
  const perPattern = new Map<string, number>();
  const pages: CrawledPage[] = [];
  let pagesVisited = 0;

  const enqueue = (url: string, depth: number) => {
    if (seen.has(url) || url.length > MAX_URL) return;
    seen.add(url);
    if (!opts.robots.allows(url)) skippedByRobots.push(url);
    else queue.push({ url, depth });
  };
  enqueue(opts.startUrl, 0);
  if (queue.length === 0) return { pages, pagesVisited, skippedByRobots, notLoaded: 0 };

  const opened = await openPage();
  await watchDomChanges(opened.page);
  const network = new NetworkWatch(opened.page);
  const closeOnAbort = () => void opened.close().catch(() => {});
  opts.signal?.addEventListener('abort', closeOnAbort, { once: true });
  try {
    while (queue.length > 0 && pagesVisited < opts.maxPages && Date.now() < opts.deadline) {
      opts.signal?.throwIfAborted();
      const next = queue.shift()!;
      const key = provisionalKey(next.url);
      if ((perPattern.get(key) ?? 0) >= SAMPLES_PER_PATTERN) continue;
      if (pagesVisited > 0)
        await sleep(opts.delayMs, undefined, { signal: opts.signal }).catch(() => opts.signal?.throwIfAborted());
      pagesVisited++;
      const page = await readPage(opened.page, network, next.url, next.depth, origin, opts, log);
      if (page && !pages.some((p) => p.url === page.url)) {
        pages.push(page);
        perPattern.set(provisionalKey(page.url), (perPattern.get(provisionalKey(page.url)) ?? 0) + 1);
        seen.add(page.url);
        if (next.depth < opts.maxDepth) for (const link of linksOf(page, origin)) enqueue(link, next.depth + 1);
      }
      opts.onPage(`${page ? 'Read' : 'Could not read'} ${next.url}`, pagesVisited, queue.length);
    }
  } finally {
    network.stop();
    opts.signal?.removeEventListener('abort', closeOnAbort);
    await opened.close().catch(() => {});
  }
  opts.signal?.throwIfAborted();
  const notLoaded = queue.filter(
    (next) => (perPattern.get(provisionalKey(next.url)) ?? 0) < SAMPLES_PER_PATTERN,
  ).length;
  return { pages, pagesVisited, skippedByRobots, notLoaded };
}

/** Loads one URL and reads it; undefined when it is not an HTML page of the site. */
async function readPage(
  page: Page,
  network: NetworkWatch,
  url: string,
  depth: number,
  origin: string,
  opts: CrawlOptions,
  log: Logger,
): Promise<CrawledPage | undefined> {
  try {
    const response = await navigate(page, url, {
      guard: opts.guard,
      waitUntil: 'load',
      timeoutMs: Math.max(1, Math.min(PAGE_TIMEOUT_MS, opts.deadline - Date.now())),
    });
    const type = response?.headers()['content-type'] ?? 'text/html';
    if (response && (response.status() >= 400 || !/html/i.test(type))) {
      log.info({ url, status: response.status(), type }, 'discovery skips a page that is not an HTML page');
      return undefined;
    }
    const finalUrl = normalizeUrl(page.url());
    if (!finalUrl || new URL(finalUrl).origin !== origin || !opts.robots.allows(finalUrl)) {
      log.info({ url, finalUrl }, 'discovery skips a page that redirected off the site or into a disallowed path');
      return undefined;
    }
    await settle(page, network);
    const read = async (): Promise<CrawledPage> => {
      const snapshot = await takeSnapshot(page);
      const facts = await readPageFacts(page, snapshot);
      return { url: finalUrl, depth, snapshot, facts, roleSelectors: await roleSelectors(page, snapshot, facts) };
    };
    return await withDeadline(read(), READ_TIMEOUT_MS, `reading ${finalUrl} took longer than ${READ_TIMEOUT_MS} ms`);
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    log.info({ url, error: (error as Error).message.split('\n')[0] }, 'discovery could not read a page');
    return undefined;
  }
}

/** Same-origin links worth following, in page order (those of lists too). */
function linksOf(page: CrawledPage, origin: string): string[] {
  const hrefs = [
    ...page.snapshot.elements.filter((e) => e.role === 'link' && e.href).map((e) => e.href!),
    ...page.facts.lists.flatMap((l) => l.links),
  ];
  const out: string[] = [];
  for (const href of hrefs) {
    const url = normalizeUrl(href, page.url);
    if (url && !skipReason(url, origin) && !out.includes(url)) out.push(url);
  }
  return out;
}

/**
 * `role=button[name="Checkout"]` for buttons no CSS selects robustly (no id, name or test id),
 * when it selects that one button: Playwright matches names by substring, so uniqueness is
 * checked by Playwright itself.
 */
async function roleSelectors(page: Page, snapshot: PageSnapshot, facts: PageFacts): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const element of snapshot.elements) {
    const control = facts.controls[element.css];
    if (element.role !== 'button' || !element.name || !control || control.selectors.length > 0) continue;
    const selector = `role=button[name=${JSON.stringify(element.name)}]`;
    if (
      (await page
        .locator(selector)
        .count()
        .catch(() => 0)) === 1
    )
      out[element.css] = selector;
  }
  return out;
}
