// seed 000 `user_agent`: applies to this action only. The override lives on a CDP session of the
// page, and Chromium drops a session's overrides when it detaches, which restores the default.
import type { Page } from 'playwright-core';

export async function withUserAgent<T>(page: Page, userAgent: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!userAgent) return work();
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Emulation.setUserAgentOverride', { userAgent });
    return await work();
  } finally {
    await cdp.detach().catch(() => {});
  }
}
