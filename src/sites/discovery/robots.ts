// robots.txt for discovery (RFC 9309): the group for `navis` (else `*`), its Allow/Disallow rules
// with `*` and `$` (the longest match wins, Allow on a tie) and its Crawl-delay. A missing file
// (4xx) allows everything; an unreachable one (5xx, network error) disallows everything, as the
// RFC asks.
export const ROBOTS_AGENT = 'navis';
const FETCH_TIMEOUT_MS = 5_000;
const MAX_BYTES = 512 * 1024;

interface Rule {
  allow: boolean;
  path: string;
  regex: RegExp;
}

export class RobotsRules {
  constructor(
    private readonly rules: Rule[],
    /** Seconds, as the file says; callers cap it. */
    readonly crawlDelaySeconds?: number,
    /** Why everything is disallowed, when it is. */
    readonly blockedBecause?: string,
  ) {}

  static allowAll(): RobotsRules {
    return new RobotsRules([]);
  }

  static disallowAll(reason: string): RobotsRules {
    return new RobotsRules([{ allow: false, path: '/', regex: /^\// }], undefined, reason);
  }

  /** Whether the path (and query) of `url` may be crawled. */
  allows(url: string): boolean {
    const u = new URL(url);
    const target = `${u.pathname}${u.search}`;
    let best: Rule | undefined;
    for (const rule of this.rules) {
      if (!rule.regex.test(target)) continue;
      if (!best || rule.path.length > best.path.length || (rule.path.length === best.path.length && rule.allow)) best = rule;
    }
    return best?.allow ?? true;
  }
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
    if ((key === 'allow' || key === 'disallow') && value) current.rules.push({ allow: key === 'allow', path: value, regex: pathRegex(value) });
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

/** `/private*.html$` as a RegExp anchored at the start of the path. */
function pathRegex(path: string): RegExp {
  const anchored = path.endsWith('$');
  const body = (anchored ? path.slice(0, -1) : path)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** Fetches and parses `${origin}/robots.txt`. */
export async function fetchRobots(origin: string, signal?: AbortSignal): Promise<RobotsRules> {
  const url = `${origin}/robots.txt`;
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, { headers: { 'user-agent': `${ROBOTS_AGENT} (site discovery)` }, redirect: 'follow', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    return RobotsRules.disallowAll(`${url} could not be fetched (${(error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message}); RFC 9309 treats the site as disallowed`);
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    return RobotsRules.disallowAll(`${url} answered ${response.status}; RFC 9309 treats the site as disallowed until it answers`);
  }
  if (response.status >= 400) {
    await response.body?.cancel();
    return RobotsRules.allowAll();
  }
  const text = await response.text();
  return parseRobots(text.slice(0, MAX_BYTES));
}
