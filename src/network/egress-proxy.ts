// The egress guard on the wire: an HTTP proxy (proxy-chain) in front of one browser (Chromium's
// --proxy-server, loopback included) or one browser context. Every connection the browser makes —
// navigations, redirects, subresources, fetch/XHR, WebSockets, service workers — arrives here as a
// request or a CONNECT, is resolved once, decided on by the route's policy (policy.ts) and then
// connected to exactly the address decided on. A refused one is answered 403 with
// `X-Navis-Egress: refused` (for https, Chromium fails the tunnel) and remembered, so navis can say
// why its own navigation failed. A browser waiting in the warm pool has no route: it reaches nothing.
//
// A route may chain to the session's own outbound proxy (`proxy` on session create).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Logger } from 'pino';
import { RequestError, Server, type PrepareRequestFunctionResult } from 'proxy-chain';
import { addressKind, canonicalIp, isLocalAddress } from './addresses.js';
import { BROWSER_SOURCE_ADDRESS, canMarkBrowserConnections } from './endpoints.js';
import type { CompiledPolicy, OwnEndpoints } from './policy.js';
import { bareHost, pinnedLookup, resolveAndDecide } from './resolve.js';
import type { SchemeRules } from './urls.js';

/** The outbound proxy of a session, with the address its host was checked and pinned to. */
export interface UpstreamProxy {
  /** scheme://user:pass@host:port, as proxy-chain takes it. */
  url: string;
  /** What the tenant sees: scheme://host:port. */
  display: string;
  address: string;
  family: 4 | 6;
}

/** Whose browser this is and what it may reach. */
export interface EgressRoute {
  policy: CompiledPolicy;
  schemes: SchemeRules;
  upstream?: UpstreamProxy;
}

export interface Refusal {
  seq: number;
  host: string;
  port: number;
  /** Refused by policy, or the host did not resolve. */
  refused: boolean;
  reason: string;
}

/** Header on every answer the guard makes itself, so navis tells its refusals from a site's own. */
export const EGRESS_HEADER = 'x-navis-egress';

const MAX_REFUSALS = 32;

