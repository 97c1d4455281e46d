// The CDP proxy: a session's cdp_url points here (/cdp/<id>?token=…). Each client WebSocket is
// paired with a fresh WebSocket to the session's browser and frames pass through untouched, so
// Playwright's connectOverCDP, Puppeteer's connect and raw CDP clients all work. The per-session
// token guards it (not the API key: the URL is handed to tools that cannot send headers).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { SessionService } from './service.js';

const MAX_PAYLOAD = 256 * 1024 * 1024; // screenshots of large pages travel as one CDP message

export class CdpProxy {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_PAYLOAD });

  constructor(
    private readonly sessions: SessionService,
    private readonly log: Logger,
  ) {}

  /** Handles an upgrade to /cdp/<id>; answers a plain HTTP error when the token or session is wrong. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, sessionId: string, token: string | undefined): void {
    const session = this.sessions.byToken(sessionId, 'cdp', token);
    if (!session) {
      const error = this.sessions.closedReason(sessionId, 'cdp', token);
      return rejectUpgrade(socket, error.status, error.message);
    }

    const upstream = new WebSocket(session.wsEndpoint, { perMessageDeflate: false, maxPayload: MAX_PAYLOAD });
    const pending: Array<{ data: WebSocket.RawData; isBinary: boolean }> = [];
    let client: WebSocket | undefined;

    upstream.once('error', (err) => {
      this.log.warn({ sessionId, err: err.message }, 'CDP proxy: browser connection failed');
      if (client) client.close(1011, 'browser connection failed');
      else rejectUpgrade(socket, 503, `The browser of session ${sessionId} is not reachable.`);
    });

    this.wss.handleUpgrade(request, socket, head, (ws) => {
      client = ws;
      session.sockets.add(ws);
      ws.on('message', (data, isBinary) => {
        session.touch();
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
        else pending.push({ data, isBinary });
      });
      upstream.on('message', (data, isBinary) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(data, { binary: isBinary });
      });
      upstream.once('open', () => {
        for (const m of pending.splice(0)) upstream.send(m.data, { binary: m.isBinary });
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
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: message });
  const reason = { 401: 'Unauthorized', 404: 'Not Found', 410: 'Gone', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
