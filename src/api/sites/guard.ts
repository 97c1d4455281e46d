// Who may call /api/sites, and from where. Seed 002's curl calls http://127.0.0.1:8787/api/sites/…
// with no API key, so a navis listening on loopback answers keyless calls as the default tenant
// (the admin key's) — meant for a program on the same machine, nothing else. That must not let a
// web page the user visits drive navis, hence three checks on every request: no foreign Origin
// (nor Sec-Fetch-Site: cross-site), JSON bodies only, and, when keyless, a loopback Host (DNS
// rebinding). A keyless request that came through a proxy (Forwarded, X-Forwarded-For,
// X-Real-IP: someone else's request relayed on this machine) or from one of navis's own browsers
// needs a key; so does every request on any other address, or with NAVIS_SITES_KEYLESS=false.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { NavisError } from '../../errors.js';
import type { Caller, TenantService } from '../../tenants/service.js';
import { fromNavisBrowser } from '../../network/endpoints.js';
import { apiKeyOf } from '../auth.js';

/** Where navis listens: `port` is the one actually bound (config.port may be 0). */
export interface SiteGuardSettings {
  host: string;
  port: number;
  publicUrl?: string;
  /** NAVIS_SITES_KEYLESS: false requires a key on every request. */
  keyless?: boolean;
}

export interface SiteRequestFacts {
  headers: Record<string, string | string[] | undefined>;
  /** The key of X-API-Key or Authorization: Bearer, when one was sent. */
  apiKey?: string;
  /** The connection came from one of navis's own browsers (through its egress guard). */
  fromNavisBrowser?: boolean;
}

/** Headers a reverse proxy adds: the request is someone else's, relayed. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** Who the request acts as: the tenant of its key (still to be checked), or the default tenant. */
export type SiteAccess = { as: 'api-key'; key: string } | { as: 'default-tenant' };

/** Stands in for a key id on keyless loopback calls: there is no key to name. */
export const LOOPBACK_KEY_ID = 'loopback';

const LOOPBACK_LISTEN_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
const LOOPBACK_HOST_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const listensOnLoopback = (host: string) => LOOPBACK_LISTEN_HOSTS.has(host.toLowerCase());

const header = (facts: SiteRequestFacts, name: string): string | undefined => {
  const value = facts.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Header values are the caller's text: quoted short, never whole. */
const quote = (value: string) => `'${value.length > 100 ? `${value.slice(0, 100)}…` : value}'`;

function listenOrigin(settings: SiteGuardSettings): string {
  const host = settings.host.includes(':') && !settings.host.startsWith('[') ? `[${settings.host}]` : settings.host;
  return `http://${host}:${settings.port}`.toLowerCase();
}

/**
 * navis's own origins: NAVIS_PUBLIC_URL, the address it listens on, and the address this request
 * was sent to (a page navis served calling navis back; the Host check keeps rebound names out).
 */
function isOwnOrigin(origin: string, settings: SiteGuardSettings, hostHeader: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (settings.publicUrl && new URL(settings.publicUrl).origin === url.origin) return true;
  if (url.origin === listenOrigin(settings)) return true;
  if (!hostHeader) return false;
  try {
    return new URL(`${url.protocol}//${hostHeader}`).host === url.host;
  } catch {
    return false;
  }
}

/** The host name of a Host header, without its port: `[::1]:8787` → `[::1]`. */
function hostName(hostHeader: string): string {
  const match = hostHeader
    .trim()
    .toLowerCase()
    .match(/^(\[[^\]]*\]|[^:]*)(?::\d*)?$/);
  return match ? match[1] : '';
}

function refuseForeignCallers(settings: SiteGuardSettings, facts: SiteRequestFacts): void {
  const fetchSite = header(facts, 'sec-fetch-site');
  if (fetchSite?.toLowerCase() === 'cross-site') {
    throw new NavisError(
      'FORBIDDEN',
      "Cross-site request refused (Sec-Fetch-Site: cross-site): navis's site API does not answer pages of other sites. Call it from a program (curl, an SDK) or from navis's own pages such as /api/sites/<slug>/docs.",
    );
  }
  const origin = header(facts, 'origin');
  if (origin !== undefined && !isOwnOrigin(origin, settings, header(facts, 'host'))) {
    throw new NavisError(
      'FORBIDDEN',
      `Request from origin ${quote(origin)} refused: navis's site API only answers its own pages (${settings.publicUrl ?? listenOrigin(settings)}). Call it from a program, which sends no Origin header, or from a page navis serves.`,
    );
  }
}

