// What navis holds in memory for a session while it is active: its browser (or the connection to
// the user's own browser), its deadlines, and the client sockets proxied to it.
import type { CdpConnection } from '../browsers/cdp.js';
import type { BrowserProcess } from '../browsers/chromium.js';

/** WebSocket close code sent to CDP-proxy and live-view clients when their session ends. */
export const SESSION_ENDED_CLOSE_CODE = 4001;

export interface RunningProfile {
  id: string;
  dir: string;
  persistChanges: boolean;
}

export class RunningSession {
  lastActivityMs = Date.now();
  /** Client connections (CDP proxy, live view) to close when the session ends. */
  readonly sockets = new Set<{ close(code?: number, reason?: string): void }>();
  ending = false;

  constructor(
    readonly id: string,
    readonly tenantId: string,
    /** Where the browser's DevTools endpoint really is (never handed to clients). */
    readonly wsEndpoint: string,
    readonly accessToken: string,
    public expiresAtMs: number,
    readonly idleTimeoutMs: number | null,
    readonly browser: BrowserProcess | undefined,
    readonly externalMonitor: CdpConnection | undefined,
    readonly profile: RunningProfile | undefined,
  ) {}

  touch(): void {
    this.lastActivityMs = Date.now();
  }

  /** Why the session should end now, if it should. */
  dueReason(nowMs: number): 'ttl_expired' | 'idle_timeout' | undefined {
    if (nowMs >= this.expiresAtMs) return 'ttl_expired';
    if (this.idleTimeoutMs !== null && nowMs - this.lastActivityMs >= this.idleTimeoutMs) return 'idle_timeout';
    return undefined;
  }

  closeSockets(): void {
    for (const socket of this.sockets) {
      try {
        socket.close(SESSION_ENDED_CLOSE_CODE, 'session ended');
      } catch {
        // already closed
      }
    }
    this.sockets.clear();
  }
}