export class EgressProxy {
  private currentRoute: EgressRoute | undefined;
  private agents = newAgents();
  private readonly refusals: Refusal[] = [];
  private seq = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly own: OwnEndpoints & { protect(port: number, what: 'egress'): void; release(port: number): void },
    private readonly markLoopback: boolean,
    private readonly log: Logger,
  ) {}

  static async start(own: OwnEndpoints & { protect(port: number, what: 'egress'): void; release(port: number): void }, log: Logger): Promise<EgressProxy> {
    let proxy: EgressProxy | undefined;
    const server = new Server({ port: 0, host: '127.0.0.1', prepareRequestFunction: (opts) => proxy!.prepare(opts.hostname, opts.port) });
    proxy = new EgressProxy(server, own, await canMarkBrowserConnections(), log);
    server.on('requestFailed', ({ error }: { error: Error }) => log.debug({ err: error.message }, 'egress proxy: a request failed'));
    await server.listen();
    own.protect(server.port, 'egress');
    return proxy;
  }

  /** For Chromium's --proxy-server and a context's proxy. */
  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  get port(): number {
    return this.server.port;
  }

  get route(): EgressRoute | undefined {
    return this.currentRoute;
  }

  /** Hands the browser to a tenant (or back to nobody). Connections kept alive for the old route are dropped. */
  setRoute(route: EgressRoute | undefined): void {
    this.currentRoute = route;
    const old = this.agents;
    this.agents = newAgents();
    old.http.destroy();
    old.https.destroy();
  }

  /** A mark for refusalSince(). */
  mark(): number {
    return this.seq;
  }

  /**
   * The first refusal after `mark`, preferably one for `host`. With `among` ("host:port" as bareHost
   * gives the host), only refusals of those count: a navigation's own requests, not its page's images.
   */
  refusalSince(mark: number, host?: string, among?: ReadonlySet<string>): Refusal | undefined {
    const since = this.refusals.filter((r) => r.seq > mark && (!among || among.has(`${r.host}:${r.port}`)));
    return (host && since.find((r) => r.host === bareHost(host))) || since[0];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.own.release(this.server.port);
    this.agents.http.destroy();
    this.agents.https.destroy();
    await this.server.close(true).catch(() => {});
  }

  private async prepare(rawHost: string, port: number): Promise<PrepareRequestFunctionResult> {
    const route = this.currentRoute;
    const host = bareHost(rawHost);
    if (!route) return this.refuse(host, port, true, `${host}:${port} is refused: this browser is not serving a session yet`);
    if (route.upstream) {
      // The session's own proxy resolves names on its side; what navis can judge here is the name
      // and a literal address.
      const byName = route.policy.refusesName(host, port);
      if (!byName.ok) return this.refuse(host, port, true, byName.reason);
      if (net.isIP(host)) {
        const literal = route.policy.decide({ host, port, addresses: [host] }, this.own);
        if (!literal.ok) return this.refuse(host, port, true, literal.reason);
        // navis's own API (open here only because allowHosts names it) is on this machine: reached
        // directly, from the browsers' source address, never through the session's proxy. A proxy
        // on this machine would connect from 127.0.0.1, and /api/sites would take the page for a
        // program on this machine (keyless, as the default tenant).
        const address = canonicalIp(host) ?? host;
        if (isLocalAddress(address) && this.own.describe(address, port)?.what === 'api') return this.direct(host, port, address, net.isIPv6(address) ? 6 : 4);
      }
      const { url, address, family } = route.upstream;
      return { upstreamProxyUrl: url, dnsLookup: pinnedLookup(address, family) as PrepareRequestFunctionResult['dnsLookup'], httpAgent: this.agents.http, httpsAgent: this.agents.https };
    }
    const decided = await resolveAndDecide(route.policy, this.own, host, port);
    if (!decided.ok) return this.refuse(host, port, decided.refused, decided.reason);
    return this.direct(host, port, decided.address, decided.family);
  }

  /** A connection to exactly `address` (loopback ones from the browsers' source address, see endpoints.ts). */
  private direct(host: string, port: number, address: string, family: 4 | 6): PrepareRequestFunctionResult {
    const loopbackV4 = family === 4 && addressKind(address) === 'loopback';
    const marked = loopbackV4 && this.markLoopback;
    // navis's own API over loopback (open only when allowHosts names it) must come marked as a
    // browser's: over IPv6 (::1) or where 127.0.0.2 cannot be bound it would look like a program
    // on this machine to /api/sites, which answers those keyless as the default tenant.
    if (!marked && addressKind(address) === 'loopback' && this.own.describe(address, port)?.what === 'api') {
      return this.refuse(host, port, true, `${host}:${port} is refused: it is navis's own API, which pages reach only over 127.0.0.1 (over ${family === 6 ? 'IPv6' : 'this address'} a page's request could not be told from a program's)`);
    }
    return {
      dnsLookup: pinnedLookup(address, family) as PrepareRequestFunctionResult['dnsLookup'],
      ...(marked ? { localAddress: BROWSER_SOURCE_ADDRESS } : {}),
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
    };
  }

  private refuse(host: string, port: number, refused: boolean, reason: string): never {
    this.refusals.push({ seq: ++this.seq, host, port, refused, reason });
    if (this.refusals.length > MAX_REFUSALS) this.refusals.shift();
    this.log.info({ host, port, refused }, refused ? 'egress refused' : 'egress: host did not resolve');
    throw new RequestError(reason, refused ? 403 : 502, { [EGRESS_HEADER]: refused ? 'refused' : 'unresolved', 'content-type': 'text/plain; charset=utf-8' });
  }
}

/** Keep-alive agents of one route: a connection opened for one tenant is never reused for another. */
function newAgents() {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}
