// The egress guard on the wire, as it runs in the egress worker (egress-worker.ts; the main thread
// talks to it through egress-proxy.ts): an HTTP proxy (proxy-chain) in front of one browser
// (Chromium's --proxy-server, loopback included) or one browser context. Every connection the
// browser makes — navigations, redirects, subresources, fetch/XHR, WebSockets, service workers —
// arrives here as a request or a CONNECT, is resolved once, decided on by the route's policy
// (policy.ts) and then connected to exactly the address decided on. A refused one is answered 403
// with `X-Navis-Egress: refused` (for https, Chromium fails the tunnel) and reported, so navis can
// say why its own navigation failed. A server without a route (a browser waiting in the warm pool)
// reaches nothing. A route may chain to the session's own outbound proxy (`proxy` on create).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { RequestError, Server, type PrepareRequestFunctionResult } from 'proxy-chain';
import { addressKind, canonicalIp, isLocalAddress } from './addresses.js';
import { BROWSER_SOURCE_ADDRESS } from './endpoints.js';
import type { CompiledPolicy, OwnEndpoints } from './policy.js';
import { bareHost, pinnedLookup, resolveAndDecide } from './resolve.js';

/** The outbound proxy of a session, with the address its host was checked and pinned to. */
export interface UpstreamProxy {
  /** scheme://user:pass@host:port, as proxy-chain takes it. */
  url: string;
  /** What the tenant sees: scheme://host:port. */
  display: string;
  address: string;
  family: 4 | 6;
}

/** What the server judges a connection by: the tenant's policy, and the session's own proxy. */
export interface ServerRoute {
  policy: CompiledPolicy;
  upstream?: UpstreamProxy;
}

export interface Refusal {
  host: string;
  port: number;
  /** Refused by policy, or the host did not resolve. */
  refused: boolean;
  reason: string;
}

/** Header on every answer the guard makes itself, so navis tells its refusals from a site's own. */
export const EGRESS_HEADER = 'x-navis-egress';

export class EgressServer {
  private currentRoute: ServerRoute | undefined;
  private agents = newAgents();
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly own: OwnEndpoints,
    private readonly markLoopback: boolean,
    private readonly onRefusal: (refusal: Refusal) => void,
  ) {}

  /** Listens on 127.0.0.1 (a port of its own); `markLoopback`: whether 127.0.0.2 can be bound here. */
  static async start(
    own: OwnEndpoints,
    markLoopback: boolean,
    onRefusal: (refusal: Refusal) => void,
  ): Promise<EgressServer> {
    let egress: EgressServer | undefined;
    const server = new Server({
      port: 0,
      host: '127.0.0.1',
      prepareRequestFunction: (opts) => egress!.prepare(opts.hostname, opts.port),
    });
    egress = new EgressServer(server, own, markLoopback, onRefusal);
    await server.listen();
    return egress;
  }

  get port(): number {
    return this.server.port;
  }

  /** Hands the browser to a tenant (or back to nobody). Connections kept alive for the old route are dropped. */
  setRoute(route: ServerRoute | undefined): void {
    this.currentRoute = route;
    const old = this.agents;
    this.agents = newAgents();
    old.http.destroy();
    old.https.destroy();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.agents.http.destroy();
    this.agents.https.destroy();
    await this.server.close(true).catch(() => {});
  }

  private async prepare(rawHost: string, port: number): Promise<PrepareRequestFunctionResult> {
    const route = this.currentRoute;
    const host = bareHost(rawHost);
    if (!route)
      return this.refuse(host, port, true, `${host}:${port} is refused: this browser is not serving a session yet`);
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
        if (isLocalAddress(address) && this.own.describe(address, port)?.what === 'api')
          return this.direct(host, port, address, net.isIPv6(address) ? 6 : 4);
      }
      const { url, address, family } = route.upstream;
      return {
        upstreamProxyUrl: url,
        dnsLookup: pinnedLookup(address, family) as PrepareRequestFunctionResult['dnsLookup'],
        httpAgent: this.agents.http,
        httpsAgent: this.agents.https,
      };
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
      return this.refuse(
        host,
        port,
        true,
        `${host}:${port} is refused: it is navis's own API, which pages reach only over 127.0.0.1 (over ${family === 6 ? 'IPv6' : 'this address'} a page's request could not be told from a program's)`,
      );
    }
    return {
      dnsLookup: pinnedLookup(address, family) as PrepareRequestFunctionResult['dnsLookup'],
      ...(marked ? { localAddress: BROWSER_SOURCE_ADDRESS } : {}),
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
    };
  }

  private refuse(host: string, port: number, refused: boolean, reason: string): never {
    // Reported before the answer is written: the main thread knows of it before the browser does.
    this.onRefusal({ host, port, refused, reason });
    throw new RequestError(reason, refused ? 403 : 502, {
      [EGRESS_HEADER]: refused ? 'refused' : 'unresolved',
      'content-type': 'text/plain; charset=utf-8',
    });
  }
}

/** Keep-alive agents of one route: a connection opened for one tenant is never reused for another. */
function newAgents() {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}
