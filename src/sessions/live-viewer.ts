// One live viewer: its WebSocket, and its own CDP connection to the session's browser. It shows
// one page at a time (the newest at start, then any tab that opens), streams that page's
// screencast frames to the viewer and dispatches the viewer's input to the same page, and moves
// that page back, forward or reloads it when the viewer asks (telling it where it can go). It also
// tells the viewer when the session waits for a person (authenticate prompt_user), and passes the
// person's Done back to the session.
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { CdpConnection, type CdpEvent } from '../browsers/cdp.js';
import { viewerRequest, type HistoryMove } from './live-input.js';
import type { RunningSession, UserPause } from './running.js';
import { SESSION_ENDED_CLOSE_CODE } from './running.js';

/** Close codes the live page understands: 4001 is final, anything else means "try again". */
export const SESSION_ENDED = SESSION_ENDED_CLOSE_CODE;
export const BROWSER_LOST = 1011;

/** Frames are scaled down to fit this box; input coordinates stay in the page's CSS pixels. */
const SCREENCAST = { format: 'jpeg', quality: 70, maxWidth: 1920, maxHeight: 1200, everyNthFrame: 1 };

interface NavigationHistory {
  currentIndex: number;
  entries: Array<{ id: number; url: string }>;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title: string;
}

export class LiveViewer {
  private cdp: CdpConnection | undefined;
  /** The page on screen, and our CDP session attached to it. */
  private shown: { targetId: string; sessionId: string } | undefined;
  /** Switches run one after another, so the last tab to open is the one that stays shown. */
  private switching: Promise<void> = Promise.resolve();
  private followNewTabs = false;
  private lastPageMessage = '';
  private lastHistoryMessage = '';
  private closed = false;
  private stopWatchingPause: (() => void) | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly session: RunningSession,
    private readonly log: Logger,
    private readonly onClosed: (viewer: LiveViewer) => void,
  ) {
    ws.on('message', (data) => this.onViewerMessage(data.toString()));
    ws.once('close', () => this.close());
    ws.once('error', () => this.close());
    this.stopWatchingPause = session.watchPause((pause) => this.sendPause(pause));
  }

  /** Connects to the browser and starts showing a page; closes the viewer when that fails. */
  async start(): Promise<void> {
    try {
      const cdp = await CdpConnection.connect(this.session.wsEndpoint, undefined, { lookup: this.session.lookup });
      if (this.closed) return cdp.close();
      this.cdp = cdp;
      cdp.on('event', (event: CdpEvent) => this.onBrowserEvent(event));
      cdp.once('close', () => this.close(BROWSER_LOST, 'browser connection lost'));
      // Announces the tabs already open (ignored: followNewTabs is still false), then every new one.
      await cdp.send('Target.setDiscoverTargets', { discover: true });
      this.followNewTabs = true;
      const newest =
        (await this.newestPage(cdp)) ??
        (await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' })).targetId;
      await this.switchTo(newest);
      if (!this.shown && !this.closed) throw new Error('no page of the browser could be shown');
    } catch (error) {
      if (this.closed) return;
      this.log.warn({ err: (error as Error).message }, 'live view could not show the session browser');
      this.close(BROWSER_LOST, 'could not reach the browser');
    }
  }

  /**
   * Ends this viewer and its CDP connection. Without arguments (the session ending, through
   * RunningSession.closeSockets) the viewer is told so, and its page stops reconnecting.
   */
  close(code = SESSION_ENDED, reason = 'session ended'): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWatchingPause?.();
    this.cdp?.close();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
    this.onClosed(this);
  }

  /** Ends the viewer at once, without a closing handshake (navis shutting down). */
  terminate(): void {
    this.ws.terminate();
    this.close();
  }

  /** getTargets lists pages in the order they opened; the newest is the one most likely in use. */
  private async newestPage(cdp: CdpConnection): Promise<string | undefined> {
    const { targetInfos } = await cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets');
    return targetInfos.filter((t) => t.type === 'page').at(-1)?.targetId;
  }

  private switchTo(targetId: string): Promise<void> {
    this.switching = this.switching
      .then(() => this.show(targetId))
      .catch((error: Error) => {
        // The tab may close before we attach: the page shown so far stays on screen.
        if (!this.closed) this.log.debug({ err: error.message }, 'live view could not show a page');
      });
    return this.switching;
  }

  private async show(targetId: string): Promise<void> {
    const cdp = this.cdp;
    if (this.closed || !cdp || this.shown?.targetId === targetId) return;
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const previous = this.shown;
    this.shown = { targetId, sessionId };
    if (previous) cdp.send('Target.detachFromTarget', { sessionId: previous.sessionId }).catch(() => {});
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send('Page.startScreencast', SCREENCAST, sessionId);
    const { targetInfo } = await cdp.send<{ targetInfo: TargetInfo }>('Target.getTargetInfo', { targetId });
    this.sendPage(targetInfo.url, targetInfo.title);
    this.sendHistory(sessionId);
  }

  private onBrowserEvent({ method, params, sessionId }: CdpEvent): void {
    const shown = this.shown;
    const onShownPage = sessionId !== undefined && sessionId === shown?.sessionId;
    if (method === 'Page.screencastFrame' && onShownPage) {
      this.forwardFrame(sessionId, params);
    } else if (method === 'Page.frameNavigated' && onShownPage) {
      // A browser of the user's own (cdp_url) may send anything: every field is checked before use.
      const frame = params.frame as { parentId?: unknown; url?: unknown } | undefined;
      if (frame && typeof frame === 'object' && !frame.parentId && typeof frame.url === 'string') {
        this.sendPage(frame.url, undefined);
        this.sendHistory(sessionId);
      }
    } else if (method === 'Page.navigatedWithinDocument' && onShownPage) {
      this.sendHistory(sessionId); // pushState and fragments are steps in history too
    } else if (method === 'Target.targetInfoChanged') {
      const info = targetInfoOf(params);
      if (info && info.targetId === shown?.targetId) {
        this.sendPage(info.url, info.title);
        this.sendHistory(shown.sessionId); // a page restored from the back-forward cache announces itself only here
      }
    } else if (method === 'Target.targetCreated') {
      const info = targetInfoOf(params);
      if (info && this.followNewTabs && info.type === 'page') void this.switchTo(info.targetId);
    } else if (method === 'Target.targetDestroyed' && params.targetId === shown?.targetId) {
      this.shown = undefined;
      this.showRemainingPage();
    }
  }

  /** The shown tab closed: show the newest one left; with none, wait for the next to open. */
  private showRemainingPage(): void {
    const cdp = this.cdp;
    if (!cdp || this.closed) return;
    this.newestPage(cdp)
      .then((targetId) => (targetId ? this.switchTo(targetId) : this.sendPage('', '')))
      .catch(() => {});
  }

  /** Acks a frame only once it is written to the viewer, so a slow viewer slows the screencast down. */
  private forwardFrame(sessionId: string, params: Record<string, unknown>): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const frame = JSON.stringify({ type: 'frame', data: params.data, metadata: params.metadata });
    this.ws.send(frame, (err) => {
      if (!err) this.cdp?.send('Page.screencastFrameAck', { sessionId: params.sessionId }, sessionId).catch(() => {});
    });
  }

  private sendPage(url: string, title: string | undefined): void {
    const page = JSON.stringify({ type: 'page', url, ...(title === undefined ? {} : { title }) });
    if (page === this.lastPageMessage || this.ws.readyState !== WebSocket.OPEN) return;
    this.lastPageMessage = page;
    this.ws.send(page);
  }

  private onViewerMessage(raw: string): void {
    const request = viewerRequest(raw);
    if (request && 'done' in request) {
      this.session.touch();
      if (!this.session.userDone()) this.sendError('nothing is waiting for Done now');
      return;
    }
    const shown = this.shown;
    if (!request || !shown || !this.cdp) return;
    this.session.touch(); // a person at the controls keeps the idle timeout away
    if ('navigate' in request) {
      void this.open(request.navigate, shown.sessionId);
      return;
    }
    if ('history' in request) {
      void this.go(request.history, shown.sessionId);
      return;
    }
    const command = request.input;
    this.cdp.send(command.method, command.params, shown.sessionId).catch((error: Error) => {
      if (!this.closed)
        this.log.debug({ err: error.message, method: command.method }, 'live view input was not delivered');
    });
  }

  /**
   * The address bar: the URL passes the session's navigation guard (schemes, the tenant's network
   * policy) like every navigation navis starts; a refusal or a failed load is told to the viewer.
   */
  private async open(url: string, sessionId: string): Promise<void> {
    const guard = this.session.guard;
    try {
      await guard.check(url);
      const mark = guard.mark();
      const result = await this.cdp!.send<{ errorText?: string }>('Page.navigate', { url }, sessionId);
      if (result.errorText)
        throw (
          (await guard.explain(mark, url)) ??
          new Error(`${url.slice(0, 200)} could not be loaded (${result.errorText})`)
        );
    } catch (error) {
      if (!this.closed) this.sendError((error as Error).message);
    }
  }

  /**
   * Back, forward and reload. The entry back or forward goes through the guard again, as typing
   * its address would: the tenant's policy may have changed since the page was first opened.
   */
  private async go(move: HistoryMove, sessionId: string): Promise<void> {
    const cdp = this.cdp!;
    try {
      if (move === 'reload') {
        await cdp.send('Page.reload', {}, sessionId);
        return;
      }
      const history = await cdp.send<NavigationHistory>('Page.getNavigationHistory', {}, sessionId);
      const entry = history.entries[history.currentIndex + (move === 'back' ? -1 : 1)];
      if (!entry) throw new Error(`there is no page to go ${move} to`);
      await this.session.guard.check(entry.url);
      await cdp.send('Page.navigateToHistoryEntry', { entryId: entry.id }, sessionId);
    } catch (error) {
      if (!this.closed) this.sendError((error as Error).message);
    }
  }

  /** Whether back and forward lead anywhere from the page shown, for the viewer's buttons. */
  private sendHistory(sessionId: string): void {
    this.cdp
      ?.send<NavigationHistory>('Page.getNavigationHistory', {}, sessionId)
      .then(({ currentIndex, entries }) => {
        const message = JSON.stringify({
          type: 'history',
          back: currentIndex > 0,
          forward: currentIndex < entries.length - 1,
        });
        if (message === this.lastHistoryMessage || this.ws.readyState !== WebSocket.OPEN) return;
        if (sessionId !== this.shown?.sessionId) return; // another tab came on screen meanwhile
        this.lastHistoryMessage = message;
        this.ws.send(message);
      })
      .catch(() => {}); // the tab closed: the next page shown sends its own
  }

  /** The session waits for a person (or no longer does): the page shows why, and Done when that ends the wait. */
  private sendPause(pause: UserPause | undefined): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const message = pause
      ? {
          type: 'pause',
          waiting: true,
          reason: pause.reason,
          since: pause.since,
          timeoutMs: pause.timeoutMs,
          done: pause.endsWithDone,
        }
      : { type: 'pause', waiting: false };
    this.ws.send(JSON.stringify(message));
  }

  private sendError(message: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'error', message }));
  }
}

/** The targetInfo of a Target event, when it has the fields the viewer reads. */
function targetInfoOf(params: Record<string, unknown>): TargetInfo | undefined {
  const info = params.targetInfo as Partial<TargetInfo> | undefined;
  if (!info || typeof info !== 'object') return undefined;
  const { targetId, type, url, title } = info;
  if (typeof targetId !== 'string' || typeof type !== 'string') return undefined;
  return { targetId, type, url: typeof url === 'string' ? url : '', title: typeof title === 'string' ? title : '' };
}
