// What navis holds in memory for a session while it is active: its browser (or the connection to
// the user's own browser), its deadlines, and the client sockets proxied to it.
import type { CdpConnection } from '../browsers/cdp.js';
import type { BrowserProcess } from '../browsers/chromium.js';
import { activePage, connectPlaywright, type Browser, type Page } from '../browsers/playwright.js';
import type { LookupFunction } from 'node:net';
import { NavisError } from '../errors.js';
import type { NavigationGuard } from '../network/guard.js';
import type { SessionTokens } from './tokens.js';

/** WebSocket close code sent to CDP-proxy and live-view clients when their session ends. */
export const SESSION_ENDED_CLOSE_CODE = 4001;

/** A session waiting for a person (authenticate prompt_user), as the API and the live view show it. */
export interface UserPause {
  since: string;
  reason: string;
  timeoutMs: number;
  /** The pause ends when the person clicks Done on the live view (there is no success condition to watch for). */
  endsWithDone: boolean;
}

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
  /** While an authenticate step waits for a person on the live view (prompt_user): see pauseForUser. */
  private pause: { shown: UserPause; done: () => void } | undefined;
  private readonly pauseWatchers = new Set<(pause: UserPause | undefined) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private playwrightConnection: Promise<Browser> | undefined;

  readonly id: string;
  readonly tenantId: string;
  /** Where the browser's DevTools endpoint really is (never handed to clients). */
  readonly wsEndpoint: string;
  /** The plain tokens of cdp_url and live_url, known only while the session runs. */
  readonly tokens: SessionTokens;
  expiresAtMs: number;
  readonly idleTimeoutMs: number | null;
  readonly browser: BrowserProcess | undefined;
  readonly externalMonitor: CdpConnection | undefined;
  readonly profile: RunningProfile | undefined;
  /** Checks every URL navis opens for this session (tenant schemes and network policy). */
  readonly guard: NavigationGuard;
  /** The API key that created the session (revoking it ends the session). */
  readonly apiKeyId: string | null;
  /** For the user's own browser (cdp_url): pins connections to the address the tenant's policy allowed. */
  readonly lookup: LookupFunction | undefined;

  constructor(
    init: Pick<
      RunningSession,
      | 'id'
      | 'tenantId'
      | 'wsEndpoint'
      | 'tokens'
      | 'expiresAtMs'
      | 'idleTimeoutMs'
      | 'browser'
      | 'externalMonitor'
      | 'profile'
      | 'guard'
      | 'apiKeyId'
      | 'lookup'
    >,
  ) {
    this.id = init.id;
    this.tenantId = init.tenantId;
    this.wsEndpoint = init.wsEndpoint;
    this.tokens = init.tokens;
    this.expiresAtMs = init.expiresAtMs;
    this.idleTimeoutMs = init.idleTimeoutMs;
    this.browser = init.browser;
    this.externalMonitor = init.externalMonitor;
    this.profile = init.profile;
    this.guard = init.guard;
    this.apiKeyId = init.apiKeyId;
    this.lookup = init.lookup;
  }

  /**
   * Runs work on the session's browser one at a time, in arrival order (tasks, single actions):
   * a request waits for the ones before it, whether they succeeded or failed. When `signal` aborts
   * (the client went away) the caller is answered at once, and work still waiting never starts.
   */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const start = () => {
      if (signal?.aborted) throw new NavisError('CANCELLED', 'the client went away while this waited for the session');
      return work();
    };
    const result = this.queue.then(start, start);
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    if (!signal) return result;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new NavisError('CANCELLED', 'the client went away'));
      signal.addEventListener('abort', onAbort, { once: true });
      result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * navis's own Playwright connection to the browser, made on first use and kept while the session
   * lives: over the DevTools pipe of a browser navis launched, over the WebSocket to a cdp_url one.
   */
  playwright(): Promise<Browser> {
    if (this.browser) return this.browser.playwright();
    this.playwrightConnection ??= connectPlaywright(this.wsEndpoint, undefined, this.lookup).catch((error) => {
      this.playwrightConnection = undefined;
      throw error;
    });
    return this.playwrightConnection;
  }

  /** The page actions run on (see activePage). */
  async page(): Promise<Page> {
    return activePage(await this.playwright(), this.browser?.screenKeeper?.size);
  }

  /** Drops navis's Playwright connection to a cdp_url browser (it does not close the browser); a launched browser's goes with its process. */
  async disconnectPlaywright(): Promise<void> {
    const connection = this.playwrightConnection;
    this.playwrightConnection = undefined;
    if (connection) await connection.then((b) => b.close()).catch(() => {});
  }

  /** Set while an authenticate step waits for a person on the live view (GET session's awaitingUser). */
  get awaitingUser(): { since: string; reason: string; timeoutMs: number } | undefined {
    const pause = this.pause?.shown;
    return pause && { since: pause.since, reason: pause.reason, timeoutMs: pause.timeoutMs };
  }

  /**
   * Shows the session as waiting for a person while `wait` runs, and tells every live viewer when
   * the pause starts and ends. `doneClicked` resolves when a person clicks Done on the live view.
   */
  async pauseForUser<T>(pause: Omit<UserPause, 'since'>, wait: (doneClicked: Promise<void>) => Promise<T>): Promise<T> {
    let done!: () => void;
    const doneClicked = new Promise<void>((resolve) => (done = resolve));
    this.pause = { shown: { since: new Date().toISOString(), ...pause }, done };
    this.tellPause();
    try {
      return await wait(doneClicked);
    } finally {
      this.pause = undefined;
      this.tellPause();
    }
  }

  /** The live view's Done control: ends the pause (false when the session is not waiting for anyone). */
  userDone(): boolean {
    if (!this.pause) return false;
    this.pause.done();
    return true;
  }

  /** Calls `watcher` with the current pause (or undefined) now and whenever it changes; returns the unsubscribe. */
  watchPause(watcher: (pause: UserPause | undefined) => void): () => void {
    this.pauseWatchers.add(watcher);
    watcher(this.pause?.shown);
    return () => this.pauseWatchers.delete(watcher);
  }

  private tellPause(): void {
    for (const watcher of this.pauseWatchers) watcher(this.pause?.shown);
  }

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
