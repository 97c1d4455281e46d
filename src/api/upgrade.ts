// The server's WebSocket upgrades: /cdp/<id> goes to the CDP proxy, /live/<id>/ws to the live
// view, anything else is refused with a plain HTTP answer. This listener is reached before any
// API key is checked, so it reads the request target by hand (never `new URL`, never a bare
// decodeURIComponent) and one catch around the dispatch keeps a surprise from ending the process:
// an exception thrown here is an uncaught one, and every session would go with it.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { rejectUpgrade } from '../sessions/cdp-proxy.js';

/** What /cdp/<id> and /live/<id>/ws hand the socket to (CdpProxy, LiveView). */
export interface UpgradeEndpoint {
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    sessionId: string,
    token: string | undefined,
  ): void;
}

export interface UpgradeRoutes {
  cdpProxy: UpgradeEndpoint;
  liveView: UpgradeEndpoint;
  log: Logger;
}

/** A request target read without throwing: the path, the endpoint and session it names, the token. */
type UpgradeTarget =
  { problem: string } | { path: string; endpoint?: { kind: 'cdp' | 'live'; sessionId: string }; token?: string };

const CDP_PATH = /^\/cdp\/([^/]+)$/;
const LIVE_PATH = /^\/live\/([^/]+)\/ws$/;
/** Longest path echoed back in a refusal; the rest is attacker-sized noise. */
const ECHO_CHARS = 120;

export function routeUpgrades(server: Server, routes: UpgradeRoutes): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    dispatch(request, socket, head, routes),
  );
}

function dispatch(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  { cdpProxy, liveView, log }: UpgradeRoutes,
): void {
  // Node removes its own socket error handling before 'upgrade': a client resetting the
  // connection now would be an unhandled 'error' event, so this listener stays for the socket's life.
  socket.on('error', (error: Error) => log.debug({ err: error.message }, 'WebSocket upgrade socket error'));
  try {
    const target = readUpgradeTarget(request.url);
    if ('problem' in target) {
      log.debug({ problem: target.problem }, 'refused a malformed WebSocket upgrade');
      return rejectUpgrade(socket, 400, target.problem);
    }
    const { endpoint, token } = target;
    if (!endpoint)
      return rejectUpgrade(
        socket,
        404,
        `No WebSocket endpoint at ${echo(target.path)}; use /cdp/<session id> or /live/<session id>/ws.`,
      );
    const to = endpoint.kind === 'cdp' ? cdpProxy : liveView;
    to.handleUpgrade(request, socket, head, endpoint.sessionId, token);
  } catch (error) {
    log.error({ err: error instanceof Error ? error.message : String(error) }, 'WebSocket upgrade failed');
    try {
      rejectUpgrade(
        socket,
        500,
        'navis could not handle this WebSocket upgrade; try again, and report it if it keeps happening.',
      );
    } catch {
      socket.destroy();
    }
  }
}

/** Reads an origin-form request target (`/cdp/<id>?token=…`); a malformed one says what is wrong. */
function readUpgradeTarget(url: string | undefined): UpgradeTarget {
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//')) {
    return { problem: 'The request target must be a path such as /cdp/<session id>?token=…' };
  }
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  // URLSearchParams decodes leniently: a bad escape in the query stays as written instead of throwing.
  const token = queryAt < 0 ? undefined : (new URLSearchParams(url.slice(queryAt + 1)).get('token') ?? undefined);
  const cdp = CDP_PATH.exec(path);
  const match = cdp ?? LIVE_PATH.exec(path);
  if (!match) return { path, token };
  const sessionId = safeDecode(match[1]);
  if (sessionId === undefined) return { problem: `The session id in ${echo(path)} is not valid percent-encoding.` };
  return { path, token, endpoint: { kind: cdp ? 'cdp' : 'live', sessionId } };
}

/** decodeURIComponent that answers undefined instead of throwing URIError (`%`, `%E0`, `%zz`). */
function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function echo(path: string): string {
  return path.length > ECHO_CHARS ? `${path.slice(0, ECHO_CHARS)}…` : path;
}
