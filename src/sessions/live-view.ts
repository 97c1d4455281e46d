// Live view (seed 001 metadata.live_url): a page that shows a session's screen and sends input back.
// PLACEHOLDER: implemented in a follow-up commit.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { rejectUpgrade } from './cdp-proxy.js';
import type { SessionService } from './service.js';

export class LiveView {
  constructor(
    private readonly sessions: SessionService,
    private readonly log: Logger,
  ) {}

  /** The HTML of the live view page for a session, or undefined when the token does not open it. */
  page(sessionId: string, token: string | undefined): string | undefined {
    return this.sessions.byAccessToken(sessionId, token) ? '<!doctype html><title>navis live view</title>' : undefined;
  }

  handleUpgrade(_request: IncomingMessage, socket: Duplex, _head: Buffer, _sessionId: string, _token: string | undefined): void {
    rejectUpgrade(socket, 404, 'live view not implemented yet');
  }

  close(): void {}
}
