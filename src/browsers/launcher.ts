// Launches Chromium processes for navis: knows the executable, the data dir layout and the flags.
// Each browser gets its own user id (when navis is root), its own environment and its own egress
// guard, which routes nothing until the browser is handed to a tenant (EgressProxy.setRoute).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { NavisError } from '../errors.js';
import { EgressProxy } from '../network/egress-proxy.js';
import type { NavisEndpoints } from '../network/endpoints.js';
import { BrowserProcess } from './chromium.js';
import { findChrome } from './find-chrome.js';
import { ScreenKeeper } from './screen.js';
import type { BrowserIdentity, BrowserUsers } from './users.js';

export interface Screen {
  width: number;
  height: number;
}

export class BrowserLauncher {
  readonly executablePath: string;
  readonly scratchRoot: string;

  constructor(
    private readonly config: Config,
    readonly users: BrowserUsers,
    private readonly endpoints: NavisEndpoints,
    private readonly log: Logger,
  ) {
    this.executablePath = findChrome(config.chromePath);
    this.scratchRoot = path.join(config.dataDir, 'browsers');
    fs.mkdirSync(this.scratchRoot, { recursive: true, mode: 0o700 });
  }

  /** A browser on a fresh, throw-away user-data dir. */
  launchScratch(screen: Screen): Promise<BrowserProcess> {
    return this.launch(screen, this.newScratchDir(), true);
  }

  /** A browser on the given user-data dir (made the browser's own); `removeAfter` for throw-away copies. */
  async launch(screen: Screen, userDataDir: string, removeAfter: boolean): Promise<BrowserProcess> {
    const identity = this.users.acquire();
    let egress: EgressProxy | undefined;
    let browser: BrowserProcess;
    try {
      fs.mkdirSync(userDataDir, { recursive: true, mode: 0o700 });
      this.users.giveTo(userDataDir, identity, { recursive: true });
      egress = await EgressProxy.start(this.endpoints, this.log.child({ component: 'egress' }));
      browser = await this.start(screen, userDataDir, removeAfter, identity, egress);
    } catch (error) {
      await egress?.close();
      this.users.release(identity);
      throw error;
    }
    this.watch(browser, egress, identity, removeAfter ? undefined : userDataDir); // from here on the browser's exit frees both
    try {
      browser.screenKeeper = await ScreenKeeper.attach(browser, screen);
    } catch (error) {
      await browser.close(1000);
      throw new NavisError(
        'BROWSER_LAUNCH_FAILED',
        `Chromium started but did not answer on its DevTools endpoint: ${(error as Error).message}`,
      );
    }
    return browser;
  }

  newScratchDir(): string {
    return path.join(this.scratchRoot, randomUUID());
  }

  /** Removes scratch dirs left by an earlier run (only called at start, before any launch). */
  clearScratch(): void {
    fs.rmSync(this.scratchRoot, { recursive: true, force: true });
    fs.mkdirSync(this.scratchRoot, { recursive: true, mode: 0o700 });
    if (this.users.separate) fs.chmodSync(this.scratchRoot, 0o711);
  }

  /** Launches; a launch that shows the kernel has no sandbox is tried once more without it. */
  private async start(
    screen: Screen,
    userDataDir: string,
    removeAfter: boolean,
    identity: BrowserIdentity | undefined,
    egress: EgressProxy,
  ): Promise<BrowserProcess> {
    const launch = () =>
      BrowserProcess.launch({
        executablePath: this.executablePath,
        userDataDir,
        removeUserDataDir: removeAfter,
        width: screen.width,
        height: screen.height,
        headless: this.config.headless,
        timeoutMs: this.config.launchTimeoutMs,
        env: this.users.env(userDataDir),
        identity,
        sandbox: this.users.sandbox,
        proxyServer: egress.url,
      });
    try {
      return await launch();
    } catch (error) {
      const message = (error as Error).message;
      if (!this.users.sandbox || !/sandbox/i.test(message)) throw error;
      this.users.sandboxUnavailable(message.split('\n').slice(-2).join(' '));
      return launch();
    }
  }

  /**
   * While the browser runs its DevTools port is closed to every page; once it exits its guard and
   * user id go, and a dir it keeps (a profile) is taken back from that user id first.
   */
  private watch(
    browser: BrowserProcess,
    egress: EgressProxy,
    identity: BrowserIdentity | undefined,
    keptDir: string | undefined,
  ): void {
    const devtoolsPort = browser.devtoolsPort;
    this.endpoints.protect(devtoolsPort, 'devtools');
    browser.egress = egress;
    browser.once('exit', () => {
      this.endpoints.release(devtoolsPort);
      void egress.close();
      if (keptDir) this.users.reclaim(keptDir, identity);
      this.users.release(identity);
    });
  }
}
