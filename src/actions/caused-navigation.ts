// A step that may navigate (click, press) waits for the navigation it caused, so the next step
// (or the planner's look at the page) reads the page it opened instead of the one being replaced:
// "Execution context was destroyed" otherwise, when a form submitted with Enter commits while the
// next step reads the page. Tasks, natural-language runs and site actions all get this: it sits in
// the executor's handlers.
//
// How a navigation is told: Chromium reports every navigation the page asks for
// (Page.frameRequestedNavigation: a form submission, a link, a script) on navis's own CDP session
// (page-session.ts). After the step's input, one round trip on that session brings in what the
// input caused by then (as Playwright does after its own input actions); a form submitted in a
// task the page posted for later is reported within that round trip too. Only then, and only for
// the tab's main frame in the same tab, the step waits: until the new document commits and loads,
// or until the navigation ends without a document (a 204, a download), bounded by the step's time.
import type { CDPSession, Frame } from 'playwright-core';
import { withDeadline } from '../browsers/deadline.js';
import type { Page } from '../browsers/playwright.js';
import type { StepContext } from './context.js';
import { pageSession } from './page-session.js';

/** A requested navigation that has not started loading after this long never will (cancelled, or not a load). */
const START_GRACE_MS = 1000;

/** What the main frame did, in order: each event takes the next serial number. */
class MainFrameEvents {
  private serial = 0;
  requested = 0;
  requestedUrl = '';
  started = 0;
  /** Chromium committed a document (or a same-document navigation) in the main frame. */
  committed = 0;
  /** Playwright has seen that commit: its next call on the page goes to the new document. */
  playwrightCommitted = 0;
  stopped = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
    private mainFrameId: string,
  ) {
    cdp.on('Page.frameRequestedNavigation', (event) => {
      if (event.frameId !== this.mainFrameId || event.disposition !== 'currentTab') return;
      this.requestedUrl = event.url;
      this.requested = this.next();
    });
    cdp.on('Page.frameStartedLoading', (event) => {
      if (event.frameId === this.mainFrameId) this.started = this.next();
    });
    cdp.on('Page.frameStoppedLoading', (event) => {
      if (event.frameId === this.mainFrameId) this.stopped = this.next();
    });
    // Reported on this session before the frame stops loading: a commit is never missed for a stop.
    cdp.on('Page.frameNavigated', (event) => {
      if (event.frame.parentId) return;
      this.mainFrameId = event.frame.id;
      this.committed = this.next();
    });
    cdp.on('Page.navigatedWithinDocument', (event) => {
      if (event.frameId === this.mainFrameId) this.committed = this.next();
    });
    page.on('framenavigated', (frame: Frame) => {
      if (frame === page.mainFrame()) this.playwrightCommitted = this.next();
    });
  }

  /** Throws when the page does not answer within `ms` (a page whose own script never yields). */
  static async attach(page: Page, ms: number): Promise<MainFrameEvents> {
    const attached = (async () => {
      const cdp = await pageSession(page);
      if (!cdp) throw new Error('no CDP session');
      await cdp.send('Page.enable');
      const { frameTree } = await cdp.send('Page.getFrameTree');
      return new MainFrameEvents(page, cdp, frameTree.frame.id);
    })();
    return withDeadline(attached, ms, 'the page did not answer');
  }

  mark(): number {
    return this.serial;
  }

  /**
   * One round trip to the page: what the step's input caused until now has been reported after it
   * (a page that does not answer within `ms` is busy: what was reported so far is all there is).
   */
  async flush(ms: number): Promise<void> {
    await withDeadline(this.cdp.send('Page.enable'), ms, 'busy').catch(() => {});
  }

  /** Resolves once `holds()` is true (checked at every event), or after `ms`; true when it held. */
  until(holds: () => boolean, ms: number): Promise<boolean> {
    if (holds()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!holds()) return;
        finish(true);
      };
      const finish = (held: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        this.page.off('close', onClose);
        resolve(held);
      };
      const onClose = () => finish(false);
      const timer = setTimeout(() => finish(holds()), ms);
      this.listeners.add(check);
      this.page.once('close', onClose);
    });
  }

  private next(): number {
    const serial = ++this.serial;
    for (const listener of [...this.listeners]) listener();
    return serial;
  }
}

/** How long the page may take to answer the watch's own calls (attaching, the round trip after the input). */
const ANSWER_MS = 1000;

const watchers = new WeakMap<Page, Promise<MainFrameEvents>>();

/** The page's watch, attached on its first click or press; undefined while the page does not answer (tried again next time). */
async function eventsOf(page: Page, ms: number): Promise<MainFrameEvents | undefined> {
  let events = watchers.get(page);
  if (!events) {
    events = MainFrameEvents.attach(page, ms);
    watchers.set(page, events);
  }
  return events.catch(() => {
    if (watchers.get(page) === events) watchers.delete(page);
    return undefined;
  });
}

/**
 * Runs `act` (the step's input), then, when it made the tab's main frame navigate, waits for the
 * page it opened to load (within the step's deadline; a page still loading then is left loading,
 * and the step log says so). `detail` is the step's own note, extended when it waited.
 */
export async function followNavigation<T>(step: StepContext, detail: string, act: () => Promise<T>): Promise<T> {
  const events = await eventsOf(step.page, Math.min(ANSWER_MS, step.remainingMs()));
  const mark = events?.mark() ?? 0;
  const result = await act();
  if (!events || step.page.isClosed()) return result;
  await events.flush(Math.min(ANSWER_MS, step.remainingMs()));
  if (events.requested <= mark) return result;
  const requested = events.requested;
  const url = events.requestedUrl.slice(0, 200);
  const began = await events.until(
    () => events.started > requested || events.committed > requested || events.stopped > requested,
    Math.min(START_GRACE_MS, step.remainingMs()),
  );
  if (!began) return result; // asked for, never started: nothing to wait for
  const ended = await events.until(
    () => events.committed > requested || events.stopped > requested,
    step.remainingMs(),
  );
  if (ended && events.committed > requested) {
    // Playwright's load state is of the document it knows: wait until it knows the new one.
    const known = await events.until(() => events.playwrightCommitted > requested, step.remainingMs());
    const loaded =
      known &&
      (await step.page.waitForLoadState('load', { timeout: step.remainingMs() }).then(
        () => true,
        () => false,
      ));
    step.note(
      `${detail}; ${loaded ? 'waited for the page it opened to load' : 'the page it opened was still loading at the step deadline'} (${url})`,
    );
  } else {
    step.note(
      `${detail}; ${ended ? 'it started a navigation that opened no page' : 'the page it opened had not arrived by the step deadline'} (${url})`,
    );
  }
  return result;
}
