// The one Chromium that site executions without ?session_id= share (each in a fresh context):
// taken from the warm pool on first use, driven over navis's pipe connection, relaunched when it
// died, closed with navis.
import type { Logger } from 'pino';
import type { BrowserProcess } from '../browsers/chromium.js';
import type { BrowserPool } from '../browsers/pool.js';
import type { Browser } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import { DEFAULT_SCREEN } from '../sessions/types.js';

interface Shared {
  process: BrowserProcess;
  browser: Browser;
}

const shuttingDown = () => new NavisError('SHUTTING_DOWN', 'navis is shutting down; try again once it is back.');

export class SharedSiteBrowser {
  private shared: Promise<Shared> | undefined;
  private current: Shared | undefined;
  private closed = false;

  constructor(
    private readonly pool: BrowserPool,
    private readonly log: Logger,
  ) {}

  /** The running browser, once launched (tests check it leaks nothing). */
  get running(): { pid: number; wsEndpoint: string } | undefined {
    const process = this.current?.process;
    return process && !process.hasExited ? { pid: process.pid, wsEndpoint: process.wsEndpoint } : undefined;
  }

  /** navis's connection to the shared browser: launched on first use, relaunched when it died. */
  async connection(): Promise<Browser> {
    if (this.closed) throw shuttingDown();
    const known = this.shared;
    if (known) {
      const shared = await known.catch(() => undefined);
      if (shared && shared.browser.isConnected() && !shared.process.hasExited) return shared.browser;
      if (this.shared === known) {
        this.shared = undefined;
        this.current = undefined;
        if (shared) {
          this.log.warn(
            { pid: shared.process.pid },
            'the shared browser of site executions is gone; launching another',
          );
          void dispose(shared);
        }
      }
    }
    const launching = (this.shared ??= this.launch());
    try {
      return (await launching).browser;
    } catch (error) {
      if (this.shared === launching) this.shared = undefined;
      throw error;
    }
  }

  /** Closes the browser (navis's close sequence, before the pool closes); later calls are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const shared = this.shared;
    this.shared = undefined;
    this.current = undefined;
    if (shared) await shared.then(dispose, () => undefined);
  }

  private async launch(): Promise<Shared> {
    const process = await this.pool.acquire(DEFAULT_SCREEN);
    let browser: Browser;
    try {
      browser = await process.playwright();
    } catch (error) {
      await process.close(1000);
      throw new NavisError(
        'BROWSER_LAUNCH_FAILED',
        `Could not connect to the browser of site executions: ${(error as Error).message.split('\n')[0]}`,
        undefined,
        { cause: error },
      );
    }
    const shared = { process, browser };
    if (this.closed) {
      await dispose(shared);
      throw shuttingDown();
    }
    this.current = shared;
    this.log.info({ pid: process.pid }, 'shared browser of site executions started');
    return shared;
  }
}

async function dispose(shared: Shared): Promise<void> {
  await shared.process.close(2000);
}
