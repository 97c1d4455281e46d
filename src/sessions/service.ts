// The session lifecycle: create (warm pool, profile, or the user's own browser), read, update,
// end (terminate, expire, browser death, shutdown), and the reaper that enforces TTL and idle time.
// Knows nothing of HTTP: routes call it with a tenant id and get views or typed errors back.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ExitInfo } from '../browsers/chromium.js';
import type { BrowserLauncher } from '../browsers/launcher.js';
import type { BrowserPool } from '../browsers/pool.js';
import { killLeftoverBrowsers } from '../browsers/sweep.js';
import type { Config } from '../config.js';
import { NavigationGuard } from '../network/guard.js';
import type { OwnEndpoints } from '../network/policy.js';
import { NavisError, sessionNotFound } from '../errors.js';
import type { SessionRepository, SessionRow, SessionStatus } from '../store/sessions.js';
import type { ProfileService } from './profiles.js';
import { changedFields, checkCreateInput, endedError, newSessionRow, sessionView, tooManySessions } from './rows.js';
import { TenantSlots } from '../tenants/slots.js';
import { cdpUrlChecker, sessionRoute, type TenantPolicies } from './network.js';
import { RunningSession } from './running.js';
import { hashToken, newSessionTokens, tokenMatches, type TokenPurpose } from './tokens.js';
import { openSessionBrowser, releaseSessionBrowser, type SessionBrowser } from './session-browser.js';
import {
  DEFAULT_SCREEN,
  DEFAULT_TTL_SECONDS,
  type CreateSessionInput,
  type SessionList,
  type SessionView,
  type UpdateSessionInput,
} from './types.js';

export interface SessionServiceEvents {
  /** A session runs (its files folder is made, owned by its browser's user, and downloads go there). */
  started: [session: RunningSession];
  /** A session ended (any reason) and its browser is gone; listeners clean up what they keep per session. */
  ended: [sessionId: string];
}

export class SessionService extends EventEmitter<SessionServiceEvents> {
  private readonly running = new Map<string, RunningSession>();
  /** Sessions being created: they count against the limits until they run. */
  private readonly starting: TenantSlots;
  /** The same sessions, until they run or fail: endAllOf and shutdown wait for them (see admit). */
  private readonly creating = new Set<{ tenantId: string; settled: Promise<void> }>();
  /** Browsers killed but perhaps not yet exited; shutdown waits for them. */
  private readonly exiting = new Set<Promise<unknown>>();
  private reaper: NodeJS.Timeout | undefined;
  private shuttingDown = false;
  private baseUrl = 'http://127.0.0.1:8787';

  constructor(
    private readonly config: Config,
    private readonly repo: SessionRepository,
    private readonly profiles: ProfileService,
    private readonly launcher: BrowserLauncher,
    private readonly pool: BrowserPool,
    private readonly log: Logger,
    private readonly deps: { tenants: TenantPolicies; endpoints: OwnEndpoints },
  ) {
    super();
    this.starting = new TenantSlots(
      () => config.maxSessions,
      (tenantId) => deps.tenants.limitsOf(tenantId).maxSessions,
      tooManySessions,
    );
  }

  /** The address clients reach navis on; cdp_url and live_url are built from it. */
  setBaseUrl(url: string): void {
    this.baseUrl = url.replace(/\/$/, '');
  }

  /** At start: kill browsers a crashed navis left behind and close the books on their sessions. */
  recover(): void {
    const killed = killLeftoverBrowsers(this.config.dataDir);
    if (killed.length > 0) this.log.warn({ pids: killed }, 'killed Chromium processes left by an earlier run');
    const now = new Date().toISOString();
    for (const row of this.repo.listActive()) {
      this.repo.end(row.id, 'terminated', 'server_restart', now);
    }
    this.profiles.unlockAll();
    this.launcher.clearScratch();
  }

  startReaper(): void {
    this.reaper = setInterval(() => this.reap(), this.config.reaperIntervalMs);
    this.reaper.unref();
  }

