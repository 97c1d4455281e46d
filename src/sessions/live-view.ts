// Live view (seed 001 metadata.live_url): /live/<id>?token=… is a page that shows a session's
// screen and sends mouse and keyboard input back; its WebSocket /live/<id>/ws?token=… is served
// here, one LiveViewer (with its own CDP connection) per open page, so several people can watch.
// The per-session token guards both, as for the CDP proxy.
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { sessionForUpgrade } from './cdp-proxy.js';
import { LiveViewer, SESSION_ENDED } from './live-viewer.js';
import type { SessionService } from './service.js';

/** src/web/live.html from src (tsx) and dist/web/live.html from dist (copied by scripts/copy-assets.mjs). */
const PAGE = fs.readFileSync(new URL('../web/live.html', import.meta.url), 'utf8');

/** Viewer messages are small; the largest is a paste. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export class LiveView {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
  });
  private readonly viewers = new Set<LiveViewer>();

  constructor(
    private readonly sessions: SessionService,
    private readonly log: Logger,
  ) {}

  /** The HTML of the live view page for a session, or undefined when the token does not open it. */
  page(sessionId: string, token: string | undefined): string | undefined {
    return this.sessions.byToken(sessionId, 'live', token) ? PAGE : undefined;
  }

  /** Handles an upgrade to /live/<id>/ws; answers a plain HTTP error when the token or session is wrong. */
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    sessionId: string,
    token: string | undefined,
  ): void {
    const session = sessionForUpgrade(this.sessions, socket, sessionId, 'live', token);
    if (!session) return;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (session.ending) return ws.close(SESSION_ENDED, 'session ended');
      const viewer = new LiveViewer(ws, session, this.log.child({ sessionId }), (closed) => {
        this.viewers.delete(closed);
        session.sockets.delete(closed);
      });
      this.viewers.add(viewer);
      session.sockets.add(viewer); // the session's end closes it, telling the page why
      void viewer.start();
    });
  }

  /** Drops every viewer at once (navis shutting down); their pages try again later. */
  close(): void {
    for (const viewer of this.viewers) viewer.terminate();
    this.wss.close();
  }
}
