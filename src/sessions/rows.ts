// A session's stored row: built when the session starts, changed by an update (within the TTL
// rules), turned into the view routes answer with, and into the error a call on an ended session gets.
import { NavisError } from '../errors.js';
import type { SessionRepository, SessionRow } from '../store/sessions.js';
import { hashToken, type SessionTokens } from './tokens.js';
import {
  MAX_TTL_SECONDS,
  type CreateSessionInput,
  type Screen,
  type SessionView,
  type UpdateSessionInput,
} from './types.js';

export interface NewSessionRow {
  id: string;
  tenantId: string;
  tokens: SessionTokens;
  apiKeyId: string | null;
  proxyServer: string | null;
  screen: Screen;
  ttlSeconds: number;
  input: CreateSessionInput;
  profile: { id: string; persistChanges: boolean } | undefined;
  browserPid: number | null;
}

export function newSessionRow({
  id,
  tenantId,
  tokens,
  apiKeyId,
  proxyServer,
  screen,
  ttlSeconds,
  input,
  profile,
  browserPid,
}: NewSessionRow): SessionRow {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  return {
    id,
    tenant_id: tenantId,
    status: 'active',
    end_reason: null,
    kind: input.cdpUrl !== undefined ? 'external' : 'managed',
    external_cdp_url: input.cdpUrl ?? null,
    cdp_token_hash: hashToken(tokens.cdp),
    live_token_hash: hashToken(tokens.live),
    api_key_id: apiKeyId,
    proxy_server: proxyServer,
    screen_width: screen.width,
    screen_height: screen.height,
    ttl_seconds: ttlSeconds,
    idle_timeout_ms: input.idleTimeoutMs ?? null,
    metadata: JSON.stringify(input.metadata ?? {}),
    profile_id: profile?.id ?? null,
    persist_changes: profile ? (profile.persistChanges ? 1 : 0) : null,
    browser_pid: browserPid,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    ended_at: null,
  };
}

/**
 * What routes answer with; cdp_url and live_url are built on `baseUrl`, the address clients reach
 * navis on, with the session's tokens while it runs (an ended session's URLs carry none: they
 * would open nothing, and the store keeps only the tokens' hashes).
 */
export function sessionView(
  row: SessionRow,
  baseUrl: string,
  tokens: SessionTokens | undefined,
  awaitingUser: SessionView['awaitingUser'],
): SessionView {
  const ws = baseUrl.replace(/^http/, 'ws');
  const query = (token: string | undefined) => (token ? `?token=${encodeURIComponent(token)}` : '');
  return {
    id: row.id,
    status: row.status,
    endReason: row.end_reason,
    kind: row.kind,
    cdpUrl: row.kind === 'external' ? row.external_cdp_url! : `${ws}/cdp/${row.id}${query(tokens?.cdp)}`,
    liveUrl: `${baseUrl}/live/${row.id}${query(tokens?.live)}`,
    screen: { width: row.screen_width, height: row.screen_height },
    ttlSeconds: row.ttl_seconds,
    idleTimeoutMs: row.idle_timeout_ms,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    profileId: row.profile_id,
    persistChanges: row.persist_changes === null ? null : row.persist_changes === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    proxyServer: row.proxy_server,
    awaitingUser,
  };
}

/** The error for a call on a session that has ended: 503 when its browser died, else 410. */
export function endedError(row: SessionRow): NavisError {
  if (row.end_reason?.startsWith('browser_')) {
    return new NavisError(
      'BROWSER_GONE',
      `The browser of session ${row.id} is gone (${row.end_reason}). Create a new session.`,
      { sessionId: row.id },
    );
  }
  return new NavisError(
    'SESSION_ENDED',
    `Session ${row.id} is ${row.status} (${row.end_reason}). Create a new session.`,
    { sessionId: row.id },
  );
}

/**
 * What a create may not ask for, refused before anything starts (a profile locked, a browser
 * launched or connected to).
 */
export function checkCreateInput(input: CreateSessionInput, ttlSeconds: number): void {
  checkTtl(ttlSeconds);
  if (input.cdpUrl === undefined) return;
  if (input.proxy)
    throw new NavisError(
      'INVALID_REQUEST',
      'proxy cannot be combined with cdp_url: a browser of your own uses the proxy you start it with.',
    );
  // navis would lock the profile for a browser that never loads it, and nothing would save to it.
  if (input.profileId !== undefined) {
    throw new NavisError(
      'INVALID_REQUEST',
      'profile_id cannot be combined with cdp_url: a browser of your own keeps its own user-data directory, which navis neither loads a profile into nor saves from. Leave out cdp_url to have navis start a browser with the profile, or leave out profile_id.',
    );
  }
}

/** Beyond NAVIS_MAX_SESSIONS (`server`) or the tenant's limits.maxSessions (`tenant`): a 429 saying which. */
export function tooManySessions(max: number, whose: 'server' | 'tenant'): NavisError {
  return new NavisError(
    'TOO_MANY_SESSIONS',
    whose === 'server'
      ? `Maximum of ${max} concurrent sessions reached. Terminate a session you no longer need, or raise NAVIS_MAX_SESSIONS.`
      : `This tenant may run at most ${max} sessions at once. Terminate a session you no longer need, or ask the admin to raise the tenant's limits.maxSessions.`,
  );
}

export function checkTtl(ttlSeconds: number): void {
  if (ttlSeconds > MAX_TTL_SECONDS) throw new NavisError('TTL_TOO_LONG', 'TTL cannot exceed 86400 seconds (24 hours)');
  if (!(ttlSeconds > 0))
    throw new NavisError('INVALID_REQUEST', 'TTL must be a positive number of seconds (default 600, maximum 86400)');
}

/**
 * The columns an update changes: metadata merged key by key (the product's client documents "metadata
 * to merge with existing metadata"), the TTL only shortened (seed 001: sessions cannot be extended).
 */
export function changedFields(
  row: SessionRow,
  input: UpdateSessionInput,
): { fields: Parameters<SessionRepository['update']>[1]; expiresAtMs?: number } {
  const fields: Parameters<SessionRepository['update']>[1] = { updated_at: new Date().toISOString() };
  if (input.metadata !== undefined)
    fields.metadata = JSON.stringify({ ...(JSON.parse(row.metadata) as Record<string, unknown>), ...input.metadata });
  if (input.ttlSeconds === undefined) return { fields };
  checkTtl(input.ttlSeconds);
  if (row.status !== 'active') throw new NavisError('SESSION_ALREADY_ENDED', `Session is already ${row.status}`);
  if (input.ttlSeconds > row.ttl_seconds) {
    throw new NavisError(
      'SESSION_NOT_EXTENDABLE',
      `Sessions cannot be extended: this session's ttl is ${row.ttl_seconds} seconds. Create a new session with a longer ttl instead.`,
    );
  }
  const expiresAtMs = Date.parse(row.created_at) + input.ttlSeconds * 1000;
  fields.ttl_seconds = input.ttlSeconds;
  fields.expires_at = new Date(expiresAtMs).toISOString();
  return { fields, expiresAtMs };
}
