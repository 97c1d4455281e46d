// The check every navigation navis starts goes through (actions/navigate.ts): the URL's scheme,
// then the tenant's network policy on the host's resolved addresses, before the browser is sent
// there; and afterwards, the egress guard's own account of a refusal on the way (a redirect to a
// private address), so a refused navigation answers a 4xx naming the host and the policy instead
// of showing a blank page.
import { NavisError } from '../errors.js';
import type { EgressProxy, EgressRoute } from './egress-proxy.js';
import type { OwnEndpoints } from './policy.js';
import type { LookupFunction } from 'node:net';
import { pinnedLookup, resolveAndDecide } from './resolve.js';
import { checkScheme } from './urls.js';

export class NavigationGuard {
  constructor(
    /** Replaced when the tenant's policy changes (SessionService.reroute). */
    public route: EgressRoute,
    private readonly own: OwnEndpoints,
    /** The browser's (or context's) egress proxy; absent for a browser navis does not run (cdp_url). */
    private readonly proxy?: EgressProxy,
  ) {}

  /** 400 for a scheme no tenant may open, 403 for a host the policy refuses, 422 for one that does not resolve. */
  async check(url: string): Promise<void> {
    checkScheme(url, this.route.schemes);
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return;
    const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
    if (this.route.upstream) {
      // The session's own proxy resolves names on its side; the name and a literal address are judged here.
      const byName = this.route.policy.refusesName(parsed.hostname.replace(/^\[|\]$/g, ''), port);
      if (!byName.ok) throw refused(byName.reason, url);
      return;
    }
    const decided = await resolveAndDecide(this.route.policy, this.own, parsed.hostname, port);
    if (decided.ok) return;
    if (decided.refused) throw refused(decided.reason, url);
    throw new NavisError('ACTION_FAILED', `${decided.reason}: check the host name of ${url.slice(0, 200)}`);
  }

  /**
   * For a request navis makes itself on the tenant's behalf (robots.txt): judges the address like
   * the egress guard would and gives the lookup that pins the connection to it; throws the refusal.
   */
  readonly addressCheck = async (url: string): Promise<LookupFunction> => {
    const parsed = new URL(url);
    const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
    const decided = await resolveAndDecide(this.route.policy, this.own, parsed.hostname, port);
    if (decided.ok) return pinnedLookup(decided.address, decided.family);
    if (decided.refused) throw refused(decided.reason, url);
    throw Object.assign(new Error(decided.reason), { code: 'ENOTFOUND' });
  };

  /** A mark to pass to explain() after the navigation. */
  mark(): number {
    return this.proxy?.mark() ?? 0;
  }

  /** The egress guard's refusal since `mark` (preferably of `url`'s host), as the error the navigation answers, if there was one. */
  async explain(mark: number, url: string): Promise<NavisError | undefined> {
    let host: string | undefined;
    try {
      host = new URL(url).hostname;
    } catch {
      host = undefined;
    }
    await this.proxy?.sync(); // refusals travel from the egress worker: every one made so far is here after this
    const refusal = this.proxy?.refusalSince(mark, host);
    if (!refusal) return undefined;
    return refusal.refused
      ? refused(refusal.reason, url)
      : new NavisError('ACTION_FAILED', `${refusal.reason} (navigating to ${url.slice(0, 200)})`);
  }
}

function refused(reason: string, url: string): NavisError {
  return new NavisError('EGRESS_REFUSED', `Navigation to ${url.slice(0, 200)} refused: ${reason}`, {
    url: url.slice(0, 200),
  });
}
