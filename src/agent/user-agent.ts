// seed 000 `user_agent`: applies to this action only. The override lives on a CDP session of the
// page, and Chromium drops a session's overrides when it detaches, which restores the default.
// Set within a deadline (a page that does not answer is freed: actions/page-recovery.ts); the
// session is detached whenever it comes, so no override outlives the action.
import type { Page } from 'playwright-core';
import { pageCall } from '../actions/page-recovery.js';
import { withDeadline } from '../browsers/deadline.js';

/** How long setting the override may take. */
const OVERRIDE_MS = 5000;

export async function withUserAgent<T>(page: Page, userAgent: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!userAgent) return work();
  const attached = page.context().newCDPSession(page);
  try {
    const override = attached.then((cdp) => cdp.send('Emulation.setUserAgentOverride', { userAgent }));
    await pageCall(page, override, OVERRIDE_MS, 'setting the user agent');
    return await work();
  } finally {
    const detached = attached.then((cdp) => cdp.detach());
    await withDeadline(detached, OVERRIDE_MS, 'detach').catch(() => {}); // if it comes later, it detaches then
  }
}