  async create(tenantId: string, input: CreateSessionInput): Promise<SessionView> {
    if (this.shuttingDown) throw new NavisError('SHUTTING_DOWN', 'navis is shutting down; try again once it is back.');
    const ttlSeconds = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    checkCreateInput(input, ttlSeconds);
    const screen = input.screen ?? DEFAULT_SCREEN;
    const profile = input.profileId
      ? { ...this.profiles.get(tenantId, input.profileId), persistChanges: input.persistChanges ?? true }
      : undefined;
    const admitted = this.admit(tenantId);

    const id = randomUUID();
    const tokens = newSessionTokens();
    let opened: SessionBrowser | undefined;
    let locked = false;
    try {
      const route = await sessionRoute(this.deps.tenants, this.deps.endpoints, tenantId, input.proxy, {
        allowLocalProxies: this.config.allowLocalProxies,
      });
      if (profile?.persistChanges) locked = (this.profiles.lock(profile.id, id), true);
      opened = await openSessionBrowser(
        { launcher: this.launcher, pool: this.pool, profiles: this.profiles, log: this.log },
        {
          sessionId: id,
          screen,
          cdpUrl: input.cdpUrl,
          checkCdpUrl: cdpUrlChecker(route, this.deps.endpoints),
          profile,
        },
      );
      const { wsEndpoint, browser, monitor, runningProfile, lookup } = opened;
      await browser?.egress?.setRoute(route);
      const guard = new NavigationGuard(route, this.deps.endpoints, browser?.egress);
      const row = newSessionRow({
        id,
        tenantId,
        tokens,
        apiKeyId: input.apiKeyId ?? null,
        proxyServer: route.upstream?.display ?? null,
        screen,
        ttlSeconds,
        input,
        profile,
        browserPid: browser?.pid ?? null,
      });
      // A shutdown that began while the browser launched must not be outlived by it.
      if (this.shuttingDown)
        throw new NavisError('SHUTTING_DOWN', 'navis is shutting down; try again once it is back.');
      this.repo.insert(row);
      const session = new RunningSession({
        id,
        tenantId,
        wsEndpoint,
        tokens,
        expiresAtMs: Date.parse(row.expires_at),
        idleTimeoutMs: row.idle_timeout_ms,
        browser,
        externalMonitor: monitor,
        profile: runningProfile,
        guard,
        apiKeyId: row.api_key_id,
        lookup,
      });
      this.running.set(id, session);
      this.watch(session);
      this.emit('started', session);
      this.log.info({ sessionId: id, tenantId, kind: row.kind, pid: browser?.pid }, 'session created');
      return this.view(row);
    } catch (error) {
      opened?.monitor?.close();
      if (opened?.browser) await opened.browser.close(1000);
      if (locked) this.profiles.unlock(profile!.id, id);
      throw error;
    } finally {
      admitted();
    }
  }

  /**
   * Takes a place for one more session of the tenant, or refuses with 429: sessions of every kind
   * count, bring-your-own ones too, against the server's limit and the tenant's. The place is given
   * back once the session runs (it then counts as running) or failed to start.
   */
  private admit(tenantId: string): () => void {
    const running = [...this.running.values()];
    const release = this.starting.take(tenantId, {
      server: running.length,
      tenant: running.filter((s) => s.tenantId === tenantId).length,
    });
    // A key revoked or a tenant disabled while the browser launches must not leave the session
    // running once it starts: endAllOf waits for this start to settle, then ends it too.
    let settle!: () => void;
    const start = { tenantId, settled: new Promise<void>((resolve) => (settle = resolve)) };
    this.creating.add(start);
    return () => {
      release();
      this.creating.delete(start);
      settle();
    };
  }

  /** Ends, at once, every running session of a tenant (disabled, deleted) or of a revoked API key. */
  async endAllOf(owner: { tenantId: string } | { apiKeyId: string }, reason: string): Promise<void> {
    const mine = (s: RunningSession) =>
      'tenantId' in owner ? s.tenantId === owner.tenantId : s.apiKeyId === owner.apiKeyId;
    // Sessions still starting run (or fail) first, then end with the others (which key one was made
    // with is known once it runs). A disabled tenant's later creates are refused: TenantService.limitsOf.
    const starting = [...this.creating].filter((start) => !('tenantId' in owner) || start.tenantId === owner.tenantId);
    await Promise.all(starting.map((start) => start.settled));
    await Promise.all(
      [...this.running.values()].filter(mine).map((s) => this.end(s.id, 'terminated', reason, { force: true })),
    );
  }

  /** The tenant's network policy changed: its running browsers take the new one at once. */
  async reroute(tenantId: string): Promise<void> {
    const route = this.deps.tenants.routeOf(tenantId);
    const mine = [...this.running.values()].filter((session) => session.tenantId === tenantId);
    await Promise.all(
      mine.map((session) => {
        const next = { ...route, upstream: session.guard.route.upstream };
        session.guard.route = next;
        return session.browser?.egress?.setRoute(next);
      }),
    );
  }

  get(tenantId: string, id: string): SessionView {
    return this.view(this.row(tenantId, id));
  }

  list(tenantId: string, opts: { status?: SessionStatus; limit: number; offset: number }): SessionList {
    const { rows, total } = this.repo.list(tenantId, opts.status, opts.limit, opts.offset);
    return { sessions: rows.map((row) => this.view(row)), total };
  }

  /** Metadata is merged in; the TTL may only shrink: sessions cannot be extended (seed 001). */
  update(tenantId: string, id: string, input: UpdateSessionInput): SessionView {
    const { fields, expiresAtMs } = changedFields(this.row(tenantId, id), input);
    this.repo.update(id, fields);
    const running = this.running.get(id);
    if (running && expiresAtMs !== undefined) running.expiresAtMs = expiresAtMs;
    running?.touch();
    return this.get(tenantId, id);
  }

