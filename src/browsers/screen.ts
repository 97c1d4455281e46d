// Makes a browser's pages show exactly the session's screen size. Headless Chromium's
// --window-size includes a simulated window frame, so the viewport would come out smaller than
// asked (1280x577 for 1280x720) and differ between the first tab and later ones. A ScreenKeeper
// holds one CDP connection per browser, auto-attaches to every page of the default context (the
// one connectOverCDP clients use) and sets its viewport and screen size before the page runs.
// Contexts a client creates itself keep the viewport that client chose.
// Attaching costs ~150 ms on a fresh browser, so it happens at launch (in the warm pool, ahead of
// time); handing a warm browser to a session of another size is then a cheap resize().
import { CdpConnection, type CdpEvent } from './cdp.js';

export interface ScreenSize {
  width: number;
  height: number;
}

/** What attach needs of a browser (chromium.ts's BrowserProcess, which holds the keeper: named here so neither file imports the other). */
interface Attachable {
  readonly wsEndpoint: string;
  once(event: 'exit', listener: () => void): unknown;
}

interface AttachedEvent {
  sessionId: string;
  targetInfo: { type: string; browserContextId?: string };
  waitingForDebugger: boolean;
}

export class ScreenKeeper {
  /** CDP sessions of default-context pages, to resize when the browser changes hands. */
  private readonly pages = new Set<string>();

  private constructor(
    private readonly cdp: CdpConnection,
    private readonly defaultContextId: string | undefined,
    private screen: ScreenSize,
  ) {
    cdp.on('event', (event: CdpEvent) => {
      if (event.method === 'Target.attachedToTarget') this.onAttached(event.params as unknown as AttachedEvent);
      else if (event.method === 'Target.detachedFromTarget') this.pages.delete(String(event.params.sessionId));
    });
  }

  static async attach(browser: Attachable, screen: ScreenSize): Promise<ScreenKeeper> {
    const cdp = await CdpConnection.connect(browser.wsEndpoint, 5000);
    browser.once('exit', () => cdp.close());
    try {
      const { targetInfos } = await cdp.send<{ targetInfos: Array<{ type: string; browserContextId?: string }> }>(
        'Target.getTargets',
      );
      const keeper = new ScreenKeeper(cdp, targetInfos.find((t) => t.type === 'page')?.browserContextId, screen);
      await cdp.send('Target.setAutoAttach', {
        autoAttach: true,
        waitForDebuggerOnStart: true,
        flatten: true,
        filter: [{ type: 'page', exclude: false }, { exclude: true }],
      });
      return keeper;
    } catch (error) {
      cdp.close();
      throw error;
    }
  }

  get size(): ScreenSize {
    return this.screen;
  }

  /** Gives every open page of the default context, and every later one, the new size. */
  async resize(screen: ScreenSize): Promise<void> {
    if (screen.width === this.screen.width && screen.height === this.screen.height) return;
    this.screen = screen;
    await Promise.all([...this.pages].map((sessionId) => this.apply(sessionId).catch(() => {})));
  }

  close(): void {
    this.cdp.close();
  }

  private onAttached({ sessionId, targetInfo, waitingForDebugger }: AttachedEvent): void {
    const inDefaultContext =
      targetInfo.type === 'page' && (!this.defaultContextId || targetInfo.browserContextId === this.defaultContextId);
    if (inDefaultContext) this.pages.add(sessionId);
    const resized = inDefaultContext ? this.apply(sessionId) : Promise.resolve();
    resized
      .catch(() => {}) // the page may close before we get to it
      .finally(() => {
        if (waitingForDebugger) this.cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
      });
  }

  private apply(sessionId: string): Promise<unknown> {
    const { width, height } = this.screen;
    return this.cdp.send(
      'Emulation.setDeviceMetricsOverride',
      { width, height, deviceScaleFactor: 1, mobile: false, screenWidth: width, screenHeight: height },
      sessionId,
    );
  }
}
