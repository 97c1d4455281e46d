// The CDP proxy: a session's cdp_url points here (/cdp/<id>?token=…). Each client WebSocket is
// paired with a fresh WebSocket to the session's browser. What the browser sends passes through
// untouched; what the client sends passes the CDP firewall first (cdp-firewall.ts), which keeps
// files, downloads and URLs inside the session. Playwright's connectOverCDP, Puppeteer's connect
// and raw CDP clients all work. The session's cdp token guards it (not the API key: the URL is
// handed to tools that cannot send headers; the live view has a token of its own).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import { screenCommand, type FirewallRules } from './cdp-firewall.js';
import type { RunningSession } from './running.js';
import type { SessionService } from './service.js';
import type { TokenPurpose } from './tokens.js';

const MAX_PAYLOAD = 256 * 1024 * 1024; // screenshots of large pages travel as one CDP message

export class CdpProxy {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_PAYLOAD });

  constructor(
    private readonly sessions: SessionService,
    /** The firewall's rules for a session: its URL schemes and its files folder. */
    private readonly rulesFor: (session: RunningSession) => FirewallRules,
    private readonly log: Logger,
  ) {}

  /** Handles an upgrade to /cdp/<id>; answers a plain HTTP error when the token or session is wrong. */
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    sessionId: string,
    token: string | undefined,
  ): void {
    const session = sessionForUpgrade(this.sessions, socket, sessionId, 'cdp', token);
    if (!session) return;

    const upstream = new WebSocket(session.wsEndpoint, {
      perMessageDeflate: false,
      maxPayload: MAX_PAYLOAD,
      ...(session.lookup ? { lookup: session.lookup } : {}),
    });
    upstream.on('error', () => {}); // reported through 'close' below; never thrown
    const rules = this.rulesFor(session);
    const pending: string[] = [];
    let client: WebSocket | undefined;

    upstream.once('error', (err) => {
      this.log.warn({ sessionId, err: err.message }, 'CDP proxy: browser connection failed');
      if (client) client.close(1011, 'browser connection failed');
      else rejectUpgrade(socket, 503, `The browser of session ${sessionId} is not reachable.`);
    });

    this.wss.handleUpgrade(request, socket, head, (ws) => {
      client = ws;
      session.sockets.add(ws);
      ws.on('message', (data) => {
        session.touch();
        const forward = this.screen(data.toString(), rules, ws, sessionId);
        if (forward === undefined) return;
        if (upstream.readyState === WebSocket.OPEN) upstream.send(forward);
        else pending.push(forward);
      });
      upstream.on('message', (data, isBinary) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(data, { binary: isBinary });
      });
      upstream.once('open', () => {
        for (const text of pending.splice(0)) upstream.send(text);
      });
      const closeBoth = () => {
        session.sockets.delete(ws);
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
        if (upstream.readyState === WebSocket.OPEN) upstream.close();
        else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
      };
      ws.once('close', closeBoth);
      ws.once('error', closeBoth);
      upstream.once('close', closeBoth);
      upstream.on('error', closeBoth);
    });
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  /**
   * The command as the browser gets it (judged, re-serialised), or undefined when it was refused:
   * the client then gets a CDP error for its id, as the browser would answer one.
   */
  private screen(text: string, rules: FirewallRules, client: WebSocket, sessionId: string): string | undefined {
    let command: unknown;
    try {
      command = JSON.parse(text);
    } catch {
      return undefined; // not the protocol: the browser would answer nothing usable either
    }
    const verdict = screenCommand(command, rules);
    if (verdict.ok) return JSON.stringify(verdict.message);
    const { id, sessionId: target } = (command ?? {}) as { id?: unknown; sessionId?: unknown };
    this.log.info({ sessionId, refused: verdict.error.slice(0, 200) }, 'CDP firewall refused a command');
    if (client.readyState === WebSocket.OPEN && (typeof id === 'number' || typeof id === 'string')) {
      client.send(
        JSON.stringify({
          id,
          ...(typeof target === 'string' ? { sessionId: target } : {}),
          error: { code: -32000, message: verdict.error },
        }),
      );
    }
    return undefined;
  }
}

/**
 * The running session an upgrade's token opens, or undefined after answering the upgrade with
 * why not (ended, browser gone, or 401 for a wrong token): the CDP proxy's and the live view's door.
 */
export function sessionForUpgrade(
  sessions: SessionService,
  socket: Duplex,
  sessionId: string,
  purpose: TokenPurpose,
  token: string | undefined,
): RunningSession | undefined {
  const session = sessions.byToken(sessionId, purpose, token);
  if (session) return session;
  const error = sessions.closedReason(sessionId, purpose, token);
  rejectUpgrade(socket, error.status, error.message);
  return undefined;
}

/**
 * Answers an upgrade request with a plain HTTP error and closes the socket. Never throws: the
 * socket may already be reset by the client, and a peer that never closes its side is cut off.
 */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    410: 'Gone',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  const body = JSON.stringify({ error: message });
  try {
    socket.end(
      `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  } catch {
    socket.destroy();
    return;
  }
  const linger = setTimeout(() => socket.destroy(), 5_000);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}
