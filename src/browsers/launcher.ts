// Launches Chromium processes for navis: knows the executable, the data dir layout and the flags.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { BrowserProcess } from './chromium.js';
import { findChrome } from './find-chrome.js';
import { ScreenKeeper } from './screen.js';
import { NavisError } from '../errors.js';

export interface Screen {
  width: number;
  height: number;
}

export class BrowserLauncher {
  readonly executablePath: string;
  readonly scratchRoot: string;

  constructor(private readonly config: Config) {
    this.executablePath = findChrome(config.chromePath);
    this.scratchRoot = path.join(config.dataDir, 'browsers');
    fs.mkdirSync(this.scratchRoot, { recursive: true, mode: 0o700 });
  }

  /** A browser on a fresh, throw-away user-data dir. */
  launchScratch(screen: Screen): Promise<BrowserProcess> {
    return this.launch(screen, this.newScratchDir(), true);
  }

  /** A browser on the given user-data dir; `removeAfter` for throw-away copies. */
  async launch(screen: Screen, userDataDir: string, removeAfter: boolean): Promise<BrowserProcess> {
    const browser = await BrowserProcess.launch({
      executablePath: this.executablePath,
      userDataDir,
      removeUserDataDir: removeAfter,
      width: screen.width,
      height: screen.height,
      headless: this.config.headless,
      timeoutMs: this.config.launchTimeoutMs,
    });
    try {
      browser.screenKeeper = await ScreenKeeper.attach(browser, screen);
    } catch (error) {
      await browser.close(1000);
      throw new NavisError('BROWSER_LAUNCH_FAILED', `Chromium started but did not answer on its DevTools endpoint: ${(error as Error).message}`);
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
  }
}
