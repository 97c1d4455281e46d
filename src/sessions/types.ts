// The session as the core sees it. Each wire dialect renames these fields its own way.
import type { SessionStatus } from '../store/sessions.js';

export interface Screen {
  width: number;
  height: number;
}

export const DEFAULT_SCREEN: Screen = Object.freeze({ width: 1280, height: 720 });
export const DEFAULT_TTL_SECONDS = 600;
export const MAX_TTL_SECONDS = 86_400;
/** /browser dialect: a session with no request for this long ends (seed 003 family default). */
export const DEFAULT_IDLE_TIMEOUT_MS = 900_000;

export interface CreateSessionInput {
  profileId?: string;
  /** Defaults to true when a profile is given; meaningless without one. */
  persistChanges?: boolean;
  cdpUrl?: string;
  screen?: Screen;
  ttlSeconds?: number;
  idleTimeoutMs?: number;
  metadata?: Record<string, unknown>;
  /** The API key the request came with: revoking that key ends the session. */
  apiKeyId?: string;
  /** The session's outbound proxy; its connections go through navis's egress guard first. */
  proxy?: { server: string; username?: string; password?: string };
}

export interface UpdateSessionInput {
  /** Merged into the stored metadata: keys given replace those keys, the others stay. */
  metadata?: Record<string, unknown>;
  ttlSeconds?: number;
}

export interface SessionView {
  id: string;
  status: SessionStatus;
  endReason: string | null;
  kind: 'managed' | 'external';
  cdpUrl: string;
  liveUrl: string;
  screen: Screen;
  ttlSeconds: number;
  idleTimeoutMs: number | null;
  metadata: Record<string, unknown>;
  profileId: string | null;
  persistChanges: boolean | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  endedAt: string | null;
  /** The session's outbound proxy as scheme://host:port (never its credentials). */
  proxyServer: string | null;
  /** While an authenticate step waits for a person: open liveUrl to log in by hand. */
  awaitingUser: { since: string; reason: string; timeoutMs: number } | null;
}

export interface SessionList {
  sessions: SessionView[];
  total: number;
}