function requireJsonBody(facts: SiteRequestFacts): void {
  const length = Number(header(facts, 'content-length') ?? 0);
  const hasBody = length > 0 || header(facts, 'transfer-encoding') !== undefined;
  if (!hasBody) return;
  const contentType = header(facts, 'content-type');
  if (contentType?.split(';')[0].trim().toLowerCase() === 'application/json') return;
  throw new NavisError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${contentType ? `Unsupported Content-Type ${quote(contentType)}` : 'Missing Content-Type'}: send the body as JSON with Content-Type: application/json (or send no body).`,
  );
}

/**
 * Decides whether a request to /api/sites may go on and as whom; throws the refusal (403, 415,
 * 401) otherwise. Pure, so the rules are testable for any listen address.
 */
export function decideSiteAccess(settings: SiteGuardSettings, facts: SiteRequestFacts): SiteAccess {
  refuseForeignCallers(settings, facts);
  requireJsonBody(facts);
  if (facts.apiKey) return { as: 'api-key', key: facts.apiKey };
  const keyNeeded = (why: string) =>
    new NavisError('UNAUTHORIZED', `API key required: ${why}. Send X-API-Key: <key> (or Authorization: Bearer <key>).`);
  if (settings.keyless === false)
    throw keyNeeded('NAVIS_SITES_KEYLESS=false, so /api/sites answers keyless calls from nobody');
  const relayed = PROXY_HEADERS.find((name) => header(facts, name) !== undefined);
  if (relayed)
    throw keyNeeded(
      `the request came through a proxy (${relayed === 'forwarded' ? 'Forwarded' : relayed === 'x-real-ip' ? 'X-Real-IP' : 'X-Forwarded-For'}), and keyless calls are for programs on this machine only`,
    );
  if (facts.fromNavisBrowser)
    throw keyNeeded(
      "the request came from a page in one of navis's own browsers, and keyless calls are for programs on this machine only",
    );
  if (!listensOnLoopback(settings.host)) {
    throw new NavisError(
      'UNAUTHORIZED',
      `API key required: navis listens on ${settings.host}, not on loopback, so /api/sites needs a key. Send X-API-Key: <key> (or Authorization: Bearer <key>).`,
    );
  }
  const host = header(facts, 'host');
  if (!host || !LOOPBACK_HOST_NAMES.has(hostName(host))) {
    throw new NavisError(
      'FORBIDDEN',
      `${host ? `Host ${quote(host)}` : 'A request without a Host header'} refused: without an API key navis only answers requests addressed to 127.0.0.1, localhost or [::1] (this keeps DNS-rebinding pages out). Call http://127.0.0.1:${settings.port}/api/sites/…, or send an API key in X-API-Key.`,
    );
  }
  return { as: 'default-tenant' };
}

/** Applies decideSiteAccess to every request of `scope` and sets request.caller. */
export function guardSiteApi(
  scope: FastifyInstance,
  tenants: TenantService,
  config: Pick<Config, 'host' | 'port' | 'publicUrl' | 'sitesKeyless'>,
): void {
  const settings = (): SiteGuardSettings => {
    const address = scope.server.address();
    const port = address && typeof address === 'object' ? address.port : config.port;
    return { host: config.host, port, publicUrl: config.publicUrl, keyless: config.sitesKeyless };
  };
  scope.decorateRequest('caller', null as unknown as Caller);
  scope.addHook('onRequest', async (request: FastifyRequest) => {
    const access = decideSiteAccess(settings(), {
      headers: request.headers,
      apiKey: apiKeyOf(request),
      fromNavisBrowser: fromNavisBrowser(request.socket.remoteAddress),
    });
    request.caller =
      access.as === 'api-key'
        ? tenants.authenticate(access.key)
        : { tenantId: tenants.defaultTenantId(), keyId: LOOPBACK_KEY_ID, isAdmin: false };
  });
}
