// The browser a new session gets: the user's own (cdp_url, connected and watched), one launched
// on the session's profile (its dir, or a throw-away copy; cookies restored), or a warm one from
// the pool; and how an ended session lets it go (profile saved, browser closed or killed, the
// user's own only disconnected).
import type { LookupFunction } from 'node:net';
import type { Logger } from 'pino';
import type { CdpConnection } from '../browsers/cdp.js';
import type { BrowserProcess } from '../browsers/chromium.js';
import type { BrowserLauncher } from '../browsers/launcher.js';
import type { BrowserPool } from '../browsers/pool.js';
import { connectExternalBrowser } from './external.js';
import { restoreCookies, saveCookies } from './profile-cookies.js';
import type { ProfileService } from './profiles.js';
import type { RunningProfile, RunningSession } from './running.js';
import type { Screen } from './types.js';

export interface SessionBrowserDeps {
  launcher: BrowserLauncher;
  pool: BrowserPool;
  profiles: ProfileService;
  log: Logger;
}

export interface SessionBrowserRequest {
  sessionId: string;
  screen: Screen;
  cdpUrl?: string;
  /** Checks a cdp_url address against the tenant's policy; the lookup it gives pins the connection. */
  checkCdpUrl: (address: string) => Promise<LookupFunction>;
  profile?: { id: string; persistChanges: boolean };
}

export interface SessionBrowser {
  /** Where the browser's DevTools endpoint really is (never handed to clients). */
  wsEndpoint: string;
  /** A browser navis launched (absent for cdp_url). */
  browser?: BrowserProcess;
  /** The connection that tells when the user's own browser goes away (cdp_url only). */
  monitor?: CdpConnection;
  /** Pins every later connection to the user's browser to the address its check allowed (cdp_url only). */
  lookup?: LookupFunction;
  runningProfile?: RunningProfile;
}

/** Nothing is left running when this throws: every step that can fail comes before a launch. */
export async function openSessionBrowser(
  deps: SessionBrowserDeps,
  req: SessionBrowserRequest,
): Promise<SessionBrowser> {
  if (req.cdpUrl !== undefined) return connectExternalBrowser(req.cdpUrl, req.checkCdpUrl);
  const { profile, screen } = req;
  if (!profile) {
    const browser = await deps.pool.acquire(screen);
    return { wsEndpoint: browser.wsEndpoint, browser };
  }
  const dir = deps.profiles.dirOf(profile.id);
  let browser: BrowserProcess;
  if (profile.persistChanges) {
    browser = await deps.launcher.launch(screen, dir, false);
  } else {
    const copy = deps.launcher.newScratchDir();
    deps.profiles.copyTo(profile.id, copy);
    browser = await deps.launcher.launch(screen, copy, true);
  }
  await restoreCookies(browser.wsEndpoint, dir).catch((err: Error) =>
    deps.log.warn({ sessionId: req.sessionId, err: err.message }, 'could not restore profile cookies'),
  );
  return {
    wsEndpoint: browser.wsEndpoint,
    browser,
    runningProfile: { id: profile.id, dir, persistChanges: profile.persistChanges },
  };
}

/**
 * Lets an ended session's browser go: the user's own is only disconnected; a saving profile's
 * cookies are written before Chromium closes gracefully (`force` kills it right after); anything
 * else is killed at once, and the promise of its exit is returned for shutdown to wait on.
 */
export async function releaseSessionBrowser(
  session: RunningSession,
  opts: { force?: boolean; log: Logger },
): Promise<{ exited: Promise<unknown> } | undefined> {
  await session.disconnectPlaywright();
  if (session.externalMonitor) {
    session.externalMonitor.close(); // the user's browser: disconnect, never close it
    return undefined;
  }
  const browser = session.browser;
  if (!browser || browser.hasExited) return undefined;
  if (session.profile?.persistChanges) {
    await saveCookies(session.wsEndpoint, session.profile.dir).catch((err: Error) =>
      opts.log.warn({ sessionId: session.id, err: err.message }, 'could not save profile cookies'),
    );
    if (opts.force) browser.kill();
    await browser.close(5000);
    return undefined;
  }
  browser.kill(); // nothing to save: the kill is enough to answer
  return { exited: browser.exited() };
}
