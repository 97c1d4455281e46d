// robots.txt for discovery (RFC 9309): the group for `navis` (else `*`), its Allow/Disallow rules
// with `*` and `$` (the longest match wins, Allow on a tie) and its Crawl-delay. A missing file
// (4xx) allows everything; an unreachable one (5xx, network error) disallows everything, as the
// RFC asks.
import { MATCH_BUDGET, compilePattern, matchPattern, normalisePath, type PathPattern } from './robots-match.js';
import { NavisError } from '../../errors.js';
import { guardedGet, type AddressCheck, type GuardedResponse } from '../../network/fetch.js';

export const ROBOTS_AGENT = 'navis';
const FETCH_TIMEOUT_MS = 5_000;
const MAX_BYTES = 512 * 1024;
/** Longer Allow/Disallow values are ignored; no real rule comes close. */
const MAX_PATTERN_CHARS = 2_048;
/** Longer paths (with query) are not crawled when any rule applies; the crawl keeps URLs shorter anyway. */
const MAX_TARGET_CHARS = 2_048;

interface Rule {
  allow: boolean;
  /** The value, normalised; its length decides the longest match. */
  path: string;
  pattern: PathPattern;
}

export class RobotsRules {
  /** Longest first, Allow before Disallow of the same length: the first rule that matches decides. */
  private readonly rules: Rule[];

  constructor(
    rules: Rule[],
    /** Seconds, as the file says; callers cap it. */
    readonly crawlDelaySeconds?: number,
    /** Why everything is disallowed, when it is. */
    readonly blockedBecause?: string,
  ) {
    this.rules = [...rules].sort((a, b) => b.path.length - a.path.length || Number(b.allow) - Number(a.allow));
  }

  static allowAll(): RobotsRules {
    return new RobotsRules([]);
  }

  static disallowAll(reason: string): RobotsRules {
    return new RobotsRules([rule(false, '/')], undefined, reason);
  }

  /** Whether the path (and query) of `url` may be crawled; a URL too costly to judge is not. */
  allows(url: string): boolean {
    if (this.rules.length === 0) return true;
    let target: string;
    try {
      const u = new URL(url);
      target = `${u.pathname}${u.search}`;
    } catch {
      return false;
    }
    if (target.length > MAX_TARGET_CHARS) return false;
    target = normalisePath(target);
    const budget = { left: MATCH_BUDGET };
    for (const candidate of this.rules) {
      const matched = matchPattern(candidate.pattern, target, budget);
      if (matched === undefined) return false;
      if (matched) return candidate.allow;
    }
    return true;
  }
}

function rule(allow: boolean, value: string): Rule {
  const path = normalisePath(value);
  return { allow, path, pattern: compilePattern(path) };
}

/** The rules of robots.txt text for `agent` (its own group, else the `*` group). */
export function parseRobots(text: string, agent = ROBOTS_AGENT): RobotsRules {
  type Group = { agents: string[]; rules: Rule[]; delay?: number };
  const groups: Group[] = [];
  let current: Group | undefined;
  let inAgentLines = false;
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      if (!current || !inAgentLines) groups.push((current = { agents: [], rules: [] }));
      current.agents.push(value.toLowerCase());
      inAgentLines = true;
      continue;
    }
    inAgentLines = false;
    if (!current) continue;
    if ((key === 'allow' || key === 'disallow') && value && value.length <= MAX_PATTERN_CHARS)
      current.rules.push(rule(key === 'allow', value));
    if (key === 'crawl-delay' && Number.isFinite(Number(value))) current.delay = Number(value);
  }
  const mine = groups.filter((g) => g.agents.some((a) => a === agent.toLowerCase()));
  const chosen = mine.length ? mine : groups.filter((g) => g.agents.includes('*'));
  const delays = chosen.map((g) => g.delay).filter((d): d is number => d !== undefined);
  return new RobotsRules(
    chosen.flatMap((g) => g.rules),
    delays.length ? Math.max(...delays) : undefined,
  );
}

/** Fetches and parses `${origin}/robots.txt`. */
/**
 * Fetches and parses `${origin}/robots.txt`, through `check` (the tenant's network policy: a
 * discovery may not make navis itself fetch what the tenant's browsers may not reach).
 */
export async function fetchRobots(origin: string, check: AddressCheck, signal?: AbortSignal): Promise<RobotsRules> {
  const url = `${origin}/robots.txt`;
  let response: GuardedResponse;
  try {
    // RFC 9309 §2.5: at least 500 KiB must be parsed; the rest is not read.
    response = await guardedGet(url, check, {
      timeoutMs: FETCH_TIMEOUT_MS,
      maxBytes: MAX_BYTES,
      overflow: 'truncate',
      headers: { 'user-agent': `${ROBOTS_AGENT} (site discovery)` },
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    if (error instanceof NavisError) throw error; // refused by the tenant's policy
    return RobotsRules.disallowAll(
      `${url} could not be fetched (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); RFC 9309 treats the site as disallowed`,
    );
  }
  if (response.status >= 500)
    return RobotsRules.disallowAll(
      `${url} answered ${response.status}; RFC 9309 treats the site as disallowed until it answers`,
    );
  if (response.status >= 400) return RobotsRules.allowAll();
  return parseRobots(response.text ?? '');
}
