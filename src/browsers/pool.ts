// The warm pool: browsers launched ahead of time at the default screen size, so creating a
// session without a profile costs a hand-over instead of a launch. Refills in the background.
import type { Logger } from 'pino';
import type { BrowserProcess } from './chromium.js';
import type { BrowserLauncher, Screen } from './launcher.js';

export class BrowserPool {
  private readonly ready: BrowserProcess[] = [];
  /** The pool's own 'exit' listener of each ready browser, removed when the browser is handed out. */
  private readonly onExit = new Map<BrowserProcess, () => void>();
  private launching = 0;
  private closed = false;
  private failuresInARow = 0;

  constructor(
    private readonly launcher: BrowserLauncher,
    private readonly size: number,
    private readonly screen: Screen,
    private readonly log: Logger,
  ) {}

  get readyCount(): number {
    return this.ready.length;
  }

  start(): void {
    this.refill();
  }

  /** A running browser showing the given screen size: a warm one (resized) when there is one, else a fresh launch. */
  async acquire(screen: Screen): Promise<BrowserProcess> {
    while (this.ready.length > 0) {
      const browser = this.ready.shift()!;
      this.forget(browser);
      if (browser.hasExited) continue;
      // Spawning the replacement blocks for a few ms: do it after this create has answered.
      setImmediate(() => this.refill());
      try {
        await browser.screenKeeper?.resize(screen);
        return browser;
      } catch {
        await browser.close(1000);
      }
    }
    this.refill();
    return this.launcher.launchScratch(screen);
  }

  /** Resolves once the pool holds `size` ready browsers (benchmarks and tests wait for a warm pool). */
  async whenWarm(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.ready.length < this.size && Date.now() < deadline && !this.closed) {
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browsers = this.ready.splice(0);
    for (const browser of browsers) this.forget(browser);
    await Promise.all(browsers.map((b) => b.close(1000)));
    // Launches still under way are killed as they land (see refill).
    while (this.launching > 0) await new Promise((r) => setTimeout(r, 25));
  }

  private forget(browser: BrowserProcess): void {
    const listener = this.onExit.get(browser);
    if (listener) browser.off('exit', listener);
    this.onExit.delete(browser);
  }

  private refill(): void {
    while (!this.closed && this.ready.length + this.launching < this.size) {
      this.launching++;
      this.launcher
        .launchScratch(this.screen)
        .then((browser) => {
          this.failuresInARow = 0;
          if (this.closed) return browser.close(1000);
          const onExit = () => {
            this.forget(browser);
            const index = this.ready.indexOf(browser);
            if (index >= 0) this.ready.splice(index, 1);
            this.log.warn({ pid: browser.pid }, 'warm browser exited; refilling the pool');
            this.refill();
          };
          this.onExit.set(browser, onExit);
          browser.once('exit', onExit);
          this.ready.push(browser);
        })
        .catch((error: Error) => {
          this.failuresInARow++;
          this.log.error({ err: error.message }, 'warm pool launch failed');
        })
        .finally(() => {
          this.launching--;
          // Back off after repeated failures instead of spinning on a broken Chromium.
          if (this.failuresInARow > 0 && this.failuresInARow < 5)
            setTimeout(() => this.refill(), 1000 * this.failuresInARow).unref();
          else if (this.failuresInARow === 0) this.refill();
        });
    }
  }
}
