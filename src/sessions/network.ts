// A session's network: the tenant's route (policy and URL schemes) with the session's own outbound
// proxy when it has one (`proxy` on create, as Steel and browser-use offer), checked like any other
// destination: a proxy on a private address needs a policy that allows it. Also the check of a
// bring-your-own cdp_url, which must not lead into another tenant's browser or navis itself.
import type { LookupFunction } from 'node:net';
import { NavisError } from '../errors.js';
import type { EgressRoute, UpstreamProxy } from '../network/egress-proxy.js';
import type { OwnEndpoints } from '../network/policy.js';
import { isLocalAddress } from '../network/addresses.js';
import { pinnedLookup, resolveAndDecide } from '../network/resolve.js';
import type { TenantLimits } from '../tenants/service.js';

/** What the session service needs to know of tenants. */
export interface TenantPolicies {
  routeOf(tenantId: string): EgressRoute;
  limitsOf(tenantId: string): TenantLimits;
}

export interface ProxyInput {
  server: string;
  username?: string;
  password?: string;
}

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:']);

/**
 * The tenant's route, chained to the session's outbound proxy when one is given. A proxy on this
 * very machine is refused unless the operator allows it (NAVIS_ALLOW_LOCAL_PROXIES): names go to
 * it unresolved, so it would connect to whatever they resolve to there, navis's browsers' DevTools
 * ports included.
 */
export async function sessionRoute(
  tenants: TenantPolicies,
  own: OwnEndpoints,
  tenantId: string,
  proxy: ProxyInput | undefined,
  opts: { allowLocalProxies: boolean } = { allowLocalProxies: false },
): Promise<EgressRoute> {
  const route = tenants.routeOf(tenantId);
  return proxy ? { ...route, upstream: await upstreamProxy(route, own, proxy, opts.allowLocalProxies) } : route;
}

async function upstreamProxy(
  route: EgressRoute,
  own: OwnEndpoints,
  proxy: ProxyInput,
  allowLocal: boolean,
): Promise<UpstreamProxy> {
  let url: URL;
  try {
    url = new URL(proxy.server.includes('://') ? proxy.server : `http://${proxy.server}`);
  } catch {
    // Not quoted: what does not parse may still hold credentials.
    throw new NavisError(
      'INVALID_REQUEST',
      'proxy.server is not a proxy address; give one like http://proxy.example:8080 or socks5://proxy.example:1080 (credentials go in proxy.username and proxy.password).',
    );
  }
  if (!PROXY_SCHEMES.has(url.protocol))
    throw new NavisError(
      'INVALID_REQUEST',
      `proxy.server: ${url.protocol} proxies are not supported; use http, https, socks4 or socks5.`,
    );
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw new NavisError(
      'INVALID_REQUEST',
      'proxy.server takes scheme://host:port only; pass credentials in proxy.username and proxy.password.',
    );
  }
  const port = Number(url.port) || defaultPort(url.protocol);
  const decided = await resolveAndDecide(route.policy, own, url.hostname, port);
  if (!decided.ok) {
    if (decided.refused)
      throw new NavisError('EGRESS_REFUSED', `The session's proxy ${url.host} is refused: ${decided.reason}`);
    throw new NavisError('INVALID_REQUEST', `The session's proxy ${url.host}: ${decided.reason}`);
  }
  if (!allowLocal && isLocalAddress(decided.address)) {
    throw new NavisError(
      'EGRESS_REFUSED',
      `The session's proxy ${url.host} is refused: it runs on navis's own machine, where it would reach navis's browsers and services by names navis cannot check. Run it elsewhere, or ask the operator to set NAVIS_ALLOW_LOCAL_PROXIES=true.`,
    );
  }
  const display = `${url.protocol}//${url.host}`;
  if (proxy.username !== undefined) url.username = encodeURIComponent(proxy.username);
  if (proxy.password !== undefined) url.password = encodeURIComponent(proxy.password);
  return { url: url.href.replace(/\/$/, ''), display, address: decided.address, family: decided.family };
}

function defaultPort(protocol: string): number {
  if (protocol === 'https:') return 443;
  if (protocol.startsWith('socks')) return 1080;
  return 80;
}

/**
 * For a bring-your-own cdp_url (and the WebSocket address its /json/version names): the lookup
 * that pins the connection to the address the tenant's policy allowed. Navis's own browsers'
 * DevTools ports and its egress listeners are refused whatever the policy (policy.ts).
 */
export function cdpUrlChecker(route: EgressRoute, own: OwnEndpoints): (address: string) => Promise<LookupFunction> {
  return async (address) => {
    const url = new URL(address);
    const port = Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
    const decided = await resolveAndDecide(route.policy, own, url.hostname, port);
    if (decided.ok) return pinnedLookup(decided.address, decided.family);
    if (decided.refused) throw new NavisError('EGRESS_REFUSED', `cdp_url refused: ${decided.reason}`);
    throw new NavisError('CDP_CONNECT_FAILED', `Could not connect to the browser at cdp_url: ${decided.reason}`);
  };
}