  /** Graceful end: the profile is saved, then the browser closes (or, for the user's own, we disconnect). */
  async terminate(tenantId: string, id: string): Promise<void> {
    const row = this.row(tenantId, id);
    if (row.status !== 'active') throw new NavisError('SESSION_ALREADY_ENDED', `Session is already ${row.status}`);
    await this.end(id, 'terminated', 'terminated_by_user');
  }

  /** Forceful removal: ends the session at once if it still runs, then forgets it. */
  async remove(tenantId: string, id: string): Promise<void> {
    this.row(tenantId, id);
    await this.end(id, 'terminated', 'deleted_by_user', { force: true });
    this.repo.delete(id);
  }

  /** The running session, for work on its browser; a typed error when it cannot take any. */
  usable(tenantId: string, id: string): RunningSession {
    const row = this.row(tenantId, id);
    const running = this.running.get(id);
    if (row.status === 'active' && running && !running.ending) {
      running.touch();
      return running;
    }
    throw endedError(row);
  }

  /** The running session a CDP-proxy (`cdp`) or live-view (`live`) token opens; undefined for anything else. */
  byToken(id: string, purpose: TokenPurpose, token: string | undefined): RunningSession | undefined {
    const running = this.running.get(id);
    return running && !running.ending && tokenMatches(hashToken(running.tokens[purpose]), token) ? running : undefined;
  }

  /**
   * Why a CDP-proxy or live-view token does not open its session: ended (410) or browser gone (503)
   * for the holder of the right token; 401 for anyone else, so ids and states do not leak.
   */
  closedReason(id: string, purpose: TokenPurpose, token: string | undefined): NavisError {
    const row = this.repo.getAnyTenant(id);
    const hash = row && (purpose === 'cdp' ? row.cdp_token_hash : row.live_token_hash);
    if (row && tokenMatches(hash, token) && row.status !== 'active') return endedError(row);
    return new NavisError(
      'UNAUTHORIZED',
      'Unknown session or wrong token: use the URL returned when the session was created.',
    );
  }

  /** Sessions with a browser navis runs (what /healthz shows); sessionCount() counts every kind. */
  managedCount(): number {
    let n = 0;
    for (const s of this.running.values()) if (s.browser) n++;
    return n;
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.reaper) clearInterval(this.reaper);
    // A create launching its browser now finishes first (answering 503 SHUTTING_DOWN): the pool,
    // the egress guard and the HTTP server close after this, and it must not outlive them.
    await Promise.all([...this.creating].map((start) => start.settled));
    await Promise.all([...this.running.keys()].map((id) => this.end(id, 'terminated', 'server_shutdown')));
    await Promise.all(this.exiting);
  }

  /** Ends a session once, whoever asks first: saves the profile, frees the browser, closes sockets. */
  async end(
    id: string,
    status: Exclude<SessionStatus, 'active'>,
    reason: string,
    opts: { force?: boolean } = {},
  ): Promise<void> {
    const session = this.running.get(id);
    if (!this.repo.end(id, status, reason, new Date().toISOString())) return;
    if (!session || session.ending) return;
    session.ending = true;
    this.running.delete(id);
    session.closeSockets();
    this.log.info({ sessionId: id, status, reason }, 'session ended');
    try {
      const exiting = (await releaseSessionBrowser(session, { force: opts.force, log: this.log }))?.exited;
      if (exiting) {
        // The exit of a killed browser is awaited only at shutdown.
        this.exiting.add(exiting);
        void exiting.finally(() => this.exiting.delete(exiting));
      }
    } finally {
      if (session.profile?.persistChanges) this.profiles.unlock(session.profile.id, id);
      this.emit('ended', id);
    }
  }

  private watch(session: RunningSession): void {
    const ended = (reason: string) => {
      if (!session.ending) void this.end(session.id, 'terminated', reason);
    };
    session.browser?.once('exit', (info: ExitInfo) => {
      if (!info.expected) {
        this.log.error(
          { sessionId: session.id, code: info.code, signal: info.signal },
          'browser of session exited unexpectedly',
        );
        ended(`browser_crashed: Chromium exited (${info.signal ? `signal ${info.signal}` : `code ${info.code}`})`);
      }
    });
    session.externalMonitor?.once('close', () =>
      ended('browser_disconnected: the browser at cdp_url closed the connection'),
    );
    // It may have closed between connecting and now: the event above will not come then.
    if (session.externalMonitor?.isClosed) ended('browser_disconnected: the browser at cdp_url closed the connection');
  }

  private reap(): void {
    const now = Date.now();
    for (const session of this.running.values()) {
      const reason = session.dueReason(now);
      if (reason && !session.ending) {
        this.end(session.id, 'expired', reason).catch((err: Error) =>
          this.log.error({ sessionId: session.id, err: err.message }, 'reaper failed to end session'),
        );
      }
    }
  }

  private row(tenantId: string, id: string): SessionRow {
    const row = this.repo.get(tenantId, id);
    if (!row) throw sessionNotFound();
    return row;
  }

  private view(row: SessionRow): SessionView {
    const running = this.running.get(row.id);
    return sessionView(row, this.baseUrl, running?.tokens, running?.awaitingUser ?? null);
  }
}
