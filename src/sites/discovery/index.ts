// Site discovery (issue: POST /api/sites/discover): crawls a site's same-origin pages with a real
// browser, groups them into states, makes actions of forms and buttons and views of lists and
// records, names them (an LLM namer when given, else from labels, headings and URLs), tries each
// non-destructive action once, and returns a manifest that passes ManifestSchema. No HTTP here:
// the route and the CLI give it a way to open pages and a logger.
import type { Logger } from 'pino';
import type { Browser } from '../../browsers/playwright.js';
import type { NavigationGuard } from '../../network/guard.js';
import { NavisError } from '../../errors.js';
import { ManifestSchema, SlugSchema, type Manifest } from '../manifest.js';
import { actionsOf } from './actions.js';
import { crawl, type PageOpener } from './crawl.js';
import { groupPages } from './group.js';
import { applyNaming, namingSummary, stateName, unique } from './naming.js';
import { fetchRobots } from './robots.js';
import type { DiscoveryProgress, DraftState, PageGroup, StateNamer } from './types.js';
import { normalizeUrl, slugFromHost } from './urls.js';
import { verifyActions } from './verify.js';
import { viewsOf } from './views.js';

export type { DiscoveryProgress, StateNamer, Naming, NamingSummary } from './types.js';
export type { PageOpener } from './crawl.js';

export const DISCOVERY_LIMITS = { maxPages: 500, maxDepth: 10 } as const;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** robots.txt may ask for a slower crawl; past this, discovery would take too long to be useful. */
const MAX_CRAWL_DELAY_MS = 10_000;

export interface DiscoverOptions {
  url: string;
  maxPages?: number;
  maxDepth?: number;
  slug?: string;
  /** Pause between page loads (robots.txt's Crawl-delay, capped at 10 s, when longer). */
  delayMs?: number;
  /** Try each non-destructive action once (default true). */
  verify?: boolean;
  /** Each step's deadline while verifying. */
  verifyStepTimeoutMs?: number;
  /** The whole discovery: the crawl stops and actions go unverified past it. */
  timeoutMs?: number;
  onProgress?: (event: DiscoveryProgress) => void;
  signal?: AbortSignal;
}

export interface DiscoveryReport {
  pagesVisited: number;
  states: number;
  actions: number;
  verified: number;
  failed: number;
  skippedByRobots: string[];
  /** 'namer' when the namer answered (names it gave that break the Identifier rule are in warnings). */
  namedBy: 'namer' | 'derived';
  warnings: string[];
}

export class SiteDiscovery {
  private readonly openPage: PageOpener;
  private readonly guard: NavigationGuard;
  private readonly log: Logger;
  private readonly namer?: StateNamer;

  constructor(deps: { openPage: PageOpener; guard: NavigationGuard; log: Logger; namer?: StateNamer }) {
    this.openPage = deps.openPage;
    this.guard = deps.guard;
    this.log = deps.log;
    this.namer = deps.namer;
  }

  async discover(opts: DiscoverOptions): Promise<{ manifest: Manifest; report: DiscoveryReport }> {
    const startUrl = checkedStart(opts);
    await this.guard.check(startUrl); // a start the tenant may not reach is its 4xx, before robots.txt is asked for
    const maxPages = opts.maxPages ?? 20;
    const maxDepth = opts.maxDepth ?? 3;
    const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const baseUrl = new URL(startUrl).origin;
    const warnings: string[] = [];
    let pagesVisited = 0;
    let pagesQueued = 1;
    const progress = (phase: DiscoveryProgress['phase'], message: string) => {
      this.log.debug({ phase, pagesVisited, pagesQueued }, message);
      opts.onProgress?.({ phase, message, pagesVisited, pagesQueued });
    };

    progress('crawl', `Reading ${baseUrl}/robots.txt`);
    const robots = await fetchRobots(baseUrl, this.guard.addressCheck, opts.signal);
    if (robots.blockedBecause) warnings.push(robots.blockedBecause);
    const delayMs = Math.max(opts.delayMs ?? 200, Math.min((robots.crawlDelaySeconds ?? 0) * 1000, MAX_CRAWL_DELAY_MS));
    const crawled = await crawl(this.openPage, this.log, {
      startUrl,
      maxPages,
      maxDepth,
      delayMs,
      robots,
      deadline,
      signal: opts.signal,
      guard: this.guard,
      onPage: (message, visited, queued) => {
        pagesVisited = visited;
        pagesQueued = queued;
        progress('crawl', message);
      },
    });
    pagesQueued = 0;
    if (crawled.notLoaded > 0) {
      const limit =
        Date.now() >= deadline
          ? `the ${(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s deadline`
          : `maxPages (${maxPages})`;
      warnings.push(
        `${limit} ended the crawl with ${crawled.notLoaded} pages found but not read; raise it to discover more`,
      );
    }
    if (crawled.pages.length === 0)
      throw nothingRead(startUrl, crawled.skippedByRobots.includes(startUrl), robots.blockedBecause);

    progress('group', `Grouping ${crawled.pages.length} pages into states`);
    const groups = groupPages(crawled.pages);

    progress('actions', `Finding actions and views of ${groups.length} states`);
    const drafts = draftStates(groups, startUrl);
    let namedBy: DiscoveryReport['namedBy'] = 'derived';
    if (this.namer) {
      try {
        const naming = await this.namer.name(
          namingSummary(drafts, { baseUrl, title: crawled.pages[0].snapshot.title }),
          opts.signal,
        );
        warnings.push(...applyNaming(drafts, naming, this.log));
        namedBy = 'namer';
      } catch (error) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        warnings.push(
          `the namer failed, names are derived from labels, headings and URLs: ${(error as Error).message}`,
        );
        this.log.warn({ error: (error as Error).message }, 'discovery namer failed; keeping derived names');
      }
    }

