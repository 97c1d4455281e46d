// navis's own CDP session on a page, beside Playwright's: attached on first use and kept for the
// page's life (every run attaches it at its start: executor.ts). It frees a page that stopped
// answering (page-recovery.ts: Runtime.terminateExecution reaches a busy page only over a session
// attached beforehand) and hears the navigations a step asks for (caused-navigation.ts). Undefined
// when it cannot be attached.
import type { CDPSession } from 'playwright-core';
import type { Page } from '../browsers/playwright.js';

const sessions = new WeakMap<Page, Promise<CDPSession | undefined>>();

export function pageSession(page: Page): Promise<CDPSession | undefined> {
  let session = sessions.get(page);
  if (!session) {
    session = page
      .context()
      .newCDPSession(page)
      .catch(() => undefined);
    sessions.set(page, session);
  }
  return session;
}