    let counts = { verified: 0, failed: 0 };
    if (opts.verify ?? true) {
      progress('verify', 'Trying each non-destructive action once');
      const tried = await verifyActions(this.openPage, this.log, drafts, {
        baseUrl,
        deadline,
        signal: opts.signal,
        stepTimeoutMs: opts.verifyStepTimeoutMs ?? 5_000,
        guard: this.guard,
        onAction: (message) => progress('verify', message),
      });
      if (tried.pastDeadline > 0)
        warnings.push(`${tried.pastDeadline} actions were not tried: the deadline passed first`);
      counts = tried;
    }

    const manifest = ManifestSchema.parse({
      slug: opts.slug ?? slugFromHost(baseUrl),
      name: crawled.pages[0].snapshot.title.trim().slice(0, 200) || new URL(baseUrl).host,
      baseUrl,
      description: `Discovered from ${crawled.pages.length} pages of ${startUrl} on ${new Date().toISOString().slice(0, 10)}.`,
      generatedBy: namedBy === 'namer' ? 'navis discovery (names by the namer)' : 'navis discovery',
      states: drafts.map((d) => ({ ...d.state, actions: d.actions.map((a) => a.action) })),
    });
    const report: DiscoveryReport = {
      pagesVisited: crawled.pagesVisited,
      states: manifest.states.length,
      actions: manifest.states.reduce((n, s) => n + s.actions.length, 0),
      verified: counts.verified,
      failed: counts.failed,
      skippedByRobots: crawled.skippedByRobots,
      namedBy,
      warnings,
    };
    progress(
      'done',
      `${report.states} states, ${report.actions} actions (${report.verified} verified, ${report.failed} failed)`,
    );
    return { manifest, report };
  }
}

/** A page opener on one browser: each page in its own context, closed with it. */
export function pageOpener(browser: Browser): PageOpener {
  return async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    return { page, close: () => context.close() };
  };
}

function checkedStart(opts: DiscoverOptions): string {
  const url = normalizeUrl(opts.url);
  if (!url)
    throw new NavisError(
      'INVALID_REQUEST',
      `url '${String(opts.url).slice(0, 200)}' is not an http(s) URL; give the page discovery starts from, e.g. https://example.com/.`,
    );
  const bounded = (name: 'maxPages' | 'maxDepth', min: number) => {
    const value = opts[name];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > DISCOVERY_LIMITS[name])) {
      throw new NavisError(
        'INVALID_REQUEST',
        `${name} must be a whole number from ${min} to ${DISCOVERY_LIMITS[name]}.`,
      );
    }
  };
  bounded('maxPages', 1);
  bounded('maxDepth', 0);
  if (opts.slug !== undefined && !SlugSchema.safeParse(opts.slug).success) {
    throw new NavisError(
      'INVALID_REQUEST',
      `slug '${opts.slug.slice(0, 100)}' must be lower-case letters and digits joined by single hyphens (e.g. example-com).`,
    );
  }
  return url;
}

function nothingRead(startUrl: string, disallowed: boolean, blockedBecause?: string): NavisError {
  const why =
    blockedBecause ??
    (disallowed ? `robots.txt disallows ${startUrl}` : `${startUrl} could not be loaded as an HTML page`);
  return new NavisError(
    'ACTION_FAILED',
    `Discovery read no pages: ${why}. Check the URL, or start from a page robots.txt allows.`,
    { url: startUrl },
  );
}

/** States of the groups, named uniquely, with their actions and views. */
function draftStates(groups: PageGroup[], startUrl: string): DraftState[] {
  const names = new Set<string>();
  return groups.map((group) => {
    const { page, values } = group.pages[0]; // actions and views are read from the first page crawled
    const headings = page.facts.headings.map((h) => h.text);
    const name = unique(
      stateName(
        group.template.url,
        headings,
        page.snapshot.title,
        group.pages.some((p) => p.page.url === startUrl),
      ),
      names,
    );
    const titles = new Set(group.pages.map((p) => p.page.snapshot.title));
    const seen = `"${headings[0] ?? page.snapshot.title}"`;
    const path = new URL(page.url).pathname;
    return {
      state: {
        name,
        description: group.template.variables.length
          ? `Pages like ${path} (${group.pages.length} seen), e.g. ${seen}.`
          : `The page ${seen} at ${path}.`,
        url: group.template.url,
        recognize: {
          ...(group.template.pattern.length <= 500 ? { urlPattern: group.template.pattern } : {}),
          ...(titles.size === 1 && page.snapshot.title ? { title: page.snapshot.title.slice(0, 500) } : {}),
        },
        views: viewsOf(page, name, group.template.variables.length > 0),
      },
      actions: actionsOf(page, values, group.template.url),
      title: page.snapshot.title,
      headings,
    };
  });
}
